"""Behaviour of the distributed examples that their printed output alone does not prove."""

from __future__ import annotations

import queue
import re
from types import SimpleNamespace

import pytest
from loader import load_example

from example_engine.expectations import run_for_expectation

MASTER = "examples/distributed/ex01_queue_master.py"


def test_master_serves_on_loopback_and_holds_only_a_proxy():
    result = run_for_expectation(MASTER)
    assert result.ok, result.tail()
    # The server was bound to loopback, never to all interfaces.
    assert re.search(r"^master serving on 127\.0\.0\.1:\d+$", result.output, re.M)
    assert "the master holds a proxy: AutoProxy[get_tasks]\n" in result.output
    # Six numbers and two sentinels wait in the server process, not in the master.
    assert "waiting in the server process: 8 items\n" in result.output


def test_hand_out_puts_every_number_then_one_sentinel_per_worker():
    example = load_example(MASTER)
    tasks = queue.Queue()
    example.hand_out(SimpleNamespace(get_tasks=lambda: tasks), workers=3)
    sent = [tasks.get_nowait() for _ in range(tasks.qsize())]
    assert sent == [*example.NUMBERS, None, None, None]


@pytest.mark.parametrize("start_method", [None, "spawn"])
def test_two_workers_return_every_result_once(start_method):
    result = run_for_expectation(
        "examples/distributed/ex02_queue_worker.py", start_method=start_method
    )
    assert result.ok, result.tail()
    pairs = [
        (int(n), int(square))
        for n, square in re.findall(r"^(\d+) squared is (\d+)$", result.output, re.M)
    ]
    assert [n for n, _ in pairs] == list(range(1, 7))
    assert all(square == n * n for n, square in pairs)
    # Each worker took its sentinel and ended by itself.
    assert "worker exit codes: [0, 0]\n" in result.output


def test_wrong_authkey_is_refused_before_anything_is_served():
    result = run_for_expectation("examples/distributed/ex03_authkey.py")
    assert result.ok, result.tail()
    lines = result.output.splitlines()
    assert any(line.startswith("wrong key: AuthenticationError") for line in lines)
    assert "right key: connected" in lines
    assert not any(line.startswith("wrong key: connected") for line in lines)
