import multiprocessing as mp
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def init_worker(go):
    go.wait()  # no task starts before every task is submitted


def crash():
    os._exit(1)  # the worker process dies: no exception, no result


def slow(n):
    time.sleep(10)
    return n


if __name__ == "__main__":
    go = mp.Event()
    with ProcessPoolExecutor(2, initializer=init_worker, initargs=(go,)) as executor:
        futures = {"crash()": executor.submit(crash)}
        futures |= {f"slow({n})": executor.submit(slow, n) for n in range(3)}
        go.set()
        for name, future in futures.items():
            try:
                future.result(timeout=20)
            except BrokenProcessPool as exc:
                print(f"{name}: {type(exc).__name__}: {exc}")
        try:
            executor.submit(slow, 3)
        except BrokenProcessPool as exc:
            print(f"submit() afterwards: {type(exc).__name__}: {exc}")
