import multiprocessing as mp
import os
import signal
import time


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
    with mp.Pool(2, initializer=init_worker, initargs=(ready,)) as pool:
        workers = mp.active_children()
        ready.wait()  # both workers now ignore SIGINT
        results = pool.imap(task, range(10))
        try:
            print(f"first result: {next(results)}")
            press_ctrl_c(workers)
            print(f"all results: {list(results)}")  # never reached
        except KeyboardInterrupt:
            print("main: KeyboardInterrupt, terminating the pool")
            pool.terminate()
        pool.join()
    print("worker exit codes:", [w.exitcode for w in workers])
