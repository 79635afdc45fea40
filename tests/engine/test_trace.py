"""The tracer: what every process and thread of a run did, recorded from outside the example."""

from __future__ import annotations

import functools
import itertools
import json
import multiprocessing as mp
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from example_engine import runner
from example_engine.normalise import normalise, without_traceback_decoration
from example_engine.runner import RunResult, example_environment, run_example
from example_engine.trace import load_events, short_repr

TRACE = "tests/engine/fixtures/trace"
REPO_ROOT = Path(__file__).resolve().parents[2]
METHODS = mp.get_all_start_methods()
FIXTURES = [
    "process_join",
    "pool_tasks",
    "queue_sentinel",
    "thread_lock",
    "thread_pool",
    "worker_errors",
]


@functools.cache
def traced(name: str, method: str | None = None, trace: bool = True) -> RunResult:
    """Each fixture runs once per start method for the whole module: runs cost 0.1-0.5 s."""
    result = run_example(f"{TRACE}/{name}.py", REPO_ROOT, start_method=method, trace=trace)
    assert result.ok, result.output
    return result


def of(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["ev"] == kind]


def main_pid(events: list[dict[str, Any]]) -> int:
    pids = {e["pid"] for e in events}
    return next(e["pid"] for e in of(events, "proc") if e["ppid"] not in pids)


def max_concurrent(spans: list[tuple[int, int]]) -> int:
    edges = sorted([(t0, 1) for t0, _ in spans] + [(t1, -1) for _, t1 in spans])
    running = peak = 0
    for _, step in edges:  # at equal times, an end (-1) sorts before a start (+1)
        running += step
        peak = max(peak, running)
    return peak


@pytest.mark.parametrize("method", METHODS)
def test_process_lanes_and_their_targets(method):
    events = traced("process_join", method).trace
    assert events is not None
    names = {e["pid"]: e["name"] for e in of(events, "proc_name")}
    assert sorted(names.values()) == ["Process-1", "Process-2"]
    assert {e["target"] for e in of(events, "proc_name")} == {"work"}
    tasks = of(events, "task")
    assert [t["name"] for t in tasks] == ["work", "work"]
    assert {t["pid"] for t in tasks} == set(names)  # one in each child, none in the parent
    assert all(0 < t["t1"] - t["t0"] < 5e9 for t in tasks)
    started = of(events, "proc_start")  # in the parent, when it called start()
    assert {e["name"] for e in started} == set(names.values())
    assert {e["pid"] for e in started} == {main_pid(events)}
    # Every child's file has an end: children leave through os._exit, which the tracer sees.
    assert {e["pid"] for e in of(events, "proc_end")} >= {*names, main_pid(events)}


@pytest.mark.parametrize("method", METHODS)
def test_a_pool_runs_at_most_processes_tasks_at_once(method):
    events = traced("pool_tasks", method).trace
    assert events is not None
    tasks = of(events, "task")
    assert len(tasks) == 6 and {t["name"] for t in tasks} == {"slow_square"}
    workers = {e["pid"]: e["name"] for e in of(events, "proc_name")}
    prefix = {"fork": "Fork", "spawn": "Spawn", "forkserver": "ForkServer"}[method]
    assert all(re.fullmatch(rf"{prefix}PoolWorker-\d", name) for name in workers.values())
    assert {t["pid"] for t in tasks} <= set(workers)
    assert len({t["pid"] for t in tasks}) <= 2
    assert max_concurrent([(t["t0"], t["t1"]) for t in tasks]) <= 2
    # per worker, its tasks follow one another
    for pid in workers:
        mine = sorted((t["t0"], t["t1"]) for t in tasks if t["pid"] == pid)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(mine))


