"""A browser started by a background job stays below the tests' priority.

Chromium raises some of its threads' priority (to nice -8 when it may, as root), which
would put a background job's browser above the tests that the jobs must leave the CPU
to (tests/background.py).
"""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
from background import BACKGROUND_NICE, _lower_priority
from browsing import CHROMIUM, CHROMIUM_FLAGS


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
    browser = subprocess.Popen([*command, "data:text/html,<p>page</p>"], stderr=subprocess.DEVNULL)
    try:
        seen: set[int] = set()
        deadline = time.monotonic() + 2  # it sets its threads' priorities as it starts them
        while time.monotonic() < deadline:
            seen |= thread_nice_values(psutil.Process(browser.pid))
            time.sleep(0.1)
        return seen
    finally:
        browser.kill()
        browser.wait()


def test_a_browser_started_by_a_background_job_never_rises_above_its_nice_value():
    with ThreadPoolExecutor(1, initializer=_lower_priority) as job:
        seen = job.submit(chromium_nice_values).result()
    assert seen, "no thread of Chromium was seen"
    assert min(seen) >= BACKGROUND_NICE, sorted(seen)
