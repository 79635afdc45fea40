import signal
import threading
import time


def worker(stop):
    for _ in range(3):  # three rounds of work, 0.1 s each
        if stop.wait(0.1):
            print("  worker: stop seen, cleaning up")
            return
    print("  worker: finished all its work, nobody stopped it")


def run(stop_on_ctrl_c):
    stop = threading.Event()
    thread = threading.Thread(target=worker, args=(stop,))
    thread.start()
    try:
        signal.raise_signal(signal.SIGINT)  # the user presses Ctrl+C
    except KeyboardInterrupt:
        print(f"  KeyboardInterrupt raised in {threading.current_thread().name}")
        if stop_on_ctrl_c:
            stop.set()
    started = time.perf_counter()
    thread.join()
    print(f"  join() waited {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    print("Ctrl+C, the worker is not told:")
    run(stop_on_ctrl_c=False)
    print("Ctrl+C turned into stop.set():")
    run(stop_on_ctrl_c=True)
