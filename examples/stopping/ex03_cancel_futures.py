import threading
from concurrent.futures import ThreadPoolExecutor

started = threading.Semaphore(0)
release = threading.Event()


def task(n):
    started.release()
    release.wait()  # runs until the main thread lets it finish
    return n * n


def state(future):
    if future.cancelled():
        return "cancelled"
    return "running" if future.running() else "pending"


if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=2) as executor:
        futures = [executor.submit(task, n) for n in range(6)]
        started.acquire()
        started.acquire()  # both workers are busy: tasks 0 and 1 run
        executor.shutdown(wait=False, cancel_futures=True)
        print("after shutdown:", [state(f) for f in futures])
        release.set()
    # Leaving the block waited for the running tasks.
    print("results:", ["cancelled" if f.cancelled() else f.result() for f in futures])
    try:
        executor.submit(task, 6)
    except RuntimeError as exc:
        print(f"submit() after shutdown: RuntimeError: {exc}")
