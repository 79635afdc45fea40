import time
from multiprocessing import Pool, TimeoutError


def slow_square(n):
    time.sleep(0.1)
    return n * n


if __name__ == "__main__":
    with Pool(processes=2) as pool:
        pending = [pool.apply_async(slow_square, (n,)) for n in range(4)]
        print("submitted 4 tasks; apply_async() did not wait", flush=True)
        print([r.get(timeout=5) for r in pending])  # get() waits for each result

    # The same, but leaving the block before get(): __exit__ terminates the pool.
    with Pool(processes=2) as pool:
        late = pool.apply_async(slow_square, (5,))
    print(f"after the with block: ready={late.ready()}")
    try:
        late.get(timeout=0.5)
    except TimeoutError:
        print("get() timed out: the task was killed with the pool")
