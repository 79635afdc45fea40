"""Behaviour of the examples of the page "Processes vs threads".

Timings are noisy on a loaded machine, so each test checks an invariant that holds
with a wide margin: sleeping threads overlap, CPU-bound threads do not (on a GIL
build: this process's CPU time never exceeds its wall time), CPU-bound processes do
their work outside this process, processes start slower than threads, asyncio tasks
wait together.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import sysconfig

import pytest
from fresh import measure
from loader import load_example

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
    # The CPU work each costs (fresh.py: six interleaved rounds in a fresh interpreter,
    # the cheapest of each counting), not its wall time, which a loaded machine
    # stretches for threads too. fork is the cheapest way to start a process: if even
    # it costs more, every method does.
    if "fork" in multiprocessing.get_all_start_methods():
        rounds = measure("start_ups_ex02")
        threads, processes = rounds["threads"], rounds["processes"]
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


def assert_threads_take_turns_and_processes_compute_elsewhere(example: str) -> None:
    # CPU time of the measuring process over wall time: at most about 1 while the GIL
    # serialises the threads, whatever else the machine is doing; about 2 when they run
    # in parallel. The processes' work is not counted there at all: it runs under their
    # own GILs, so the parent only pays for starting and joining them.
    took = {name: tuple(pair) for name, pair in measure(f"cpu_{example}").items()}
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
    ran = measure("waits_ex04")
    assert ran["in_turn"] == [f"response {i}" for i in range(ex.WAITS)]
    assert ran["answers"] == ran["in_turn"]
    # The lesson, from when each wait began and ended rather than from total times (a
    # busy machine wakes threads late): one after the other the waits take turns; in
    # threads every one of them is under way at once.
    assert len(ran["sequential"]) == len(ran["threaded"]) == ex.WAITS
    assert most_at_once(ran["sequential"]) == 1, ran
    assert most_at_once(ran["threaded"]) == ex.WAITS, ran


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


def most_at_once(spans: list[list[float]]) -> int:
    """The most of these (began, ended) spans under way at one moment."""
    return max(sum(b <= began < e for b, e in spans) for began, _ in spans)


def test_executors_wait_two_at_a_time_in_both_pools():
    result = run_for_expectation(f"{FOLDER}/ex07_executors.py")
    assert result.ok, result.tail()
    shown = re.findall(r"^(\S+)\s+(\w+PoolExecutor)\s+\d+\.\d{3} s$", result.output, re.M)
    assert sorted(shown) == sorted(
        (workload, executor)
        for workload in ("cpu-bound", "io-bound")
        for executor in ("ThreadPoolExecutor", "ProcessPoolExecutor")
    )
    # The lesson: in neither pool do the waits take turns; two workers wait two at a
    # time. Checked on when each wait began and ended (the example's own function, in an
    # interpreter of its own), not on total times: a busy machine delays the results,
    # not the overlap.
    waits = measure("waits_ex07")
    for executor, stamps in waits["stamps"].items():
        assert len(stamps) == waits["jobs"], (executor, stamps)
        assert most_at_once(stamps) == 2, (executor, stamps)


def test_executors_thread_pool_takes_turns_and_process_pool_computes_elsewhere():
    # The same CPU-time invariant as for ex03, on the example's own pools and workload:
    # it holds however busy the machine is, where comparing durations would not.
    assert_threads_take_turns_and_processes_compute_elsewhere("ex07")
