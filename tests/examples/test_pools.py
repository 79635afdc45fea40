"""Behaviour of the pool examples that their printed output alone does not prove."""

from __future__ import annotations

import multiprocessing as mp
import re

import pytest
from loader import load_example

from example_engine.expectations import run_for_expectation

METHODS = mp.get_all_start_methods()
CONCURRENCY = "examples/pools/ex04_max_concurrency.py"
EXCEPTION = "examples/pools/ex06_worker_exception.py"


@pytest.mark.parametrize("start_method", METHODS)
def test_a_pool_never_runs_more_tasks_at_once_than_it_has_workers(start_method):
    workers = load_example(CONCURRENCY).WORKERS
    result = run_for_expectation(CONCURRENCY, start_method=start_method)
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


def test_imap_hands_over_results_before_all_tasks_are_done():
    result = run_for_expectation("examples/pools/ex03_imap_chunksize.py")
    assert result.ok, result.tail()
    got = re.findall(r"^imap: (\d+) -> (\d+) after ([\d.]+) s$", result.output, re.M)
    assert [int(n) for n, _, _ in got] == [0, 1, 2, 3]  # in input order
    assert all(int(sq) == int(n) ** 2 for n, sq, _ in got)
    assert float(got[0][2]) < float(got[-1][2])


def test_leaving_the_with_block_kills_unfinished_tasks():
    result = run_for_expectation("examples/pools/ex02_apply_async.py")
    assert result.ok, result.tail()
    assert "after the with block: ready=False" in result.output.splitlines()
    assert "get() timed out" in result.output


def test_the_posts_task_really_raises_type_error():
    with pytest.raises(TypeError):
        load_example(EXCEPTION).long_time_task(0)


@pytest.mark.parametrize("start_method", METHODS)
def test_a_workers_exception_is_silent_without_get_and_raised_by_get(start_method):
    result = run_for_expectation(EXCEPTION, start_method=start_method)
    assert result.ok, result.tail()
    assert result.exit_code == 0  # handled in the parent
    silent, _, fetched = result.output.partition("without get():")
    assert fetched, result.output
    assert "TypeError" not in silent  # the first pool swallowed three errors
    assert re.search(r"^with get\(\): TypeError: ", fetched, re.M)
    assert "caused by RemoteTraceback:" in fetched
    assert re.search(r'File ".*ex06_worker_exception\.py", line \d+, in long_time_task', fetched)
