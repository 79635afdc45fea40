import time
from concurrent.futures import ProcessPoolExecutor, as_completed


def slow_square(n):
    time.sleep(0.1 * n)
    return n * n


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=3) as executor:
        # Remember which input each future belongs to.
        futures = {executor.submit(slow_square, n): n for n in (3, 1, 2)}
        results = {}
        for future in as_completed(futures):  # each future as soon as it is done
            results[futures[future]] = future.result()

    # The finishing order changes from run to run: print by input.
    for n, square in sorted(results.items()):
        print(f"{n} -> {square}")
