"""Behaviour of the examples of the page "Interpreters" (Python 3.14's concurrent.interpreters).

The examples need CPython 3.14 (``min_python``), which CI's Debian machine lacks (it has
3.10-3.13). No test skips: where 3.14 is missing, each one asserts what the page then
shows, that the run cannot be made here (the tab says "not on this build machine");
where 3.14 is there, it runs the example under it and checks the lesson's invariant.

Timing on a shared machine is noisy, and under contention a process gets no more CPU
with two busy threads than with one, so parallelism is proved without the clock (two
tasks that can only finish if they run at the same moment) and speed is compared with
processes measured in the same run, which face the same load.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from example_engine.catalog import Variant
from example_engine.expectations import REPO_ROOT, example_at, run_for_expectation
from example_engine.interpreters import Unavailable, resolve
from example_engine.runner import Python, RunResult, run_example

FOLDER = "examples/interpreters"
PY314 = Variant("3.14")
EXAMPLES = sorted(p.name for p in (REPO_ROOT / FOLDER).glob("ex*.py"))


def python314(name: str) -> Python | None:
    """3.14 as the build would run `name` with it, or None after asserting the page says
    why not (this machine has no 3.14)."""
    path = f"{FOLDER}/{name}"
    found = resolve(example_at(path), PY314)
    if isinstance(found, Unavailable):
        assert found == Unavailable("python", "3.14"), found
        with pytest.raises(LookupError, match="cannot run here"):
            run_for_expectation(path, variant=PY314)
        return None
    assert found.name == "3.14" and found.interpreter.gil_enabled, found
    return found


def run314(name: str) -> RunResult | None:
    """One run of the example under 3.14, or None where the page says it cannot run."""
    if python314(name) is None:
        return None
    result = run_for_expectation(f"{FOLDER}/{name}", variant=PY314)
    assert result.ok, result.tail()
    return result


def constant(name: str, variable: str) -> object:
    """A module-level constant of an example, read from its source (3.11 cannot import it)."""
    tree = ast.parse((REPO_ROOT / FOLDER / name).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == [variable]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"no {variable} in {name}")


def value_after(output: str, label: str) -> object:
    match = re.search(rf"^{re.escape(label)}\s*(.+)$", output, re.MULTILINE)
    assert match, f"no {label!r} in:\n{output}"
    return ast.literal_eval(match[1])


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_is_shown_under_314_and_its_free_threaded_build(name):
    settings = example_at(f"{FOLDER}/{name}").settings
    assert settings.pythons == ("3.14", "3.14t")
    assert settings.min_python == "3.14"
    assert resolve(example_at(f"{FOLDER}/{name}"), Variant("3.13")) == Unavailable(
        "newer_python", "3.14"
    )


def test_another_interpreter_has_its_own_modules_and_state():
    r = run314("ex01_call_and_state.py")
    if r is None:
        return
    main_id, main_module, main_tag = value_after(r.output, "main:")
    other_id, other_module, other_tag = value_after(r.output, "interp:")
    assert main_id == 0 and other_id != main_id
    assert main_module == "__main__"
    assert other_module != "__main__"  # the script ran again there, under another name
    assert (main_tag, other_tag) == (None, "set by exec")  # each interpreter its own sys
    main_bumps = re.search(r"^main bumps:\s+(.+)$", r.output, re.M)[1].split()
    other_bumps = re.search(r"^interp bumps:\s+(.+)$", r.output, re.M)[1].split()
    assert main_bumps == ["1", "2", "3"]
    assert other_bumps == ["1", "2"]  # counted from 0 again, in its own copy
    assert value_after(r.output, "main counter:") == len(main_bumps)


@pytest.mark.parametrize("attempt", range(3))  # the order of arrival is free: try it
def test_every_item_sent_through_the_queue_arrives_once(attempt):
    r = run314("ex02_queue.py")
    if r is None:
        return
    items = constant("ex02_queue.py", "ITEMS")
    received = value_after(r.output, "received:")
    assert sorted(n for n, _ in received) == list(range(items))
    assert all(square == n * n for n, square in received)
    assert f"{items} results, every item exactly once: True" in r.output


def test_a_list_is_copied_a_memoryview_shared_a_lock_refused():
    r = run314("ex03_what_crosses.py")
    if r is None:
        return
    assert value_after(r.output, "list there:") == ["a", "b", "added there"]
    assert value_after(r.output, "list here:") == ["a", "b"]  # the original, untouched
    assert "buffer here:  bytearray(b'XY')" in r.output  # written from the other side
    assert "NotShareableError, a TypeError: True" in r.output
    assert "does not support cross-interpreter data" in r.output


def test_the_interpreter_pool_returns_the_thread_pools_results():
    r = run314("ex04_pool_vs_threads.py")
    if r is None:
        return
    n, jobs = constant("ex04_pool_vs_threads.py", "N"), constant("ex04_pool_vs_threads.py", "JOBS")
    assert value_after(r.output, "results:") == [n // 2] * jobs  # odd numbers below n
    assert "same results from both: True" in r.output
    pools = re.findall(r"^cpu-bound\s+(\w+)\s+\d+\.\d+ s$", r.output, re.M)
    assert pools == ["ThreadPoolExecutor", "InterpreterPoolExecutor"]


# Run by 3.14 from a temporary folder. meet() spins in pure Python, so it never lets go
# of its interpreter's GIL, until the other task has started too or the time is up. With
# a switch interval far longer than that, threads sharing one GIL cannot both get there.
MEET = """\
import sys
import time
from concurrent.futures import InterpreterPoolExecutor, ThreadPoolExecutor


