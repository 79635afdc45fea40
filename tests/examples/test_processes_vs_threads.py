"""Behaviour of the examples of the page "Processes vs threads".

Timings are noisy on a loaded machine, so each test checks an invariant that holds
with a wide margin: sleeping threads overlap, CPU-bound threads do not (on a GIL
build: this process's CPU time never exceeds its wall time), CPU-bound processes do
their work outside this process, processes start slower than threads, asyncio tasks
wait together.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import sys
import sysconfig
import threading
import time

import pytest
from loader import REPO_ROOT, load_example

from example_engine.expectations import run_for_expectation

FOLDER = "examples/processes_vs_threads"
GIL_ENABLED = getattr(sys, "_is_gil_enabled", lambda: True)()
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def seconds(output: str, label: str) -> float:
    match = re.search(rf"^{re.escape(label)}\s+(\d+\.\d+) (m?s)\b", output, re.MULTILINE)
    assert match, f"no duration for {label!r} in:\n{output}"
    return float(match[1]) / (1000 if match[2] == "ms" else 1)


def test_child_process_changes_only_its_own_copy():
    r = run_for_expectation(f"{FOLDER}/ex01_shared_vs_isolated.py")
    assert r.ok, r.tail()
    assert "process: sees ['process']" in r.output
    assert "parent after process: []" in r.output
    assert "parent after thread: ['thread']" in r.output


def fastest_start_ups(start_method: str | None, runs: int) -> tuple[float, float]:
    """The fastest (threads, processes) start+join times of `runs` runs of ex02."""
    count = load_example(f"{FOLDER}/ex02_startup_cost.py").COUNT
    threads, processes = [], []
    for _ in range(runs):
        r = run_for_expectation(f"{FOLDER}/ex02_startup_cost.py", start_method=start_method)
        assert r.ok, r.tail()
        threads.append(seconds(r.output, f"start+join {count} threads:"))
        processes.append(seconds(r.output, f"start+join {count} processes:"))
    return min(threads), min(processes)


def test_processes_start_slower_than_threads():
    # In this process, so that many interleaved rounds stay cheap; the fastest round
    # of each counts, because a busy machine delays thread start-ups too. fork is the
    # cheapest way to start a process: if even it is slower, every method is.
    ex = load_example(f"{FOLDER}/ex02_startup_cost.py")
    if "fork" in multiprocessing.get_all_start_methods():
        fork = multiprocessing.get_context("fork")
        threads, processes = [], []
        for _ in range(6):
            threads.append(ex.start_and_join(threading.Thread))
            processes.append(ex.start_and_join(fork.Process))
        assert min(processes) > 2 * min(threads), (threads, processes)
    else:  # Windows: spawn only, and the example's module must be importable by name
        threads, spawned = fastest_start_ups("spawn", runs=2)
        assert spawned > 2 * threads, (threads, spawned)


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_a_fresh_interpreter_per_child_costs_more_than_fork(method):
    available = multiprocessing.get_all_start_methods()
    if method not in available or "fork" not in available:
        # Windows: spawn is all there is; it must still cost far more than threads.
        threads, spawned = fastest_start_ups("spawn", runs=2)
        assert spawned > 2 * threads, (threads, spawned)
        return
    runs = 1 if method == "spawn" else 2  # spawn: one run is slow, the gap is huge
    _, forked = fastest_start_ups("fork", runs=runs)
    _, fresh = fastest_start_ups(method, runs=runs)
    assert fresh > 1.5 * forked, (forked, fresh)


def cpu_share(example: str) -> dict[str, tuple[float, float]]:
    """(CPU time, wall time) of the example's threads and processes, from cpu_share.py."""
    script = REPO_ROOT / "tests" / "examples" / "cpu_share.py"
    done = subprocess.run(
        [sys.executable, str(script), example], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return {name: tuple(pair) for name, pair in json.loads(done.stdout).items()}


def assert_threads_take_turns_and_processes_compute_elsewhere(example: str) -> None:
    # CPU time of the measuring process over wall time: at most about 1 while the GIL
    # serialises the threads, whatever else the machine is doing; about 2 when they run
    # in parallel. The processes' work is not counted there at all: it runs under their
    # own GILs, so the parent only pays for starting and joining them.
    took = cpu_share(example)
    cpu, wall = took["threads"]
    assert cpu > 0.1, cpu  # the work really burns CPU time (about 0.15 s here)
    if GIL_ENABLED or CORES < 2:
        assert cpu / wall < 1.3, (cpu, wall)
    else:  # free-threaded build running with the GIL off
        assert cpu / wall > 1.4, (cpu, wall)
    in_processes, _ = took["processes"]
    assert in_processes < 0.3 * cpu, (in_processes, cpu)


def test_cpu_bound_threads_share_one_core_and_processes_compute_elsewhere():
    assert_threads_take_turns_and_processes_compute_elsewhere("ex03")


def test_io_bound_waits_overlap_in_threads():
    ex = load_example(f"{FOLDER}/ex04_io_bound.py")
    start = time.perf_counter()
    in_turn = ex.sequential()
    sequential = time.perf_counter() - start
    assert in_turn == [f"response {i}" for i in range(ex.WAITS)]
    assert sequential >= ex.WAITS * ex.DELAY
    threaded = []
    for _ in range(3):  # the fastest of three: a busy machine wakes threads late
        start = time.perf_counter()
        assert ex.with_threads() == in_turn
        threaded.append(time.perf_counter() - start)
    # Taking turns, the waits would add up; overlapping, they take about one DELAY.
    assert min(threaded) < (ex.WAITS - 1) * ex.DELAY, threaded


def test_gil_status_matches_the_interpreter():
    r = run_for_expectation(f"{FOLDER}/ex05_gil_status.py")
    assert r.ok, r.tail()
    free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    assert f"free-threaded build: {free_threaded}\n" in r.output
    assert f"GIL enabled: {GIL_ENABLED}\n" in r.output
    assert "switch interval: 0.005 seconds\n" in r.output


def test_asyncio_tasks_wait_together_in_one_thread():
    r = run_for_expectation(f"{FOLDER}/ex06_asyncio_gather.py")
    assert r.ok, r.tail()
    done = re.findall(r"^(\w): done$", r.output, re.MULTILINE)
    assert done == ["b", "c", "a"]
    assert "results in call order: ['A', 'B', 'C']" in r.output
    total = float(re.search(r"total: (\d+\.\d+) s", r.output)[1])
    assert 0.3 <= total < 0.5, r.output
    assert "threads in this process: 1\n" in r.output


def test_executors_waits_take_the_same_rounds_in_both_pools():
    ex = load_example(f"{FOLDER}/ex07_executors.py")
    result = run_for_expectation(f"{FOLDER}/ex07_executors.py")
    assert result.ok, result.tail()
    took = {
        (workload, executor): float(seconds)
        for workload, executor, seconds in re.findall(
            r"^(\S+)\s+(\w+PoolExecutor)\s+(\d+\.\d+) s$", result.output, re.M
        )
    }
    assert len(took) == 4
    # JOBS waits on two workers: JOBS / 2 rounds whichever pool, never one more.
    delay, rounds = ex.WORKLOADS["io-bound"][1], ex.JOBS // 2
    for executor in ("ThreadPoolExecutor", "ProcessPoolExecutor"):
        assert rounds * delay <= took["io-bound", executor] < (rounds + 1) * delay, took


def test_executors_thread_pool_takes_turns_and_process_pool_computes_elsewhere():
    # The same CPU-time invariant as for ex03, on the example's own pools and workload:
    # it holds however busy the machine is, where comparing durations would not.
    assert_threads_take_turns_and_processes_compute_elsewhere("ex07")
