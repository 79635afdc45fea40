import atexit
import threading
import time


def heartbeat(started):
    print("heartbeat: started", flush=True)
    started.set()
    try:
        while True:  # nothing ever ends this loop
            time.sleep(0.01)
    finally:
        print("heartbeat: cleaned up")


def report(thread):
    print(f"at exit: {thread.name} daemon={thread.daemon} alive={thread.is_alive()}")


def main():
    started = threading.Event()
    beat = threading.Thread(
        target=heartbeat, args=(started,), name="heartbeat", daemon=True
    )
    beat.start()
    started.wait()  # only so that the output comes in a fixed order
    atexit.register(report, beat)
    print("main: returning without join()")


if __name__ == "__main__":
    main()
