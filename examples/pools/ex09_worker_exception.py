from multiprocessing import Pool


def long_time_task(name):
    return "starting task " + name  # TypeError when name is an int


if __name__ == "__main__":
    # The 2017 post's pattern: apply_async() results never fetched.
    with Pool(processes=2) as pool:
        for i in range(3):
            pool.apply_async(long_time_task, args=(i,))
        pool.close()
        pool.join()
    print("without get(): the pool finished and nothing was reported")

    with Pool(processes=2) as pool:
        result = pool.apply_async(long_time_task, args=(0,))
        try:
            result.get(timeout=5)
        except TypeError as exc:
            print(f"with get(): {type(exc).__name__}: {exc}")
            # The worker's own traceback travels along as the cause.
            print(f"caused by {type(exc.__cause__).__name__}:{exc.__cause__}")
