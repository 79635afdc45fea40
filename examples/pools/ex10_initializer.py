import os
from concurrent.futures import ProcessPoolExecutor

# Set once in each worker process by init_worker(), then used by every task there.
greeting = None
setups = 0


def init_worker(word):
    global greeting, setups
    greeting = word  # in real code: open a connection, load a model, ...
    setups += 1


def greet(n):
    return f"{greeting} {n}: pid={os.getpid()}, setups in this worker: {setups}"


if __name__ == "__main__":
    with ProcessPoolExecutor(
        max_workers=2, initializer=init_worker, initargs=("hello",)
    ) as executor:
        for line in executor.map(greet, range(6)):
            print(line)
