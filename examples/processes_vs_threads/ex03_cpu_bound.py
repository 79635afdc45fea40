import multiprocessing as mp
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
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(4):  # interleaved rounds; each variant keeps its fastest
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    for name, took in best.items():
        print(f"cpu-bound  {name:<10}  {took:.3f} s")
    for name in ("threads", "processes"):
        print(f"speed-up with 2 {name}: {best['sequential'] / best[name]:.1f}x")
