"""Behaviour of the examples on the threads page (docs/*/threads.md)."""

from __future__ import annotations

import re

from loader import load_example

from example_engine.expectations import run_for_expectation


def test_main_thread_waits_for_joined_thread(capsys):
    ex = load_example("examples/threads/ex01_start_join.py")
    ex.main()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "thread MainThread is running..."
    assert lines[-1] == "thread MainThread ended."
    assert [line for line in lines if ">>>" in line] == [
        f"thread LoopThread >>> {n}" for n in range(1, 6)
    ]


def test_unnamed_threads_are_named_after_their_target(capsys):
    ex = load_example("examples/threads/ex02_thread_names.py")
    ex.main()
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"Thread-\d+ \(loop\)", lines[0])
    assert re.fullmatch(r"Thread-\d+ \(work\)", lines[1])
    assert lines[2] == "LoopThread"
    assert re.fullmatch(r"Thread-\d+", lines[3])


def test_daemon_thread_is_abandoned_at_exit():
    result = run_for_expectation("examples/threads/ex03_daemon.py")
    assert result.ok, result.problem()
    lines = result.output.splitlines()
    # The non-daemon worker outlived main() and was waited for...
    assert lines.index("worker: finished") > lines.index("main: returning without join()")
    assert "at exit: worker daemon=False alive=False" in lines
    # ...the daemon was still running at exit, never finished, and did not delay it.
    assert "at exit: heartbeat daemon=True alive=True" in lines
    assert "heartbeat: finished" not in lines
    assert result.duration_s < 5


def test_pool_never_runs_more_tasks_than_max_workers():
    ex = load_example("examples/threads/ex04_pool_map.py")
    items = [5] * 6  # 0.05 s each
    for max_workers in (1, 2, 4):
        results, peak = ex.run(items, max_workers=max_workers)
        assert results == [25] * 6
        assert 1 <= peak <= max_workers


def test_pool_map_keeps_input_order_although_first_items_finish_last():
    ex = load_example("examples/threads/ex04_pool_map.py")
    results, _ = ex.run([1, 2, 3, 4, 5], max_workers=5)
    assert results == [1, 4, 9, 16, 25]


def test_failed_future_reports_its_exception(capsys):
    ex = load_example("examples/threads/ex05_as_completed.py")
    ex.main()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "'10' -> 10"
    assert lines[2].startswith("'x' -> failed: invalid literal for int()")
    assert lines[3] == "'40' -> 40"
