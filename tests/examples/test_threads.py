"""Behaviour of the examples on the threads page (docs/*/threads.md)."""

from __future__ import annotations

import queue
import re
import threading
import types

from fresh import measure
from loader import load_example


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


def test_interpreter_waits_for_a_non_daemon_thread_at_exit(shared_run):
    result = shared_run("examples/threads/ex03_wait_at_exit.py")
    assert result.ok, result.problem()
    lines = result.output.splitlines()
    # The worker finished after main() had returned, and before the exit handlers ran.
    assert lines == [
        "main: returning without join()",
        "worker: finished",
        "at exit: worker alive=False",
    ]


def test_daemon_thread_is_abandoned_at_exit(shared_run):
    result = shared_run("examples/threads/ex04_daemon.py")
    assert result.ok, result.problem()
    lines = result.output.splitlines()
    # The daemon was still running when the exit handlers ran, and did not delay the
    # exit: its endless loop was stopped where it was, its finally block never ran.
    assert "at exit: heartbeat daemon=True alive=True" in lines
    assert "heartbeat: cleaned up" not in lines
    assert result.duration_s < 5


def test_every_queued_item_is_consumed_exactly_once():
    ex = load_example("examples/threads/ex05_queue_sentinel.py")
    items = list(range(60))  # 10 ms each: 0.6 s for one consumer
    for consumers in (1, 2, 5):
        handled = run_with_deadline(ex.run, items, consumers)
        assert len(handled) == consumers
        assert sorted(item for own in handled for item in own) == items
        assert all(ex.DONE not in own for own in handled)


def test_a_missing_sentinel_leaves_a_consumer_waiting_forever(monkeypatch):
    ex = load_example("examples/threads/ex05_queue_sentinel.py")
    real_producer = ex.producer
    # One sentinel too few: the last consumer waits in get() for ever.
    monkeypatch.setattr(
        ex, "producer", lambda tasks, items, consumers: real_producer(tasks, items, consumers - 1)
    )
    runner = threading.Thread(target=ex.run, args=([1, 2, 3], 2), daemon=True)
    runner.start()
    runner.join(timeout=1)
    assert runner.is_alive()


def test_queue_join_returns_only_after_task_done_for_every_item(monkeypatch):
    ex = load_example("examples/threads/ex06_queue_join.py")
    at_join = []

    class CountingQueue(queue.Queue):
        def __init__(self):
            super().__init__()
            self.done_calls = 0
            self.count_lock = threading.Lock()

        def task_done(self):
            with self.count_lock:
                self.done_calls += 1
            super().task_done()

        def join(self):
            super().join()
            at_join.append(self.done_calls)

    # Only the example's own name `queue` is replaced, not the queue module.
    monkeypatch.setattr(ex, "queue", types.SimpleNamespace(Queue=CountingQueue))
    items = range(30)
    # run() takes every result with get_nowait(), which raises queue.Empty if join()
    # returned before the work was done.
    assert run_with_deadline(ex.run, items, 4) == [n * n for n in items]
    assert at_join == [len(items)]


def test_pool_map_yields_in_input_order_whatever_order_the_tasks_end_in():
    # The exact schedule the page shows (3, 2, 5, 4, 1) is the build's run, compared with
    # the example's .out. This test checks the lesson itself, in a fresh interpreter (in
    # the test process a background thread holding the GIL could wake a task late) with
    # the durations doubled: the shortest task ends first, 0.2 s before any other, the
    # tasks do not end in input order, and map() still yields in input order.
    ran = measure("order_threads_ex07")
    assert sorted(ran["order"]) == [1, 2, 3, 4, 5], ran
    assert ran["order"][0] == 3 and ran["order"] != [1, 2, 3, 4, 5], ran
    assert ran["results"] == [f"page {n}" for n in range(1, 6)]


def test_pool_runs_one_task_at_a_time_with_one_worker():
    ex = load_example("examples/threads/ex07_pool_map.py")
    results, order = ex.run([1, 2, 3, 4, 5], max_workers=1)
    assert order == [1, 2, 3, 4, 5]  # with any overlap, item 3 (0.1 s) would end first
    assert results == [f"page {n}" for n in range(1, 6)]


def test_failed_future_reports_its_exception(capsys):
    ex = load_example("examples/threads/ex08_as_completed.py")
    ex.main()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "'10' -> 10"
    assert lines[2].startswith("'x' -> failed: invalid literal for int()")
    assert lines[3] == "'40' -> 40"


def run_with_deadline(function, *args, seconds=10):
    """Call in a daemon thread: a thread left waiting fails the test, not hangs it."""
    outcome = []
    runner = threading.Thread(target=lambda: outcome.append(function(*args)), daemon=True)
    runner.start()
    runner.join(timeout=seconds)
    assert outcome, f"still running after {seconds} s"
    return outcome[0]
