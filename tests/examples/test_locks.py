"""Behaviour of the examples on the locks page (docs/*/locks.md)."""

from __future__ import annotations

import threading
import types

from loader import load_example


def test_unlocked_counter_loses_updates():
    ex = load_example("examples/locks/ex01_lost_updates.py")
    for _ in range(10):
        # Every update of one thread overwrites the other's: exactly half are lost.
        assert ex.run() == ex.ROUNDS


def test_locked_counter_never_loses_updates(monkeypatch):
    ex = load_example("examples/locks/ex02_with_lock.py")
    monkeypatch.setattr(ex, "ROUNDS", 300)
    for _ in range(5):
        assert ex.run() == 2 * 300


def test_lock_left_held_by_a_dead_thread_blocks_the_next_one(monkeypatch):
    ex = load_example("examples/locks/ex03_release_on_error.py")
    died = []
    monkeypatch.setattr(threading, "excepthook", lambda args: died.append(args.exc_type))
    expected = {
        ex.withdraw_no_finally: False,  # never released: the next acquire() times out
        ex.withdraw_try_finally: True,
        ex.withdraw_with: True,
    }
    for withdraw, next_one_gets_it in expected.items():
        died.clear()
        assert ex.lock_free_after_error(withdraw) is next_one_gets_it
        assert died == [ValueError]  # each thread really died of its exception


def test_only_rlock_can_be_acquired_again_by_its_owner():
    ex = load_example("examples/locks/ex04_rlock.py")
    assert ex.try_nested(threading.Lock()) is False
    assert ex.try_nested(threading.RLock()) is True
    account = ex.Account(threading.RLock())
    account.deposit_twice(5)
    assert account.balance == 10


def test_opposite_lock_order_deadlock_is_detected_by_timeout():
    ex = load_example("examples/locks/ex05_deadlock.py")
    for _ in range(3):
        results = ex.run()
        assert sorted(results) == ["a", "b"]
        assert all("deadlock" in outcome for outcome in results.values())
        assert not ex.lock_a.locked() and not ex.lock_b.locked()


def test_global_lock_order_finishes(monkeypatch):
    ex = load_example("examples/locks/ex06_lock_order.py")
    monkeypatch.setattr(ex, "ROUNDS", 3000)
    outcome = []
    runner = threading.Thread(target=lambda: outcome.append(ex.run()), daemon=True)
    runner.start()
    runner.join(timeout=5)  # a deadlock would make the test fail, not hang
    assert outcome == [(100, 100)]


def test_event_wait_blocks_until_set(capsys):
    ex = load_example("examples/locks/ex07_event.py")
    assert ex.loaded.wait(timeout=0.05) is False
    t = threading.Thread(target=ex.worker)
    t.start()
    t.join(timeout=0.2)
    assert t.is_alive()  # still waiting: nothing has set the event
    ex.config["retries"] = 3
    ex.loaded.set()
    t.join(timeout=5)
    assert not t.is_alive()
    assert capsys.readouterr().out == "worker: using {'retries': 3}\n"


def test_condition_consumer_gets_every_item_in_order_and_stops_at_the_sentinel():
    ex = load_example("examples/locks/ex08_condition.py")
    log = []
    t = threading.Thread(target=ex.consumer, args=(log,))
    t.start()
    items = [f"item{i}" for i in range(50)]
    for item in [*items, ex.DONE]:
        with ex.condition:
            ex.items.append(item)
            ex.condition.notify()
    t.join(timeout=5)
    assert not t.is_alive()
    assert log == [f"consumer got {item}" for item in items]


def run_downloads(ex, threads=6):
    ex.peak = ex.running = 0
    workers = [threading.Thread(target=ex.download, args=(n,)) for n in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return ex.peak


def test_semaphore_caps_the_downloads_at_two(monkeypatch):
    ex = load_example("examples/locks/ex09_semaphore.py")
    assert 1 <= run_downloads(ex) <= 2
    # The measurement can see more: with six slots, and each "download" waiting until
    # three are under way, three run at once for sure.
    three_at_once = threading.Barrier(3)
    monkeypatch.setattr(ex, "slots", threading.BoundedSemaphore(6))
    monkeypatch.setattr(ex, "time", types.SimpleNamespace(sleep=lambda s: three_at_once.wait(5)))
    assert run_downloads(ex) >= 3
