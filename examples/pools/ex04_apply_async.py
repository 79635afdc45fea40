import time
from multiprocessing import Pool


def slow_square(n):
    time.sleep(0.1)
    return n * n


if __name__ == "__main__":
    with Pool(processes=2) as pool:
        pending = [pool.apply_async(slow_square, (n,)) for n in range(4)]
        # apply_async() did not wait: no task has had the time to finish.
        print(f"ready after submitting: {[r.ready() for r in pending]}", flush=True)
        print([r.get(timeout=5) for r in pending])  # get() waits for each result
        print(f"ready after get():      {[r.ready() for r in pending]}")
