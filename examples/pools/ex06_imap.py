import time
from multiprocessing import Pool


def slow_square(n):
    time.sleep(0.05)
    return n * n


if __name__ == "__main__":
    with Pool(processes=2) as pool:
        start = time.perf_counter()
        # imap is lazy: each result is handed over as soon as it is ready, in order.
        for n, sq in enumerate(pool.imap(slow_square, range(4))):
            elapsed = time.perf_counter() - start
            print(f"imap: {n} -> {sq} after {elapsed:.2f} s", flush=True)

        # imap_unordered yields in completion order; sort when order matters.
        print("imap_unordered:", sorted(pool.imap_unordered(slow_square, range(6))))
