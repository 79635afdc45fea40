"""Behaviour of the distributed examples that their printed output alone does not prove."""

from __future__ import annotations

import re

import pytest

from example_engine.expectations import run_for_expectation


@pytest.mark.parametrize("start_method", [None, "spawn"])
def test_queue_manager_returns_every_result_once(start_method):
    result = run_for_expectation(
        "examples/distributed/ex01_queue_manager.py", start_method=start_method
    )
    assert result.ok, result.tail()
    pairs = [
        (int(n), int(square))
        for n, square in re.findall(r"^(\d+) squared is (\d+)$", result.output, re.M)
    ]
    assert [n for n, _ in pairs] == list(range(1, 7))
    assert all(square == n * n for n, square in pairs)
    # The server was bound to loopback, never to all interfaces.
    assert re.search(r"^manager serving on 127\.0\.0\.1:\d+$", result.output, re.M)


def test_wrong_authkey_is_refused_before_anything_is_served():
    result = run_for_expectation("examples/distributed/ex02_authkey.py")
    assert result.ok, result.tail()
    lines = result.output.splitlines()
    assert any(line.startswith("wrong key: AuthenticationError") for line in lines)
    assert "right key: connected" in lines
    assert not any(line.startswith("wrong key: connected") for line in lines)
