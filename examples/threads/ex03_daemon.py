import atexit
import threading
import time

stop = threading.Event()  # never set: the heartbeat would run forever
main_done = threading.Event()


def heartbeat(started):
    print("heartbeat: started", flush=True)
    started.set()
    while not stop.wait(0.01):
        pass
    print("heartbeat: finished")


def job():
    main_done.wait()  # so that this thread provably outlives main()
    time.sleep(0.1)
    print("worker: finished")


def report(threads):
    for t in threads:
        print(f"at exit: {t.name} daemon={t.daemon} alive={t.is_alive()}")


def main():
    started = threading.Event()
    daemon = threading.Thread(target=heartbeat, args=(started,), name="heartbeat")
    daemon.daemon = True  # must be set before start()
    worker = threading.Thread(target=job, name="worker")
    daemon.start()
    started.wait()
    worker.start()
    # Exit handlers run after the interpreter has joined the non-daemon threads.
    atexit.register(report, [daemon, worker])
    print("main: returning without join()")
    main_done.set()


if __name__ == "__main__":
    main()