def meet(flags, me, timeout):
    flags[me] = 1
    deadline = time.perf_counter() + timeout
    while flags[1 - me] == 0:
        if time.perf_counter() > deadline:
            return False
    return True


if __name__ == "__main__":
    sys.setswitchinterval(1000)
    for pool_class in (ThreadPoolExecutor, InterpreterPoolExecutor):
        flags = memoryview(bytearray(2))  # shared with the other interpreters, not copied
        with pool_class(2) as pool:
            met = list(pool.map(meet, [flags] * 2, [0, 1], [2.0] * 2))
        print(pool_class.__name__, all(met))
"""


def run_script(tmp_path: Path, python: Python, source: str) -> str:
    (tmp_path / "script.py").write_text(source, encoding="utf-8")
    result = run_example("script.py", tmp_path, python=python, timeout_s=120)
    assert result.ok, result.tail()
    return result.output


def test_interpreter_pool_workers_run_python_at_the_same_moment_threads_never(tmp_path):
    python = python314("ex04_pool_vs_threads.py")
    if python is None:
        return
    output = run_script(tmp_path, python, MEET)
    assert output.splitlines() == ["ThreadPoolExecutor False", "InterpreterPoolExecutor True"]


# The same pure-Python work on each pool, two workers each, rounds taking turns.
RACE = """\
import time
from concurrent.futures import (
    InterpreterPoolExecutor, ProcessPoolExecutor, ThreadPoolExecutor)


def crunch(n):
    total = 0
    for i in range(n):
        total += i & 1
    return total


if __name__ == "__main__":
    pools = [ProcessPoolExecutor(2), ThreadPoolExecutor(2), InterpreterPoolExecutor(2)]
    best = {}
    for pool in pools:  # start the workers (the processes before any interpreter exists)
        list(pool.map(crunch, [100_000] * 2))
    for _ in range(4):
        for pool in pools:
            start = time.perf_counter()
            assert list(pool.map(crunch, [4_000_000] * 2)) == [2_000_000] * 2
            took = time.perf_counter() - start
            best[type(pool).__name__] = min(best.get(type(pool).__name__, took), took)
    for pool in pools:
        pool.shutdown()
    for name, took in best.items():
        print(name, took)
"""


def test_interpreter_pool_computes_as_fast_as_processes_where_threads_cannot(tmp_path):
    # With two idle cores, processes take about half the threads' time on a GIL build,
    # and so must interpreters; on a busy machine none of them gains, and neither may
    # the interpreters fall behind the processes measured beside them.
    python = python314("ex04_pool_vs_threads.py")
    if python is None:
        return
    lines = run_script(tmp_path, python, RACE).splitlines()
    took = {name: float(seconds) for name, seconds in (line.split() for line in lines)}
    assert took["InterpreterPoolExecutor"] < 1.35 * took["ProcessPoolExecutor"], took


def test_a_new_interpreter_costs_more_than_a_forked_process_and_less_than_spawn():
    r = run314("ex05_startup_cost.py")
    if r is None:
        return
    ms = {
        name: float(value)
        for name, value in re.findall(r"^  (.+?):\s+(\d+\.\d+) ms$", r.output, re.MULTILINE)
    }
    assert {"thread", "interpreter", "process (spawn)"} <= set(ms), r.output
    assert ms["thread"] < ms["interpreter"] / 10, ms
    assert ms["interpreter"] < ms["process (spawn)"], ms  # spawn starts an interpreter too
    if "process (fork)" in ms:
        assert ms["process (fork)"] < ms["interpreter"], ms


def test_an_extension_module_without_subinterpreter_support_is_refused():
    r = run314("ex06_extension_modules.py")
    if r is None:
        return
    assert "json: imported" in r.output
    assert "sqlite3: imported" in r.output
    assert "readline: ExecutionFailed" in r.output  # the other interpreter's error, summed up
    if sys.platform == "win32":  # no readline there at all
        assert "ModuleNotFoundError: No module named 'readline'" in r.output
    else:
        assert "ImportError: module readline does not support loading in subinterpreters" in (
            r.output
        )
