import queue
import threading
import time


def worker(tasks, results):
    while True:  # waits for the next item for as long as the program runs
        item = tasks.get()
        try:
            time.sleep(0.05)  # the work on the item
            results.put(item * item)
        finally:
            tasks.task_done()  # even if the work failed, or join() waits forever


def run(items, workers):
    tasks, results = queue.Queue(), queue.Queue()
    for _ in range(workers):
        threading.Thread(target=worker, args=(tasks, results), daemon=True).start()
    for item in items:
        tasks.put(item)
    tasks.join()  # returns once task_done() has been called for every item put
    # Every result is there: get_nowait() raises queue.Empty on an empty queue.
    return sorted(results.get_nowait() for _ in items)


if __name__ == "__main__":
    start = time.perf_counter()
    squares = run(range(1, 7), workers=2)
    print(f"join() returned after {time.perf_counter() - start:.2f} s")
    print(f"results: {squares}")
