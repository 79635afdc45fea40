import time
from multiprocessing import Process


def slow_task():
    time.sleep(0.2)


if __name__ == "__main__":
    p = Process(target=slow_task)
    p.start()
    print(f"after start: alive={p.is_alive()} exitcode={p.exitcode}")

    started = time.perf_counter()
    p.join()
    waited = time.perf_counter() - started
    print(f"after join:  alive={p.is_alive()} exitcode={p.exitcode}")
    print(f"join() blocked for {waited:.2f} s")
