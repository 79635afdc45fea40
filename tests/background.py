"""Session work that tests only wait for, started early on threads of its own.

Most of the suite's time goes to a few big pieces of work that many tests read: the
built sites, the example sweep, every page read in a browser, Lighthouse. Made when the
first test that reads one asks for it, each would run alone while the machine is mostly
idle (examples sleep, the browser waits for the server and the renderer). Here each is a
*job*, registered under the name of the fixture that returns it, by the conftest that
owns it:

    @job("sweep")
    def make_sweep(sites: Sites) -> Sweep: ...

At the first test, the jobs that some test of this session needs (its fixture is in
that test's closure) start on their own threads, all at once; the fixture then only
waits: `background.result("sweep")`. A job that raised re-raises in every test that
waits for it, so its failure is reported where it is read, as before.

The tests themselves run one after the other on the main thread: that is the critical
path, so the jobs run at a lower priority (nice 10) and take the CPU the tests leave.
On Linux a thread has its own nice value and what it starts inherits it (the builds,
the example runs, the browsers); elsewhere this lowers the whole process, harmlessly.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from threading import Lock
from typing import Any

from sites import Sites

Job = Callable[[Sites], Any]
JOBS: dict[str, Job] = {}

# The engine's own tests patch its globals (the reaper's kill deadline, psutil's kill,
# tempfile.mkdtemp, ...) for the duration of a test: a job that runs examples through the
# engine in this process waits for them to be over (tests/conftest.py sets this at the
# first test outside tests/engine). Jobs that only start processes need not wait.
ENGINE_TESTS_OVER = threading.Event()


def job(fixture: str) -> Callable[[Job], Job]:
    """Register `fn(sites)` as the work behind the session fixture named `fixture`."""

    def register(fn: Job) -> Job:
        JOBS[fixture] = fn
        return fn

    return register


BACKGROUND_NICE = 10


def _lower_priority() -> None:
    if hasattr(os, "setpriority"):  # not on Windows
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)


class Background:
    def __init__(self, sites: Sites) -> None:
        self.sites = sites
        self._pool = ThreadPoolExecutor(
            len(JOBS) or 1, thread_name_prefix="background", initializer=_lower_priority
        )
        self._futures: dict[str, Future] = {}
        self._lock = Lock()

    def start(self, names: Iterable[str]) -> None:
        for name in names:
            self._future(name)

    def result(self, name: str) -> Any:
        """What the job returned (started now if it was not yet), or its exception."""
        return self._future(name).result()

    def _future(self, name: str) -> Future:
        with self._lock:
            if name not in self._futures:
                self._futures[name] = self._pool.submit(JOBS[name], self.sites)
            return self._futures[name]

    def close(self) -> None:
        """Wait for the jobs that started (a test session never leaves work running)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def needed(fixture_closures: Iterable[Iterable[str]]) -> list[str]:
    """The registered jobs some test needs, given each test's fixture closure."""
    names = set().union(*map(set, fixture_closures))
    return [name for name in JOBS if name in names]
