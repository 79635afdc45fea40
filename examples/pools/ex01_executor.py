from concurrent.futures import ProcessPoolExecutor


def square(n):
    return n * n


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        future = executor.submit(square, 12)  # returns at once: a Future
        print(f"submit() returned a {type(future).__name__}")
        print(f"future.result() -> {future.result()}")  # waits for the result

        # map(): one call per item, the results in input order
        print(f"map() -> {list(executor.map(square, range(6)))}")
