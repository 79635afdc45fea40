"""Behaviour of the process examples that their printed output alone does not prove."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import signal

import pytest

from example_engine.expectations import run_for_expectation

METHODS = mp.get_all_start_methods()


def field(output: str, pattern: str) -> re.Match[str]:
    match = re.search(pattern, output, re.MULTILINE)
    assert match, f"no line matching {pattern!r} in:\n{output}"
    return match


@pytest.mark.parametrize("start_method", METHODS)
def test_child_is_a_separate_process_whose_parent_is_the_script(start_method, shared_run):
    result = shared_run("examples/processes/ex01_start_join.py", start_method)
    assert result.ok, result.tail()
    parent = int(field(result.output, r"^parent: pid=(\d+)$")[1])
    child = field(result.output, r"^child 'test': pid=(\d+) ppid=(\d+)$")
    assert int(child[1]) != parent
    if start_method == "forkserver":
        # The page says so: the fork server, not the script, is the child's parent.
        assert int(child[2]) != parent
    else:
        assert int(child[2]) == parent
    # join() returned only after the child had printed.
    lines = result.output.splitlines()
    assert lines.index("child process ended") > lines.index(child[0])


@pytest.mark.parametrize("start_method", METHODS)
def test_join_waits_until_the_child_has_exited(start_method, shared_run):
    result = shared_run("examples/processes/ex02_join_waits.py", start_method)
    assert result.ok, result.tail()
    before = field(result.output, r"^after start: alive=(\w+) exitcode=(\S+)$")
    after = field(result.output, r"^after join: +alive=(\w+) exitcode=(\S+)$")
    assert before.groups() == ("True", "None")
    assert after.groups() == ("False", "0")
    blocked = float(field(result.output, r"^join\(\) blocked for ([\d.]+) s$")[1])
    assert blocked >= 0.1  # the child sleeps 0.2 s after start() returned


@pytest.mark.parametrize("start_method", METHODS)
def test_exit_codes_tell_how_each_child_ended(start_method, shared_run):
    result = shared_run("examples/processes/ex03_exit_codes.py", start_method)
    assert result.ok, result.tail()
    codes = [int(c) for c in re.findall(r"exitcode=(-?\d+)", result.output)]
    assert codes == [0, 3, -signal.SIGTERM]


def test_spawn_runs_the_module_body_again_but_not_the_main_block(shared_run):
    result = shared_run("examples/processes/ex04_main_guard.py")
    assert result.ok, result.tail()
    names = re.findall(r"^module body: __name__='(\w+)'$", result.output, re.M)
    assert names == ["__main__", "__mp_main__"]
    assert result.output.count("parent starts the child") == 1
    assert result.output.count("work() in the child") == 1


def test_os_fork_returns_twice_and_the_parent_reaps_the_child(shared_run):
    result = shared_run("examples/processes/ex05_os_fork.py")
    assert result.ok, result.tail()
    if not hasattr(os, "fork"):
        assert "does not exist on this platform" in result.output
        return
    parent = int(field(result.output, r"^parent: pid=(\d+)$")[1])
    child = field(result.output, r"^child: +pid=(\d+) ppid=(\d+)$")
    reaped = field(result.output, r"^parent: child pid=(\d+) exited with code (\d+)$")
    assert int(child[2]) == parent
    assert reaped[1] == child[1]
    assert reaped[2] == "7"


@pytest.mark.parametrize("unbuffered", [True, False], ids=["unbuffered", "buffered"])
def test_a_bare_fork_copies_what_was_not_flushed(unbuffered):
    example = "examples/processes/ex06_fork_copies_buffer.py"
    result = run_for_expectation(example, unbuffered=unbuffered)
    assert result.ok, result.tail()
    if not hasattr(os, "fork"):
        assert "does not exist on this platform" in result.output
        return
    lines = result.output.splitlines()
    # Unflushed at the fork: written once by the child, with its line behind it, and
    # once more by the parent.
    assert lines.count("written, not flushed") == 2
    first, second = (i for i, line in enumerate(lines) if line == "written, not flushed")
    assert lines[first + 1] == "  child after fork 1"
    assert lines[second + 1] == "  parent after fork 1"
    # Flushed before the fork: once.
    assert lines.count("written and flushed") == 1
    assert lines.index("written and flushed") < lines.index("  child after fork 2")
