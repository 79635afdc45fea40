import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool, TimeoutError


def slow_square(n):
    time.sleep(0.2)
    return n * n


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        future = executor.submit(slow_square, 5)
    # The executor's __exit__ called shutdown(wait=True): the task has finished.
    print(f"executor: done={future.done()}, result={future.result(timeout=0)}")

    with Pool(processes=1) as pool:
        late = pool.apply_async(slow_square, (5,))
    # The pool's __exit__ called terminate(): the task was killed with the workers.
    print(f"Pool: ready={late.ready()}")
    try:
        late.get(timeout=0.5)
    except TimeoutError:
        print("Pool: get() timed out; this result will never come")
