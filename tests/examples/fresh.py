"""Measurements of examples' functions that need an interpreter of their own.

The test session's process has other threads at work (the background jobs building
the sites, running the sweep, driving browsers). Their CPU time would count in
`time.process_time()`, and while one of them holds the GIL a waking thread of a test
waits for it: a background thread at nice 10 that holds the GIL and is descheduled
can delay the test's threads by tens of milliseconds, blurring every timing the pages
teach. A fresh interpreter started from the test's own thread has only its own
threads and the test's priority.

`measure(name)` runs `python fresh.py NAME` and returns what it printed, as JSON.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RUNS = 3  # three of an example's CPU-bound runs: enough CPU time to measure
WAIT_S = 0.3  # long enough that waits overlap, however late a worker wakes (0.2 s seen)


def measure(name: str) -> Any:
    """What measurement `name` returned, made in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, __file__, name], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def cpu_and_wall(run: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(RUNS):
        run()
    return time.process_time() - cpu, time.perf_counter() - wall


def cpu_ex03() -> dict[str, tuple[float, float]]:
    """[cpu, wall] of processes_vs_threads/ex03's threads and processes."""
    import ex03_cpu_bound as ex

    ex.crunch(100_000)
    return {
        "threads": cpu_and_wall(lambda: ex.in_parallel(threading.Thread)),
        "processes": cpu_and_wall(lambda: ex.in_parallel(multiprocessing.Process)),
    }


def _warm_pools() -> tuple[ProcessPoolExecutor, ThreadPoolExecutor]:
    import ex07_executors as ex

    processes, threads = ProcessPoolExecutor(2), ThreadPoolExecutor(2)
    for pool in (processes, threads):  # as the example: fork before any thread
        list(pool.map(ex.wait, [0.01, 0.01]))
    return processes, threads


def cpu_ex07() -> dict[str, tuple[float, float]]:
    """[cpu, wall] of processes_vs_threads/ex07's CPU-bound jobs in each pool."""
    import ex07_executors as ex

    work, arg = ex.WORKLOADS["cpu-bound"]
    processes, threads = _warm_pools()
    with processes, threads:
        return {
            "threads": cpu_and_wall(lambda: ex.timed(threads, work, arg)),
            "processes": cpu_and_wall(lambda: ex.timed(processes, work, arg)),
        }


def span(call: Callable[[], object]) -> tuple[float, float]:
    """When `call()` began and ended. perf_counter() is CLOCK_MONOTONIC on Linux, one
    clock for every process, so a worker process's spans compare with a thread's."""
    began = time.perf_counter()
    call()
    return began, time.perf_counter()


def stamped_wait(seconds: float) -> tuple[float, float]:
    """ex07's wait, and when it began and ended (a pool's task: defined at top level)."""
    import ex07_executors as ex

    return span(lambda: ex.wait(seconds))


def waits_ex07() -> dict[str, Any]:
    """When each of ex07's JOBS waits of WAIT_S began and ended, in each pool."""
    import ex07_executors as ex

    processes, threads = _warm_pools()
    with processes, threads:
        pools = {"ThreadPoolExecutor": threads, "ProcessPoolExecutor": processes}
        stamps = {
            kind: list(pool.map(stamped_wait, [WAIT_S] * ex.JOBS)) for kind, pool in pools.items()
        }
    return {"jobs": ex.JOBS, "stamps": stamps}


def waits_ex04() -> dict[str, Any]:
    """processes_vs_threads/ex04: when each of its waits began and ended, one after the
    other and then in threads; its DELAY made WAIT_S, so that a late wake-up cannot hide
    the overlap."""
    import ex04_io_bound as ex

    ex.DELAY = WAIT_S
    spans: list[tuple[float, float]] = []
    fetch = ex.fetch

    def stamped_fetch(results: list, i: int) -> None:
        spans.append(span(lambda: fetch(results, i)))

    ex.fetch = stamped_fetch  # what sequential() and with_threads() call
    in_turn = ex.sequential()
    sequential = spans.copy()
    spans.clear()
    answers = ex.with_threads()
    return {"in_turn": in_turn, "answers": answers, "sequential": sequential, "threaded": spans}


def _cpu_so_far() -> float:
    """CPU seconds of this process and of its children that have been reaped."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def start_ups_ex02() -> dict[str, list[float]]:
    """processes_vs_threads/ex02: CPU seconds (this process's and its reaped children's)
    that starting and joining its threads and its forked processes cost, in six
    interleaved rounds. CPU time, not wall time: a loaded machine delays a thread's
    start by tens of milliseconds, but does not make it cost more work."""
    import ex02_startup_cost as ex

    fork = multiprocessing.get_context("fork")
    rounds: dict[str, list[float]] = {"threads": [], "processes": []}
    for _ in range(6):
        for kind, make in (("threads", threading.Thread), ("processes", fork.Process)):
            before = _cpu_so_far()
            ex.start_and_join(make)
            rounds[kind].append(_cpu_so_far() - before)
    return rounds


def order_threads_ex07() -> dict[str, list]:
    """threads/ex07: what map() yielded and the order the tasks ended in, 3 workers; its
    durations doubled, so that the ends it was built for are 0.2 s apart, not 0.1 s."""
    import ex07_pool_map as ex

    ex.SECONDS.update({n: 2 * seconds for n, seconds in ex.SECONDS.items()})
    results, order = ex.run([1, 2, 3, 4, 5], max_workers=3)
    return {"results": results, "order": order}


_gates: list[Any] = []


def _set_gates(gates: list[Any]) -> None:
    _gates[:] = gates


def _gated_square(n: int) -> tuple[int, bool]:
    """Task n ends only once the consumer has received task n-1's result (or after
    10 s: then its flag says that it was not)."""
    handed_over = n == 0 or _gates[n - 1].wait(timeout=10)
    return n * n, handed_over


def handover_pools_ex06() -> dict[str, list]:
    """pools/ex06: Pool.imap hands each result over while later tasks still run.

    Each task waits for the consumer to have received the one before it: a map() that
    collected every result first would leave every gate closed (and each flag false).
    """
    gates = [multiprocessing.Event() for _ in range(4)]
    got = []
    with multiprocessing.Pool(2, initializer=_set_gates, initargs=(gates,)) as pool:
        for n, (square, handed_over) in enumerate(pool.imap(_gated_square, range(4))):
            got.append([n, square, handed_over])
            gates[n].set()
    return {"got": got}


MEASUREMENTS: dict[str, tuple[str, Callable[[], Any]]] = {
    "cpu_ex03": ("processes_vs_threads", cpu_ex03),
    "cpu_ex07": ("processes_vs_threads", cpu_ex07),
    "waits_ex07": ("processes_vs_threads", waits_ex07),
    "waits_ex04": ("processes_vs_threads", waits_ex04),
    "start_ups_ex02": ("processes_vs_threads", start_ups_ex02),
    "order_threads_ex07": ("threads", order_threads_ex07),
    "handover_pools_ex06": ("pools", handover_pools_ex06),
}

if __name__ == "__main__":
    folder, run = MEASUREMENTS[sys.argv[1]]
    sys.path.insert(0, str(EXAMPLES / folder))  # spawned children import it by name too
    print(json.dumps(run()))
