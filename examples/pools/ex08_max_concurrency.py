import time
from multiprocessing import Pool

WORKERS = 3
TASKS = 9


def timed_task(n):
    start = time.perf_counter()
    time.sleep(0.1)
    return start, time.perf_counter()


def peak_concurrency(intervals):
    """The largest number of (start, end) intervals that overlap at one instant."""
    events = [(start, 1) for start, _ in intervals]
    events += [(end, -1) for _, end in intervals]
    running = peak = 0
    for _, change in sorted(events):  # at a tie, an end (-1) sorts before a start
        running += change
        peak = max(peak, running)
    return peak


if __name__ == "__main__":
    with Pool(processes=WORKERS) as pool:
        began = time.perf_counter()
        intervals = pool.map(timed_task, range(TASKS), chunksize=1)
        wall = time.perf_counter() - began
    print(f"{TASKS} tasks of 0.1 s on {WORKERS} workers took {wall:.1f} s")
    peak = peak_concurrency(intervals)
    print(f"never more than {WORKERS} tasks at once: {peak <= WORKERS}")
