"""Behaviour of the examples on the locks page (docs/*/locks.md)."""

from __future__ import annotations

import threading

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


def test_lock_is_released_by_with_and_finally_only():
    ex = load_example("examples/locks/ex03_release_on_error.py")
    expected = {
        ex.withdraw_no_finally: True,
        ex.withdraw_try_finally: False,
        ex.withdraw_with: False,
    }
    for withdraw, still_held in expected.items():
        try:
            withdraw(-1)
        except ValueError:
            pass
        else:
            raise AssertionError(f"{withdraw.__name__} did not raise")
        assert ex.lock.locked() is still_held
        if ex.lock.locked():
            ex.lock.release()


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
