import multiprocessing as mp
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor


def init_worker(ready):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's business
    ready.wait()


def task(n):
    time.sleep(0.2)
    return n * n


def press_ctrl_c(workers):
    """What a terminal does on Ctrl+C: SIGINT to every process of the program."""
    if os.name != "nt":  # Windows cannot send it to one process only
        for worker in workers:
            os.kill(worker.pid, signal.SIGINT)
    signal.raise_signal(signal.SIGINT)  # and to the main process


if __name__ == "__main__":
    ready = mp.Barrier(3)  # two workers and the main process
    with ProcessPoolExecutor(2, initializer=init_worker, initargs=(ready,)) as executor:
        futures = [executor.submit(task, n) for n in range(20)]
        ready.wait()  # both workers now ignore SIGINT
        try:
            print(f"first result: {futures[0].result()}")
            pressed = time.perf_counter()
            press_ctrl_c(mp.active_children())
            print([f.result() for f in futures])  # never reached
        except KeyboardInterrupt:
            print("main: KeyboardInterrupt, shutdown(cancel_futures=True)")
            executor.shutdown(cancel_futures=True)
    print(f"stopped {time.perf_counter() - pressed:.2f} s after Ctrl+C")
    print("none failed:", all(f.cancelled() or f.exception() is None for f in futures))
