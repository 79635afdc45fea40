import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

JOBS = 4


def crunch(n):
    total = 0
    for i in range(n):
        total += i & 1
    return total


def wait(seconds):
    time.sleep(seconds)  # stands in for waiting on a network or a disk
    return seconds


WORKLOADS = {"cpu-bound": (crunch, 2_000_000), "io-bound": (wait, 0.1)}


def timed(executor_class, work, arg):
    with executor_class(max_workers=2) as pool:
        list(pool.map(work, [arg] * 2))  # start the workers before timing
        start = time.perf_counter()
        list(pool.map(work, [arg] * JOBS))
        return time.perf_counter() - start


if __name__ == "__main__":
    for name, (work, arg) in WORKLOADS.items():
        for executor_class in (ThreadPoolExecutor, ProcessPoolExecutor):
            took = min(timed(executor_class, work, arg) for _ in range(2))
            print(f"{name:<9}  {executor_class.__name__:<19}  {took:.2f} s")
