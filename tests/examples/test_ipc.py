"""Behaviour of the IPC examples that their printed output alone does not prove."""

from __future__ import annotations

import multiprocessing
import queue
import re
import threading
from collections import Counter

import pytest
from loader import load_example

from example_engine.expectations import run_for_expectation

QUEUE_EXAMPLE = "examples/ipc/ex01_queue_sentinel.py"


@pytest.mark.parametrize("start_method", [None, "spawn"])
def test_every_item_is_consumed_exactly_once(start_method):
    items = load_example(QUEUE_EXAMPLE).ITEMS
    result = run_for_expectation(QUEUE_EXAMPLE, start_method=start_method)
    assert result.ok, result.tail()
    consumed = re.findall(r"^(\w+) -> (\w+)$", result.output, re.MULTILINE)
    assert Counter(item for item, _ in consumed) == Counter(items)
    assert all(out == item.upper() for item, out in consumed)
    # Every process ended by itself (a terminated one would show a negative code).
    assert "exit codes: [0, 0, 0]" in result.output


def test_producer_sends_one_sentinel_per_consumer_after_the_items():
    example = load_example(QUEUE_EXAMPLE)
    tasks = queue.Queue()
    example.produce(tasks, 3)
    sent = [tasks.get_nowait() for _ in range(tasks.qsize())]
    assert sent == [*example.ITEMS, example.STOP, example.STOP, example.STOP]


def test_consumer_stops_at_the_sentinel_and_leaves_the_rest():
    example = load_example(QUEUE_EXAMPLE)
    tasks, results = queue.Queue(), queue.Queue()
    for item in ["a", "b", example.STOP, "after-the-pill"]:
        tasks.put(item)
    consumer = threading.Thread(target=example.consume, args=(tasks, results))
    consumer.start()
    consumer.join(timeout=5)
    assert not consumer.is_alive(), "consume() did not stop at the sentinel"
    assert [results.get_nowait() for _ in range(results.qsize())] == [
        ("a", "A"),
        ("b", "B"),
    ]
    assert tasks.get_nowait() == "after-the-pill"


def test_a_child_with_unread_queue_data_cannot_be_joined():
    result = run_for_expectation("examples/ipc/ex02_join_before_get.py")
    assert result.ok, result.tail()
    assert "is_alive=True" in result.output
    assert "exitcode=0" in result.output


def test_a_plain_list_inside_a_proxy_is_a_copy_even_in_the_same_process():
    # record() run here, with no child process: the loss comes from the proxy, which
    # hands out copies of plain values, not from crossing a process boundary.
    example = load_example("examples/ipc/ex06_manager_nested.py")
    with multiprocessing.Manager() as manager:
        shared = manager.dict(in_place=[], reassigned=[], nested=manager.list())
        example.record(shared, "x")
        example.record(shared, "y")
        assert shared["in_place"] == []
        assert shared["reassigned"] == ["x", "y"]
        assert list(shared["nested"]) == ["x", "y"]
