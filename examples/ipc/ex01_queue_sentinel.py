from multiprocessing import Process, Queue

ITEMS = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen"]
STOP = None  # the sentinel: a value no real item can have


def produce(tasks, n_consumers):
    for item in ITEMS:
        tasks.put(item)
    for _ in range(n_consumers):
        tasks.put(STOP)  # one pill per consumer


def consume(tasks, results):
    for item in iter(tasks.get, STOP):
        results.put((item, item.upper()))


if __name__ == "__main__":
    tasks, results = Queue(), Queue()
    producer = Process(target=produce, args=(tasks, 2))
    consumers = [Process(target=consume, args=(tasks, results)) for _ in range(2)]
    for p in [producer, *consumers]:
        p.start()
    # Results first, join() second: see "Get the data first, then join".
    done = [results.get(timeout=10) for _ in ITEMS]
    for p in [producer, *consumers]:
        p.join()
    # Arrival order depends on which consumer was faster: sort before printing.
    for item, result in sorted(done):
        print(f"{item} -> {result}")
    print(f"{len(done)} results for {len(ITEMS)} items")
    print(f"exit codes: {[p.exitcode for p in [producer, *consumers]]}")
