"""Behaviour of the examples on the stopping page (docs/*/stopping.md).

The Ctrl+C examples send SIGINT to their own processes, so they only ever run as their
own process group (run_for_expectation, or watched.py), never inside pytest.
"""

from __future__ import annotations

import ast
import multiprocessing as mp
import re
import signal
import time
from pathlib import Path

import pytest
from loader import load_example
from watched import EXAMPLES

METHODS = mp.get_all_start_methods()
EVENT = "examples/stopping/ex01_event_stop.py"
DAEMON = "examples/stopping/ex02_daemon.py"
CANCEL = "examples/stopping/ex03_cancel_futures.py"
BROKEN = "examples/stopping/ex04_broken_pool.py"
CTRL_C_THREADS = "examples/stopping/ex05_ctrl_c_threads.py"
CTRL_C_POOL = "examples/stopping/ex06_ctrl_c_pool.py"
CTRL_C_EXECUTOR = "examples/stopping/ex07_ctrl_c_executor.py"


def field(output: str, pattern: str) -> re.Match[str]:
    match = re.search(pattern, output, re.MULTILINE)
    assert match, f"no line matching {pattern!r} in:\n{output}"
    return match


# --- the stop Event -------------------------------------------------------------------


def test_a_stop_event_ends_a_waiting_worker_at_once_a_sleeping_one_does_not(monkeypatch, capsys):
    ex = load_example(EVENT)
    monkeypatch.setattr(ex, "INTERVAL", 1.0)
    waiter = ex.stop_and_join(ex.waiter)
    started = time.perf_counter()
    sleeper = ex.stop_and_join(ex.sleeper)
    sleeper_in_all = time.perf_counter() - started
    # The waiter wakes up from wait(1.0) when set() is called. The sleeper cannot: its
    # join() returns only once a whole time.sleep(1.0) is over, however late the main
    # thread got to set() on a busy machine (so its start counts, not set()).
    assert waiter < 0.5
    assert sleeper_in_all >= ex.INTERVAL
    assert sleeper > waiter
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["waiter: stop seen, cleaning up", "sleeper: stop seen, cleaning up"]


# --- daemon processes and daemon threads ----------------------------------------------


@pytest.mark.parametrize("start_method", METHODS)
def test_a_daemon_process_is_gone_when_its_parent_has_exited(start_method, alone_runs):
    run = alone_runs[DAEMON, start_method]
    assert run.exit_code == 0, run.output
    daemon = int(field(run.output, r"^daemon process: running in pid=(\d+)$")[1])
    thread_pid = int(field(run.output, r"^daemon thread: running in pid=(\d+)$")[1])
    main = int(field(run.output, r"^main: pid=(\d+), returning")[1])
    assert thread_pid == main != daemon  # a thread lives in its process, a child does not
    # The parent terminated and joined it on its way out, before it exited itself.
    assert daemon not in run.alive_at_exit
    assert "cleaned up" not in run.output  # neither ran its finally block
    lines = run.output.splitlines()
    gone = "observer: the daemon process is gone, its end of the pipe closed"
    assert lines.index(gone) > lines.index(field(run.output, r"^main: .*$")[0])


# --- shutdown(cancel_futures=True) ----------------------------------------------------


def test_cancel_futures_cancels_every_pending_future_and_finishes_every_running_one(shared_run):
    result = shared_run(CANCEL)
    assert result.ok, result.tail()
    states = ast.literal_eval(field(result.output, r"^after shutdown: (\[.*\])$")[1])
    results = ast.literal_eval(field(result.output, r"^results: (\[.*\])$")[1])
    assert len(states) == len(results) == 6
    assert states.count("running") == 2  # max_workers tasks had started
    assert "pending" not in states
    for n, (state, value) in enumerate(zip(states, results, strict=True)):
        if state == "running":
            assert value == n * n  # it finished, with its result
        else:
            assert (state, value) == ("cancelled", "cancelled")
    assert "submit() after shutdown: RuntimeError" in result.output


# --- BrokenProcessPool ----------------------------------------------------------------


@pytest.mark.parametrize("start_method", METHODS)
def test_a_dead_worker_breaks_every_unfinished_future_and_the_pool(start_method, shared_run):
    result = shared_run(BROKEN, start_method)
    assert result.ok, result.tail()
    broken = re.findall(r"^(.+?): BrokenProcessPool: ", result.output, re.MULTILINE)
    assert broken == ["crash()", "slow(0)", "slow(1)", "slow(2)", "submit() afterwards"]
    assert "not usable anymore" in result.output.splitlines()[-1]
    # The other workers were terminated, not waited for: slow() sleeps 10 s.
    assert result.duration_s < 10


# --- Ctrl+C ---------------------------------------------------------------------------


def test_ctrl_c_reaches_only_the_main_thread_and_a_stop_event_passes_it_on(shared_run):
    result = shared_run(CTRL_C_THREADS)
    assert result.ok, result.tail()
    not_told, _, told = result.output.partition("Ctrl+C turned into stop.set():")
    assert told, result.output
    for part in (not_told, told):
        assert "KeyboardInterrupt raised in MainThread" in part
    assert "worker: finished all its work" in not_told
    assert "stop seen" in told and "finished all its work" not in told
    waits = [float(s) for s in re.findall(r"join\(\) waited ([\d.]+) s", result.output)]
    assert len(waits) == 2
    assert waits[0] >= 0.2  # the untold worker did its three rounds of 0.1 s
    assert waits[1] < waits[0]


@pytest.mark.parametrize("start_method", METHODS)
def test_ctrl_c_pool_workers_ignore_sigint_and_are_terminated(start_method, shared_run):
    result = shared_run(CTRL_C_POOL, start_method)
    assert result.ok, result.tail()
    assert "main: KeyboardInterrupt, terminating the pool" in result.output
    assert "all results" not in result.output
    # No worker died of the SIGINT (exit code 1, with a traceback): terminate() ended
    # them all with SIGTERM.
    assert "Traceback" not in result.output
    codes = ast.literal_eval(field(result.output, r"^worker exit codes: (\[.*\])$")[1])
    assert codes == [-signal.SIGTERM] * 2


@pytest.mark.parametrize("start_method", METHODS)
def test_ctrl_c_executor_cancels_the_backlog_and_no_task_fails(start_method, shared_run):
    result = shared_run(CTRL_C_EXECUTOR, start_method)
    assert result.ok, result.tail()
    assert "Traceback" not in result.output
    assert "none failed: True" in result.output.splitlines()
    stopped = float(field(result.output, r"^stopped ([\d.]+) s after Ctrl\+C$")[1])
    # Without cancel_futures, the 18 tasks that had not started when the first result
    # came (0.2 s each, on two workers) would all run: 1.8 s at least.
    assert stopped < 18 * 0.2 / 2


# --- every example -----------------------------------------------------------------


@pytest.mark.parametrize("start_method", METHODS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: Path(e).stem)
def test_no_example_leaves_a_process_behind(example, start_method, alone_runs):
    run = alone_runs[example, start_method]
    assert run.exit_code == 0, run.output
    assert run.leftovers == [], f"still running after {example} ended: {run.leftovers}"
