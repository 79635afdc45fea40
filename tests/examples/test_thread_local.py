"""Behaviour of the examples on the ThreadLocal page (docs/*/thread-local.md)."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

from loader import load_example


def test_each_thread_sees_only_its_own_value():
    ex = load_example("examples/thread_local/ex01_student.py")
    names = [f"student{i}" for i in range(8)]
    # All threads write before any reads (a Barrier), so a shared value would show.
    greetings = ex.run(names)
    assert greetings == [f"Hello, {name} (in Thread-{name})" for name in names]
    assert not hasattr(ex.local_school, "student")


def test_reused_pool_thread_leaks_values_unless_cleaned():
    ex = load_example("examples/thread_local/ex02_pool_reuse.py")
    leaky = ex.run(ex.leaky_task, ["alice", None])
    clean = ex.run(ex.clean_task, ["alice", None])
    assert leaky[1] == "worker_0: task(None) sees user='alice'"
    assert clean[1] == "worker_0: task(None) sees user=None"
    assert leaky[0] == clean[0] == "worker_0: task('alice') sees user='alice'"


def test_thread_local_is_shared_by_asyncio_tasks():
    ex = load_example("examples/thread_local/ex03_local_in_asyncio.py")

    async def both():
        return await asyncio.gather(ex.handle("alice"), ex.handle("bob"))

    assert run_in_fresh_thread(both()) == [
        "task for alice sees user='bob'",
        "task for bob sees user='bob'",
    ]


def test_each_asyncio_task_sees_its_own_context_var():
    ex = load_example("examples/thread_local/ex04_contextvars.py")
    users = [f"user{i}" for i in range(5)]

    async def all_tasks():
        return await asyncio.gather(*(ex.handle(user) for user in users))

    results = run_in_fresh_thread(all_tasks())
    assert results == [f"task for {user}: started with None, sees {user!r}" for user in users]
    assert ex.current_user.get() is None


def test_threads_see_a_context_var_only_through_a_copied_context():
    ex = load_example("examples/thread_local/ex05_contextvars_threads.py")
    # Free-threaded builds (3.14t) start threads with a copy of the starter's context.
    inherited = "alice" if getattr(sys.flags, "thread_inherit_context", False) else None
    # In a thread of its own: the example sets the variable in the test's context.
    main, thread, plain, copied = run_in_fresh_thread(ex.run)
    assert (main, thread, plain, copied) == ("alice", inherited, inherited, "alice")
    assert ex.current_user.get() is None  # the test's own thread never saw the set()


def run_in_fresh_thread(work):
    """A coroutine (with asyncio.run()) or a function in a thread of its own: Playwright's
    sync API (the browser tests) keeps an event loop running in the main thread for the
    whole session, and a context variable set there would stay set for later tests."""
    with ThreadPoolExecutor(1) as pool:
        if asyncio.iscoroutine(work):
            return pool.submit(asyncio.run, work).result()
        return pool.submit(work).result()
