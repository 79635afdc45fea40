import multiprocessing as mp
import statistics
import threading
import time

N = 800_000  # a few hundredths of a second of pure Python on the build machine


def crunch(n=N):
    # Pure Python: every step is bytecode, so it holds the GIL all the time.
    total = 0
    for i in range(n):
        total += i & 1
    return total


def in_parallel(worker_class):
    workers = [worker_class(target=crunch) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


if __name__ == "__main__":
    runs = {
        "sequential": lambda: (crunch(), crunch()),
        "threads": lambda: in_parallel(threading.Thread),
        "processes": lambda: in_parallel(mp.Process),
    }
    took = {name: [] for name in runs}
    for _ in range(5):  # interleaved rounds; each variant keeps its median
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            took[name].append(time.perf_counter() - start)
    median = {name: statistics.median(times) for name, times in took.items()}
    for name, seconds in median.items():
        print(f"cpu-bound  {name:<10}  {seconds:.3f} s")
    for name in ("threads", "processes"):
        print(f"speed-up with 2 {name}: {median['sequential'] / median[name]:.1f}x")
