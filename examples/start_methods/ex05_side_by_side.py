import multiprocessing as mp
import time

SETTING = "set at import"


def report():
    print(f"child sees SETTING = {SETTING!r}")


if __name__ == "__main__":
    SETTING = "changed in the parent's __main__ block"
    print(f"start method: {mp.get_start_method()}", flush=True)

    started = time.perf_counter()
    child = mp.Process(target=report)
    child.start()
    child.join()
    took = time.perf_counter() - started
    print(f"start + join of one process: {took * 1000:.1f} ms")
