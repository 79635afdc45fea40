"""Behaviour of the pool examples that their printed output alone does not prove."""

from __future__ import annotations

import multiprocessing as mp
import re
import sys

import pytest
from fresh import measure
from loader import load_example

METHODS = mp.get_all_start_methods()
CONCURRENCY = "examples/pools/ex08_max_concurrency.py"
EXCEPTION = "examples/pools/ex09_worker_exception.py"


@pytest.mark.parametrize("start_method", METHODS)
def test_a_pool_never_runs_more_tasks_at_once_than_it_has_workers(start_method, shared_run):
    workers = load_example(CONCURRENCY).WORKERS
    result = shared_run(CONCURRENCY, start_method)
    assert result.ok, result.tail()
    assert f"never more than {workers} tasks at once: True\n" in result.output


@pytest.mark.parametrize(
    ("intervals", "expected"),
    [
        ([], 0),
        ([(0.0, 1.0)], 1),
        ([(0.0, 1.0), (1.0, 2.0)], 1),  # one ends as the next starts: no overlap
        ([(0.0, 2.0), (1.0, 3.0), (1.5, 1.7), (2.5, 4.0)], 3),
        ([(0.0, 1.0), (0.0, 1.0), (0.0, 1.0)], 3),
    ],
)
def test_peak_concurrency_counts_overlapping_intervals(intervals, expected):
    assert load_example(CONCURRENCY).peak_concurrency(intervals) == expected


def test_imap_hands_over_results_before_all_tasks_are_done(shared_run):
    result = shared_run("examples/pools/ex06_imap.py")
    assert result.ok, result.tail()
    got = re.findall(r"^imap: (\d+) -> (\d+) after ([\d.]+) s$", result.output, re.M)
    assert [int(n) for n, _, _ in got] == [0, 1, 2, 3]  # in input order
    assert all(int(sq) == int(n) ** 2 for n, sq, _ in got)
    # That each result comes before all the tasks are done, shown without timing: each
    # task waits until the consumer has received the one before it (a map() would let
    # none of them end before its 10 s gate timed out).
    handed = measure("handover_pools_ex06")["got"]
    assert handed == [[n, n * n, True] for n in range(4)]


@pytest.mark.parametrize("start_method", METHODS)
def test_the_executor_waits_at_the_end_of_its_block_and_the_pool_kills(start_method, shared_run):
    result = shared_run("examples/pools/ex05_leaving_the_block.py", start_method)
    assert result.ok, result.tail()
    lines = result.output.splitlines()
    assert "executor: done=True, result=25" in lines
    assert "Pool: ready=False" in lines
    assert "Pool: get() timed out; this result will never come" in lines


def test_apply_async_returns_before_the_tasks_are_done_and_get_waits(shared_run):
    result = shared_run("examples/pools/ex04_apply_async.py")
    assert result.ok, result.tail()
    lines = result.output.splitlines()
    assert lines == [
        "ready after submitting: [False, False, False, False]",
        "[0, 1, 4, 9]",
        "ready after get():      [True, True, True, True]",
    ]


def test_the_executor_returns_futures_and_maps_in_input_order(shared_run):
    result = shared_run("examples/pools/ex01_executor.py")
    assert result.ok, result.tail()
    lines = result.output.splitlines()
    assert lines[0] == "submit() returned a Future"
    assert lines[1] == f"future.result() -> {12 * 12}"
    assert lines[2] == f"map() -> {[n * n for n in range(6)]}"


def test_as_completed_yields_every_future_once(shared_run):
    result = shared_run("examples/pools/ex02_as_completed.py")
    assert result.ok, result.tail()
    got = re.findall(r"^(\d+) -> (\d+)$", result.output, re.M)
    assert [(int(n), int(sq)) for n, sq in got] == [(1, 1), (2, 4), (3, 9)]


