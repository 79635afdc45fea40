import threading
import time
from concurrent.futures import ThreadPoolExecutor

lock = threading.Lock()
running = 0
peak = 0


def fetch(n):
    global running, peak
    with lock:
        running += 1
        peak = max(peak, running)
    time.sleep(0.05 * (6 - n))  # the first items take the longest
    with lock:
        running -= 1
    return n * n


def run(items, max_workers):
    """Return the results in input order and the most tasks seen running at once."""
    global peak
    peak = 0
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        results = list(pool.map(fetch, items))
    return results, peak


def main():
    items = [1, 2, 3, 4, 5]
    start = time.perf_counter()
    results, most = run(items, max_workers=3)
    print(f"results: {results}")
    print(f"at most 3 at once: {most <= 3}")
    one_by_one = sum(0.05 * (6 - n) for n in items)
    print(f"took {time.perf_counter() - start:.2f} s (one by one: {one_by_one:.2f} s)")


if __name__ == "__main__":
    main()
