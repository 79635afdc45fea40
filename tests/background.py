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
Run as root (as CI runs), Chromium would take its priority back: it raises some of its
threads to nice -8, above the tests. So a job's thread also drops CAP_SYS_NICE from
what the programs it starts can ever hold, and nothing it starts can rise above nice 10.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from threading import Lock
from typing import Any

from sites import Sites

Job = Callable[[Sites], Any]
JOBS: dict[str, Job] = {}


def job(fixture: str) -> Callable[[Job], Job]:
    """Register `fn(sites)` as the work behind the session fixture named `fixture`."""

    def register(fn: Job) -> Job:
        JOBS[fixture] = fn
        return fn

    return register


BACKGROUND_NICE = 10
PR_CAPBSET_DROP, CAP_SYS_NICE = 24, 23  # <linux/prctl.h>, <linux/capability.h>


def _lower_priority() -> None:
    if hasattr(os, "setpriority"):  # not on Windows
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    if sys.platform.startswith("linux") and os.geteuid() == 0:
        # The bounding set is per thread and inherited by what the thread forks; a
        # program it executes (as root) gets no capability outside it. Without
        # CAP_SYS_NICE a process may raise its nice value, never lower it. Dropping it
        # needs CAP_SETPCAP: a container without it has no CAP_SYS_NICE to drop either.
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_CAPBSET_DROP, CAP_SYS_NICE, 0, 0, 0) != 0:
            assert ctypes.get_errno() == errno.EPERM, os.strerror(ctypes.get_errno())


class Background:
    def __init__(self, sites: Sites) -> None:
        self.sites = sites
        self._pool = ThreadPoolExecutor(
            len(JOBS) or 1, thread_name_prefix="background", initializer=_lower_priority
        )
        self._futures: dict[str, Future] = {}
        self._lock = Lock()
        self.began = time.perf_counter()
        self.spans: dict[str, tuple[float, float]] = {}  # job -> (start, end), in seconds
        # from the session's first test: where the time went (the terminal summary)

    def start(self, names: Iterable[str]) -> None:
        for name in names:
            self._future(name)

    def result(self, name: str) -> Any:
        """What the job returned (started now if it was not yet), or its exception."""
        return self._future(name).result()

    def _future(self, name: str) -> Future:
        with self._lock:
            if name not in self._futures:
                self._futures[name] = self._pool.submit(self._timed, name)
            return self._futures[name]

    def _timed(self, name: str) -> Any:
        start = time.perf_counter() - self.began
        try:
            return JOBS[name](self.sites)
        finally:
            self.spans[name] = (start, time.perf_counter() - self.began)

    def summary(self) -> list[str]:
        """One line per job that ran: when it started and ended, from the first test."""
        return [
            f"{name:<18} {start:6.1f} s -> {end:6.1f} s  ({end - start:.1f} s, in the background)"
            for name, (start, end) in sorted(self.spans.items(), key=lambda kv: kv[1])
        ]

    def close(self) -> None:
        """Wait for the jobs that started (a test session never leaves work running)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def needed(fixture_closures: Iterable[Iterable[str]]) -> list[str]:
    """The registered jobs some test needs, given each test's fixture closure."""
    names = set().union(*map(set, fixture_closures))
    return [name for name in JOBS if name in names]