@pytest.mark.parametrize("method", METHODS)
def test_queue_puts_and_gets_with_a_sentinel(method):
    events = traced("queue_sentinel", method).trace
    assert events is not None
    puts, gets = of(events, "put"), of(events, "get")
    assert len(puts) == len(gets) == 11
    queues = [e["queue"] for e in of(events, "queue_new")]
    assert len(queues) == 2  # the example's two; the Pool-less run has no others
    for key in queues:
        assert Counter(e["item"] for e in puts if e["queue"] == key) == Counter(
            e["item"] for e in gets if e["queue"] == key
        )
    names = {e["pid"]: e["name"] for e in of(events, "proc_name")}
    produced = [e["item"] for e in puts if names.get(e["pid"]) == "Process-1"]
    assert produced == ["'ant'", "'bee'", "'cat'", "'dog'", "'eel'", "None"]
    consumed = [e["item"] for e in gets if names.get(e["pid"]) == "Process-2"]
    assert consumed == produced  # one consumer: FIFO, the sentinel last
    assert sorted(e["item"] for e in gets if e["pid"] == main_pid(events)) == [
        "'ANT'",
        "'BEE'",
        "'CAT'",
        "'DOG'",
        "'EEL'",
    ]


def test_lock_holds_never_overlap():
    events = traced("thread_lock").trace
    assert events is not None
    (created,) = of(events, "lock_new")
    assert created["kind"] == "thread" and created["line"] == 6
    holds = sorted(of(events, "lock"), key=lambda e: e["t0"])
    assert len(holds) == 40
    assert all(h["lock"] == created["lock"] for h in holds)
    assert all(h["tw"] <= h["t0"] < h["t1"] for h in holds)
    assert all(a["t1"] <= b["t0"] for a, b in itertools.pairwise(holds))
    threads = {e["tid"]: e["name"] for e in of(events, "thread")}
    assert Counter(threads[h["tid"]] for h in holds) == {"Thread-1 (add)": 20, "Thread-2 (add)": 20}
    assert all(e["user"] for e in of(events, "thread"))


def test_threads_that_run_in_turn_are_told_apart():
    """A thread started after another ended often gets the same pthread handle (what
    threading.get_ident() returns): the trace names threads by the kernel's id."""
    events = traced("threads_in_turn").trace
    assert events is not None
    started = [e for e in of(events, "thread") if e["user"]]
    assert [e["name"] for e in started] == [f"Thread-{n} (work)" for n in (1, 2, 3)]
    assert len({e["tid"] for e in started}) == 3, started


def test_thread_pool_tasks_run_on_its_threads():
    events = traced("thread_pool").trace
    assert events is not None
    threads = {e["tid"]: e["name"] for e in of(events, "thread")}
    tasks = of(events, "task")
    assert len(tasks) == 6 and {t["name"] for t in tasks} == {"fetch"}
    assert {threads[t["tid"]] for t in tasks} <= {
        "ThreadPoolExecutor-0_0",
        "ThreadPoolExecutor-0_1",
    }
    assert max_concurrent([(t["t0"], t["t1"]) for t in tasks]) <= 2
    assert not any(e["user"] for e in of(events, "thread"))  # targets are the executor's


def test_every_kind_of_worker_reports_its_tasks():
    events = traced("worker_errors").trace
    assert events is not None
    # a thread target, a map chunk of two items in a Pool, two executors' calls
    assert sorted(e["name"] for e in of(events, "task")) == ["boom", "boom", "boom", "boom ×2"]


@pytest.mark.parametrize("name", FIXTURES)
def test_tracing_leaves_the_output_unchanged(name):
    # worker_errors prints four tracebacks: the tracer adds no frame to any of them. Which
    # line of Future.result() re-raises depends on whether the result was ready when
    # asked (timing, not tracing): the standard library's line numbers are not compared.
    plain = traced(name, None, trace=False)
    assert plain.trace is None
    ours = without_traceback_decoration(traced(name).output)
    assert ours == without_traceback_decoration(plain.output)


def test_a_failing_start_keeps_its_traceback():
    script = f"{TRACE}/start_fails.py"
    plain = run_example(script, REPO_ROOT, expected_exit_code=1)
    result = run_example(script, REPO_ROOT, expected_exit_code=1, trace=True)
    assert result.ok and "PicklingError" in result.output
    assert normalise(result.output) == normalise(plain.output)  # the lambda's address varies


