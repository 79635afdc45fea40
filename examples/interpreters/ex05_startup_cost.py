import multiprocessing as mp
import threading
import time
from concurrent import interpreters

COUNT = 10


def task():
    pass


def interpreter():
    worker = interpreters.create()
    worker.call(task)
    worker.close()


def start_join(worker_class):
    worker = worker_class(target=task)
    worker.start()
    worker.join()


def per_worker(start_one):
    start = time.perf_counter()
    for _ in range(COUNT):  # one after another: each worker's own cost
        start_one()
    return (time.perf_counter() - start) / COUNT


if __name__ == "__main__":
    runs = {"thread": lambda: start_join(threading.Thread), "interpreter": interpreter}
    for method in mp.get_all_start_methods():
        context = mp.get_context(method)
        runs[f"process ({method})"] = lambda c=context: start_join(c.Process)
    print(f"one worker started, run and joined (the fastest of 3 rounds of {COUNT}):")
    for name, start_one in runs.items():
        best = min(per_worker(start_one) for _ in range(3))
        print(f"  {name + ':':<22} {best * 1000:.1f} ms")
