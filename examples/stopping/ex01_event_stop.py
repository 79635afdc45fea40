import threading
import time

INTERVAL = 0.5  # seconds between two rounds of work


def sleeper(stop):
    while not stop.is_set():
        time.sleep(INTERVAL)  # nothing can cut this sleep short
    print("sleeper: stop seen, cleaning up")


def waiter(stop):
    while not stop.wait(INTERVAL):  # True as soon as stop is set
        pass
    print("waiter: stop seen, cleaning up")


def stop_and_join(target):
    """Start target in a thread, ask it to stop, return how long join() waited."""
    stop = threading.Event()
    worker = threading.Thread(target=target, args=(stop,))
    worker.start()
    time.sleep(0.1)  # the worker is now in the middle of a round
    stop.set()
    started = time.perf_counter()
    worker.join()
    return time.perf_counter() - started


if __name__ == "__main__":
    for target in (sleeper, waiter):
        waited = stop_and_join(target)
        print(f"{target.__name__}: join() returned {waited:.2f} s after set()")
