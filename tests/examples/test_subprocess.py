"""Behaviour of the subprocess examples that their printed output alone does not prove."""

from __future__ import annotations

import re
import secrets

from loader import load_example

from example_engine.expectations import run_for_expectation


def test_timeout_kills_the_child_instead_of_waiting_for_it():
    result = run_for_expectation("examples/subprocess/ex02_errors.py")
    assert result.ok, result.tail()
    assert re.search(r"^TimeoutExpired: ", result.output, re.MULTILINE)
    assert "never printed" not in result.output
    # The slow child sleeps 10 s: finishing well before that means run() killed it.
    assert result.duration_s < 5


def test_lines_arrive_while_the_child_is_still_running():
    result = run_for_expectation("examples/subprocess/ex04_stream_lines.py")
    assert result.ok, result.tail()
    arrivals = [float(t) for t in re.findall(r"after (\d+\.\d) s", result.output)]
    assert len(arrivals) == 3
    # The child sleeps 0.2 s after each line; read at the end, they would arrive together.
    assert arrivals == sorted(arrivals)
    assert arrivals[-1] - arrivals[0] >= 0.2


def test_shell_true_runs_the_injected_command_and_the_list_does_not():
    example = load_example("examples/subprocess/ex05_shell_injection.py")
    token = "INJECTED_" + secrets.token_hex(4)
    host = f"example.org && echo {token}"

    unsafe_lines = [line.rstrip() for line in example.unsafe(host).splitlines()]
    assert unsafe_lines == ["looking up example.org", token]

    safe_lines = example.safe(host).splitlines()
    assert safe_lines == [f"looking up {host}"]
