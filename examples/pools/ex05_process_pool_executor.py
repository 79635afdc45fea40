from concurrent.futures import ProcessPoolExecutor, as_completed


def square(n):
    return n * n


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        future = executor.submit(square, 12)
        print(f"submit() -> {future.result()}")  # result() waits

        print(f"map() -> {list(executor.map(square, range(6)))}")

        futures = {executor.submit(square, n): n for n in (3, 4, 5)}
        done = {futures[f]: f.result() for f in as_completed(futures)}
        print(f"as_completed() -> {dict(sorted(done.items()))}")
    # Unlike Pool, leaving the block waits: __exit__ calls shutdown(wait=True).
