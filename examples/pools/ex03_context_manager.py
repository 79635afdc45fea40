from multiprocessing import Pool


def square(n):
    return n * n


if __name__ == "__main__":
    with Pool(processes=2) as pool:
        # Collect inside the block: leaving it calls pool.terminate().
        squares = pool.map(square, range(10))
    print(squares)
