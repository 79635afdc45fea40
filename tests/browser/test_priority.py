"""A browser started by a background job stays below the tests' priority.

Chromium raises some of its threads' priority (to nice -8 when it may, as root), which
would put a background job's browser above the tests that the jobs must leave the CPU
to (tests/background.py).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psutil
from background import BACKGROUND_NICE, _lower_priority, keep_sessions_niced
from browsing import CHROMIUM, CHROMIUM_FLAGS, READER_CHROMIUM

from example_engine import reaper


def thread_nice_values(root: psutil.Process) -> set[int]:
    """The nice value of every thread of `root` and its descendants (Linux's /proc)."""
    found = set()
    for proc in [root, *root.children(recursive=True)]:
        try:
            tids = [t.id for t in proc.threads()]
        except psutil.Error:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{proc.pid}/task/{tid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the thread ended meanwhile
            found.add(int(fields[16]))  # field 19 of stat(5); fields[0] is field 3
    return found


def chromium_nice_values() -> set[int]:
    """What the threads of a headless Chromium showing a page run at, over two seconds."""
    command = [str(CHROMIUM), "--headless", *CHROMIUM_FLAGS, "--remote-debugging-port=0"]
    # Started as the engine starts an example, to be killed as one: killing the browser's
    # own process would leave its helpers running (its crash handler leaves the session).
    run = reaper.RunProcesses()
    browser = run.start(
        [*command, "data:text/html,<p>page</p>"], env=dict(os.environ), stderr=subprocess.DEVNULL
    )
    try:
        seen: set[int] = set()
        deadline = time.monotonic() + 2  # it sets its threads' priorities as it starts them
        while time.monotonic() < deadline:
            seen |= thread_nice_values(psutil.Process(browser.pid))
            time.sleep(0.1)
        return seen
    finally:
        run.kill()
        run.wait()


def test_a_browser_started_by_a_background_job_never_rises_above_its_nice_value():
    with ThreadPoolExecutor(1, initializer=_lower_priority) as job:
        seen = job.submit(chromium_nice_values).result()
    assert seen, "no thread of Chromium was seen"
    assert min(seen) >= BACKGROUND_NICE, sorted(seen)


def command_line(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except psutil.Error:  # ended (or a zombie) meanwhile
        return []


def session_groups_of_a_browser(keep: bool) -> set[tuple[str, int]]:
    """The autogroups (name, nice) of the processes of a browser that Playwright starts
    from a thread at BACKGROUND_NICE. Found by its session: other browsers of the
    session's jobs may be starting meanwhile."""
    from playwright.sync_api import sync_playwright

    marker = f"--priority-test={uuid.uuid4().hex}"  # a switch Chromium ignores
    groups = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(READER_CHROMIUM), args=[*CHROMIUM_FLAGS, marker]
        )
        if keep:
            keep_sessions_niced()
        browser.new_page().goto("data:text/html,<p>page</p>")  # a renderer too
        processes = psutil.Process().children(recursive=True)
        (leader,) = [p for p in processes if marker in command_line(p)]
        session = os.getsid(leader.pid)
        for proc in processes:
            with contextlib.suppress(OSError):  # ended meanwhile
                if os.getsid(proc.pid) == session and (group := reaper.autogroup(proc.pid)):
                    groups.add(group)
        browser.close()
    return groups


def test_the_session_of_a_background_browser_stays_below_the_tests():
    """Playwright starts the browser in a session of its own, which the kernel's
    autogroups schedule at nice 0 whatever its processes' nice values: keep_sessions_niced
    puts that group at the job's nice value."""
    with ThreadPoolExecutor(1, initializer=_lower_priority) as job:
        kept = job.submit(session_groups_of_a_browser, True).result()
        left = job.submit(session_groups_of_a_browser, False).result()
    if not left:  # a kernel without autogroups: nice values decide (the test above)
        assert not kept
        return
    assert kept and all(nice == BACKGROUND_NICE for _, nice in kept), kept
    assert left and all(nice == 0 for _, nice in left), left  # what it would be without
