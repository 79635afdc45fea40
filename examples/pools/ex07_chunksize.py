import os
import time
from multiprocessing import Pool

TASKS = 5_000
CHUNK = 250


def worker_pid(n):
    return os.getpid()  # a tiny task: sending it costs more than running it


def timed_map(pool, chunksize):
    start = time.perf_counter()
    pids = pool.map(worker_pid, range(TASKS), chunksize=chunksize)
    took = time.perf_counter() - start
    print(f"chunksize={chunksize}: {TASKS} tasks in {took:.3f} s")
    return pids, took


if __name__ == "__main__":
    with Pool(processes=2) as pool:
        pool.map(worker_pid, range(2))  # let the workers start before timing
        _, one_by_one = timed_map(pool, 1)
        pids, chunked = timed_map(pool, CHUNK)
    print(f"chunksize={CHUNK} was {one_by_one / chunked:.1f}x faster")

    # A chunk travels to one worker in one message: its tasks share a pid.
    chunks = [pids[i : i + CHUNK] for i in range(0, TASKS, CHUNK)]
    print(f"each chunk ran in one worker: {all(len(set(c)) == 1 for c in chunks)}")
