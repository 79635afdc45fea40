from concurrent import interpreters

WORKERS = 2
ITEMS = 10


def square_all(tasks, results):
    # Runs in another interpreter, in a thread of its own, until it gets the sentinel.
    while (n := tasks.get()) is not None:
        results.put((n, n * n))
    results.put(None)  # this worker is done


if __name__ == "__main__":
    tasks = interpreters.create_queue()
    results = interpreters.create_queue()
    workers = [interpreters.create() for _ in range(WORKERS)]
    threads = [w.call_in_thread(square_all, tasks, results) for w in workers]
    for n in range(ITEMS):
        tasks.put(n)
    for _ in workers:
        tasks.put(None)  # one sentinel per worker
    received, finished = [], 0
    while finished < WORKERS:
        item = results.get()
        if item is None:
            finished += 1
        else:
            received.append(item)
    for thread in threads:
        thread.join()
    for worker in workers:
        worker.close()
    print("received:", sorted(received))
    once = sorted(n for n, _ in received) == list(range(ITEMS))
    print(f"{len(received)} results, every item exactly once: {once}")
