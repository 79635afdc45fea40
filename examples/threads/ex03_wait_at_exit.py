import atexit
import threading
import time

main_done = threading.Event()


def job():
    main_done.wait()  # so that this thread provably outlives main()
    time.sleep(0.1)
    print("worker: finished")


def report(thread):
    print(f"at exit: {thread.name} alive={thread.is_alive()}")


def main():
    worker = threading.Thread(target=job, name="worker")
    worker.start()
    # Exit handlers run after the interpreter has joined the non-daemon threads.
    atexit.register(report, worker)
    print("main: returning without join()")
    main_done.set()


if __name__ == "__main__":
    main()
