import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import Pool, TimeoutError


def crash(n):
    os._exit(1)  # the worker dies, as if killed or out of memory


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        future = executor.submit(crash, 1)
        try:
            future.result(timeout=5)
        except BrokenProcessPool as exc:
            print(f"executor: {type(exc).__name__}: {exc}")

    with Pool(processes=1) as pool:
        result = pool.apply_async(crash, (1,))
        try:
            result.get(timeout=1)
        except TimeoutError:
            # Pool started a new worker, but the task was lost with the old one.
            print("Pool: get() timed out; without a timeout it would wait forever")