@pytest.mark.parametrize("method", METHODS)
def test_tracing_leaves_the_output_unchanged_under_each_start_method(method):
    plain = traced("queue_sentinel", method, trace=False)
    assert traced("queue_sentinel", method).output == plain.output


def test_trace_survives_the_json_round_trip():
    result = traced("thread_lock")
    data = json.loads(json.dumps(result.to_json()))
    assert RunResult.from_json(data) == result
    older = {k: v for k, v in result.to_json().items() if k != "trace"}  # cached before traces
    assert RunResult.from_json(older).trace is None


def test_environment_without_trace_is_unchanged(tmp_path):
    env = example_environment(None)
    assert "PYTHONPATH" not in env and "EXAMPLE_TRACE_DIR" not in env
    env = example_environment(None, trace_dir=tmp_path, script=tmp_path / "x.py")
    assert env["PYTHONPATH"] == str(runner.INJECT_DIR)
    assert env["EXAMPLE_TRACE_DIR"] == str(tmp_path)
    assert "EXAMPLE_START_METHOD" not in env


def test_the_temporary_trace_directory_is_removed(monkeypatch, tmp_path):
    made: list[str] = []
    real = runner.tempfile.mkdtemp

    def mkdtemp(**kwargs: Any) -> str:
        made.append(real(dir=tmp_path, **kwargs))
        return made[-1]

    monkeypatch.setattr(runner.tempfile, "mkdtemp", mkdtemp)
    result = run_example("tests/engine/fixtures/hello.py", REPO_ROOT, trace=True)
    assert result.output == "hello\n"
    assert result.trace and [e["ev"] for e in result.trace] == ["proc", "proc_end"]
    assert len(made) == 1 and not Path(made[0]).exists()


def test_engine_fingerprint_covers_the_tracer(monkeypatch, tmp_path):
    before = runner.engine_fingerprint()
    copy = tmp_path / "trace.py"
    copy.write_text(Path(runner.tracing.__file__).read_text() + "\n# changed\n")
    monkeypatch.setattr(runner.tracing, "__file__", str(copy))
    assert runner.engine_fingerprint() != before


def test_load_events_keeps_only_the_examples_locks_and_queues(tmp_path):
    lines = [
        {"ev": "proc", "t": 1, "pid": 7, "tid": 1, "ppid": 1, "kind": "python"},
        {"ev": "lock_new", "t": 2, "pid": 7, "tid": 1, "lock": "mine", "kind": "process"},
        {"ev": "lock", "t": 5, "pid": 7, "tid": 1, "lock": "mine", "tw": 3, "t0": 4, "t1": 5},
        {"ev": "lock", "t": 6, "pid": 7, "tid": 1, "lock": "a queue's", "tw": 3, "t0": 4, "t1": 6},
        {"ev": "put", "t": 7, "pid": 7, "tid": 1, "queue": "pool's", "item": "1"},
    ]
    text = "".join(json.dumps(line) + "\n" for line in lines)
    (tmp_path / "7.jsonl").write_text(text + '{"ev": "get", "t": 8, "pi')  # killed mid-write
    assert [e["ev"] for e in load_events(tmp_path)] == ["proc", "lock_new", "lock"]


def test_short_repr_is_short_and_never_calls_the_examples_repr():
    class Loud:
        def __repr__(self) -> str:
            raise AssertionError("the tracer must not call this")

    assert short_repr("ant") == "'ant'"
    assert short_repr(None) == "None"
    assert short_repr(("ant", 1)) == "('ant', 1)"
    assert short_repr(Loud()) == "<Loud>"
    assert short_repr("x" * 100) == "'" + "x" * 18 + "…"
    assert short_repr(list(range(100))) == "[0, 1, 2, 3, …]"
    assert short_repr(("x" * 30,)) == "('xxxxxxxxxxxxxxxxx…"
