import multiprocessing as mp
import threading
import time

COUNT = 10


def task():
    pass


def start_and_join(make_worker):
    start = time.perf_counter()
    workers = [make_worker(target=task) for _ in range(COUNT)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start


if __name__ == "__main__":
    threads = start_and_join(threading.Thread)
    processes = start_and_join(mp.Process)
    print(f"start+join {COUNT} threads:   {threads * 1000:.1f} ms")
    print(f"start+join {COUNT} processes: {processes * 1000:.1f} ms")
    print(f"processes took {processes / threads:.1f}x as long")
