"""CPU time against wall time of an example's CPU-bound work, measured in a fresh interpreter.

Run as `python cpu_share.py ex03|ex07`; prints a JSON object of [cpu, wall] pairs.
It runs in its own process because the test session's process has other threads at
work (the background jobs building the site, running the sweep): their CPU time
would count in `time.process_time()` and blur the invariant the page teaches.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "processes_vs_threads"
RUNS = 3  # three of the example's runs: enough CPU time to measure


def cpu_and_wall(run: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(RUNS):
        run()
    return time.process_time() - cpu, time.perf_counter() - wall


def ex03() -> dict[str, tuple[float, float]]:
    import ex03_cpu_bound as ex

    ex.crunch(100_000)
    return {
        "threads": cpu_and_wall(lambda: ex.in_parallel(threading.Thread)),
        "processes": cpu_and_wall(lambda: ex.in_parallel(multiprocessing.Process)),
    }


def ex07() -> dict[str, tuple[float, float]]:
    import ex07_executors as ex

    work, arg = ex.WORKLOADS["cpu-bound"]
    with ProcessPoolExecutor(2) as processes, ThreadPoolExecutor(2) as threads:
        for pool in (processes, threads):  # as the example: fork before any thread
            list(pool.map(ex.wait, [0.01, 0.01]))
        return {
            "threads": cpu_and_wall(lambda: ex.timed(threads, work, arg)),
            "processes": cpu_and_wall(lambda: ex.timed(processes, work, arg)),
        }


if __name__ == "__main__":
    sys.path.insert(0, str(FOLDER))  # spawned children import the example by name too
    print(json.dumps({"ex03": ex03, "ex07": ex07}[sys.argv[1]]()))
