import threading
import time
from concurrent.futures import ThreadPoolExecutor

# Seconds per item. With 3 threads, items 1-3 start at once, item 4 when item 3
# ends, item 5 when item 2 ends: they end at 0.1, 0.2, 0.4, 0.5 and 0.6 s.
SECONDS = {1: 0.6, 2: 0.2, 3: 0.1, 4: 0.4, 5: 0.2}
lock = threading.Lock()
finished = []  # the order in which the tasks ended


def fetch(n):
    time.sleep(SECONDS[n])
    with lock:
        finished.append(n)
    return f"page {n}"


def run(items, max_workers):
    """Return the results as map() yielded them, and the order the tasks ended in."""
    finished.clear()
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        results = list(pool.map(fetch, items))
    return results, list(finished)


def main():
    items = [1, 2, 3, 4, 5]
    start = time.perf_counter()
    results, order = run(items, max_workers=3)
    took = time.perf_counter() - start
    print(f"tasks ended in the order {order}")
    print(f"map() yielded {results}")
    print(f"took {took:.2f} s with 3 threads, {sum(SECONDS.values()):.2f} s one by one")


if __name__ == "__main__":
    main()