def test_a_chunk_goes_to_one_worker_and_chunks_are_faster_than_single_tasks(shared_run):
    result = shared_run("examples/pools/ex07_chunksize.py")
    assert result.ok, result.tail()
    assert "each chunk ran in one worker: True" in result.output.splitlines()
    # The same tasks, in the same run: one message per task against one per chunk.
    ratio = float(re.search(r"was ([\d.]+)x faster", result.output)[1])
    assert ratio > 1


def pids_by_task(output: str) -> list[int]:
    tasks = re.findall(r"^task (\d+): pid=(\d+)$", output, re.M)
    assert [int(n) for n, _ in tasks] == list(range(len(tasks))), output
    return [int(pid) for _, pid in tasks]


@pytest.mark.parametrize("start_method", METHODS)
def test_the_initializer_runs_once_in_each_worker_not_once_per_task(start_method, shared_run):
    result = shared_run("examples/pools/ex10_initializer.py", start_method)
    assert result.ok, result.tail()
    lines = re.findall(
        r"^hello (\d+): pid=(\d+), setups in this worker: (\d+)$", result.output, re.M
    )
    assert [int(n) for n, _, _ in lines] == list(range(6))
    pids = [int(pid) for _, pid, _ in lines]
    assert len(set(pids)) <= 2  # max_workers=2
    assert max(pids.count(pid) for pid in pids) >= 3  # six tasks on two workers at most
    assert {setups for _, _, setups in lines} == {"1"}  # so: once per worker


@pytest.mark.parametrize("start_method", METHODS)
def test_max_tasks_per_child_gives_every_task_a_fresh_worker(start_method, shared_run):
    example = "examples/pools/ex11_max_tasks_per_child.py"
    result = shared_run(example, start_method)
    assert result.ok, result.tail()
    if sys.version_info < (3, 11):
        assert result.output == "max_tasks_per_child needs Python 3.11 or newer\n"
        return
    pids = pids_by_task(result.output)
    assert len(pids) == 6
    assert len(set(pids)) == 6  # max_tasks_per_child=1: no worker ran two tasks
    assert "6 tasks, 6 different worker processes" in result.output


@pytest.mark.parametrize("start_method", METHODS)
def test_maxtasksperchild_replaces_the_pools_worker_every_two_tasks(start_method, shared_run):
    example = "examples/pools/ex12_maxtasksperchild.py"
    result = shared_run(example, start_method)
    assert result.ok, result.tail()
    pids = pids_by_task(result.output)
    assert len(pids) == 6
    assert pids[0] == pids[1] and pids[2] == pids[3] and pids[4] == pids[5]
    assert len({pids[0], pids[2], pids[4]}) == 3
    assert "6 tasks, 3 different worker processes" in result.output


@pytest.mark.parametrize("start_method", METHODS)
def test_a_dead_worker_breaks_the_executor_but_leaves_the_pool_waiting(start_method, shared_run):
    result = shared_run("examples/pools/ex13_worker_dies.py", start_method)
    assert result.ok, result.tail()
    lines = result.output.splitlines()
    assert lines[0].startswith("executor: BrokenProcessPool: ")
    assert lines[1] == "Pool: get() timed out; without a timeout it would wait forever"


def test_the_posts_task_really_raises_type_error():
    with pytest.raises(TypeError):
        load_example(EXCEPTION).long_time_task(0)


@pytest.mark.parametrize("start_method", METHODS)
def test_a_workers_exception_is_silent_without_get_and_raised_by_get(start_method, shared_run):
    result = shared_run(EXCEPTION, start_method)
    assert result.ok, result.tail()
    assert result.exit_code == 0  # handled in the parent
    silent, _, fetched = result.output.partition("without get():")
    assert fetched, result.output
    assert "TypeError" not in silent  # the first pool swallowed three errors
    assert re.search(r"^with get\(\): TypeError: ", fetched, re.M)
    assert "caused by RemoteTraceback:" in fetched
    assert re.search(r'File ".*ex09_worker_exception\.py", line \d+, in long_time_task', fetched)
