"""Examples run as their own process group and watched from outside: which of their
processes were alive as the example's own process ended, and which were still alive a
few seconds later (tests/examples/test_stopping.py reads them).

Every such run of the session is made once, by this file run as a script in a process
of its own (`made_elsewhere`, the `alone_runs` job of tests/examples/conftest.py): its
watchers poll the process table every 10 ms, which in the test process would take the
GIL from the tests; and most of a run is waiting (for helpers to notice their parent
ended), so several runs go on side by side.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil
from elsewhere import records_from

from example_engine.expectations import REPO_ROOT, collect
from example_engine.runner import example_environment, process_alive

EXAMPLES = collect(["examples/stopping"])
SIDE_BY_SIDE = 4


@dataclass
class Watched:
    """What `Watching` saw of one run."""

    output: str
    exit_code: int | None
    alive_at_exit: list[int]  # processes of the run alive as it ended
    leftovers: list[int]  # ... and still alive a few seconds later


class Watching:
    """An example run as its own process group, checked before anything is killed."""

    def __init__(self, example: str, start_method: str | None, timeout_s: float = 30):
        self.output = ""
        self.exit_code: int | None = None
        self.alive_at_exit: list[int] = []  # processes of the run alive as it ended
        self.leftovers: list[int] = []  # ... and still alive a few seconds later
        group = {"start_new_session": True}
        if os.name == "nt":
            group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
        proc = subprocess.Popen(
            [sys.executable, example],
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=example_environment(start_method),
            **group,
        )
        seen: set[int] = set()  # every descendant seen while the example ran
        chunks: list[bytes] = []
        watcher = threading.Thread(target=self._watch, args=(proc, seen), daemon=True)
        reader = threading.Thread(target=self._read, args=(proc, chunks), daemon=True)
        watcher.start()
        reader.start()
        try:
            # Wait for the example's own process only: a process left behind may still
            # hold the output pipe open.
            self.exit_code = proc.wait(timeout=timeout_s)
            watcher.join(5)
            self.alive_at_exit = self._alive(proc.pid, seen)
            # Helpers such as the fork server notice the end of their parent in a moment.
            deadline = time.monotonic() + 5
            while (left := self._alive(proc.pid, seen)) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.leftovers = left
        finally:
            self._kill(proc, seen)
            reader.join(5)
            self.output = b"".join(chunks).decode("utf-8", errors="replace")

    @staticmethod
    def _read(proc: subprocess.Popen, chunks: list[bytes]) -> None:
        assert proc.stdout is not None
        while chunk := proc.stdout.read1(65536):
            chunks.append(chunk)

    @staticmethod
    def _watch(proc: subprocess.Popen, seen: set[int]) -> None:
        with contextlib.suppress(psutil.Error):
            leader = psutil.Process(proc.pid)
            while proc.poll() is None:
                seen.update(child.pid for child in leader.children(recursive=True))
                time.sleep(0.01)

    @staticmethod
    def _alive(leader: int, seen: set[int]) -> list[int]:
        pids = set(seen)
        if hasattr(os, "getpgid"):  # POSIX: the whole process group, orphans included
            for p in psutil.process_iter():
                with contextlib.suppress(OSError):
                    if p.pid != leader and os.getpgid(p.pid) == leader:
                        pids.add(p.pid)
        return sorted(pid for pid in pids if process_alive(pid))

    @staticmethod
    def _kill(proc: subprocess.Popen, seen: set[int]) -> None:
        if proc.poll() is None:
            proc.kill()
        if hasattr(os, "killpg"):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        for pid in seen:
            with contextlib.suppress(psutil.Error):
                psutil.Process(pid).kill()
        proc.wait()


def watch_every_example(methods: list[str]) -> dict[tuple[str, str], Watched]:
    """Each example of the stopping page under each start method, side by side."""
    cases = [(example, method) for method in methods for example in EXAMPLES]

    def one(case: tuple[str, str]) -> Watched:
        run = Watching(*case)
        return Watched(run.output, run.exit_code, run.alive_at_exit, run.leftovers)

    with ThreadPoolExecutor(SIDE_BY_SIDE) as pool:
        return dict(zip(cases, pool.map(one, cases), strict=True))


def made_elsewhere(env: dict[str, str], out: Path, methods: list[str]) -> dict:
    """watch_every_example() in a process of its own (this file as a script)."""
    records = records_from(__file__, out, *methods, env=env)
    return {(r["example"], r["method"]): Watched(**r["watched"]) for r in records}


if __name__ == "__main__":
    # python tests/examples/watched.py OUT.json METHOD...: every run, as JSON records.
    records = [
        {"example": example, "method": method, "watched": asdict(watched)}
        for (example, method), watched in watch_every_example(sys.argv[2:]).items()
    ]
    Path(sys.argv[1]).write_text(json.dumps(records), encoding="utf-8")
