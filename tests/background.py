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
path, so most jobs run at a lower priority (nice 10 to 19, the higher for the jobs that
only the later tests read, which the session runs later: `rank`) and take the CPU the
tests leave; the jobs that run examples share it with the tests (RUNS_NICE, below).
On Linux a thread has its own nice value and what it starts inherits it (the builds,
the example runs, the browsers); elsewhere this lowers the whole process, harmlessly.
Run as root (as CI runs), Chromium would take its priority back: it raises some of its
threads to nice -8, above the tests. So a job's thread also drops CAP_SYS_NICE from
what the programs it starts can ever hold, and nothing it starts can rise above its job.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from threading import Lock
from typing import Any

import psutil
from sites import Sites

from example_engine import reaper

Job = Callable[[Sites], Any]
JOBS: dict[str, Job] = {}
NICE: dict[str, int] = {}  # job -> the nice value it runs at

# A job's nice value also says when its tests run (`rank`): the lower, the sooner.
RUNS_NICE = 0  # jobs that run the examples the tests compare: the fresh build, the sweep
BACKGROUND_NICE = 10  # the other builds
LATER_NICE = 15  # read by tests that can wait: the broken builds, every page read
LAST_NICE = 19  # read last: Lighthouse
# Why the example runs are not lowered: many examples show an order that sleeps of a
# tenth of a second decide, and their output is compared exactly. Below the tests, a run
# was held off the CPU past such a margin while a test kept both cores busy (a pool's
# tasks ended in another order). At nice 0 they share the CPU with the tests as equals.


def job(fixture: str, nice: int = BACKGROUND_NICE) -> Callable[[Job], Job]:
    """Register `fn(sites)` as the work behind the session fixture named `fixture`."""

    def register(fn: Job) -> Job:
        JOBS[fixture] = fn
        NICE[fixture] = nice
        return fn

    return register


def rank(fixtures: Iterable[str]) -> int:
    """Where a test goes in the session's order, by the jobs in its fixture closure: the
    tests that wait for no job first (0), then by the highest nice value of their jobs.
    A job has the time of the tests before its own to finish, so that no test waits,
    and the jobs read later leave the CPU to those read sooner."""
    return max((1 + NICE[name] for name in fixtures if name in JOBS), default=0)


PR_CAPBSET_DROP, CAP_SYS_NICE = 24, 23  # <linux/prctl.h>, <linux/capability.h>


def _lower_priority(nice: int = BACKGROUND_NICE) -> None:
    if hasattr(os, "setpriority") and nice > 0:  # not on Windows
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    if sys.platform.startswith("linux") and os.geteuid() == 0:
        # The bounding set is per thread and inherited by what the thread forks; a
        # program it executes (as root) gets no capability outside it. Without
        # CAP_SYS_NICE a process may raise its nice value, never lower it. Dropping it
        # needs CAP_SETPCAP: a container without it has no CAP_SYS_NICE to drop either.
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_CAPBSET_DROP, CAP_SYS_NICE, 0, 0, 0) != 0:
            assert ctypes.get_errno() == errno.EPERM, os.strerror(ctypes.get_errno())


def keep_sessions_niced() -> None:
    """Give each session that a background job's programs started its leader's nice value.

    With the kernel's autogroups a new session shares the CPU as a group at nice 0,
    whatever the nice values of its processes (example_engine.reaper.keep_priority, which
    the engine applies to every example run). Playwright starts its browser in a session
    of its own: called once the browser is up, from the job's thread, this puts its group
    below the tests (the browser's later processes stay in that session).
    """
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            reaper.keep_priority(proc.pid, proc.nice())


class Background:
    def __init__(self, sites: Sites) -> None:
        self.sites = sites
        self._futures: dict[str, Future] = {}
        self._threads: list[threading.Thread] = []
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
                # A thread of its own: a nice value, once raised, cannot come down again.
                future: Future = Future()
                thread = threading.Thread(
                    target=self._run, args=(name, future), name=f"background-{name}"
                )
                self._futures[name] = future
                self._threads.append(thread)
                thread.start()
            return self._futures[name]

    def _run(self, name: str, future: Future) -> None:
        _lower_priority(NICE[name])
        start = time.perf_counter() - self.began
        try:
            future.set_result(JOBS[name](self.sites))
        except BaseException as error:  # re-raised in every test that reads it
            future.set_exception(error)
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
        for thread in self._threads:
            thread.join()


def needed(fixture_closures: Iterable[Iterable[str]]) -> list[str]:
    """The registered jobs some test needs, given each test's fixture closure."""
    names = set().union(*map(set, fixture_closures))
    return [name for name in JOBS if name in names]
