"""Run one example as its own OS process and capture what it really printed.

Each example runs with the build's interpreter, from the repository root, with stdin
closed, UTF-8 and unbuffered output, stdout and stderr merged into one pipe at the
file-descriptor level (so child processes and threads keep their output), in a new
session / process group. On timeout and after a normal exit every process of the run
is killed, also those that left its group or session (example_engine/reaper.py), so no
process outlives its example.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import platform
import py_compile
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from example_engine import reaper
from example_engine import trace as tracing

DEFAULT_TIMEOUT_S = 30.0
TAIL_LINES = 15
ENGINE_DIR = Path(__file__).resolve().parent
INJECT_DIR = ENGINE_DIR / "inject"
_WINDOWS = sys.platform == "win32"


@dataclass(frozen=True)
class Interpreter:
    """What produced an output: shown under every example on the site."""

    implementation: str  # "CPython"
    version: str  # "3.11.7"
    gil_enabled: bool
    free_threaded_build: bool
    system: str  # "Linux", "macOS", "Windows"
    default_start_method: str

    @property
    def label(self) -> str:
        return f"{self.implementation} {self.version}"

    def key(self) -> str:
        """Identifies the interpreter in cache keys."""
        return "|".join([sys.executable, sys.version, str(self.gil_enabled), self.system])


def current_interpreter(start_method: str | None = None) -> Interpreter:
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    system = {"Darwin": "macOS"}.get(platform.system(), platform.system())
    if start_method is None:
        start_method = multiprocessing.get_context().get_start_method()
    return Interpreter(
        implementation=platform.python_implementation(),
        version=platform.python_version(),
        gil_enabled=bool(gil),
        free_threaded_build=bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        system=system,
        default_start_method=start_method,
    )


@dataclass(frozen=True)
class RunResult:
    example: str  # path relative to the repository root, with forward slashes
    output: str  # stdout+stderr in order, decoded, with machine paths stripped
    exit_code: int | None  # None when it was killed at its timeout
    expected_exit_code: int
    duration_s: float
    timed_out: bool
    undecodable: bool  # printed bytes that are not UTF-8 (shown replaced)
    missing: bool
    interpreter: Interpreter
    timeout_s: float
    # What the processes and threads did, and when (example_engine.trace), if asked for.
    trace: list[dict[str, Any]] | None = None

    @property
    def ok(self) -> bool:
        return (
            not self.missing
            and not self.timed_out
            and not self.undecodable
            and self.exit_code == self.expected_exit_code
        )

    def problem(self) -> str | None:
        """One line saying what went wrong, or None."""
        if self.missing:
            return "the example file does not exist"
        if self.timed_out:
            return f"timed out after {self.timeout_s:g} s; its process group was killed"
        if self.undecodable:
            return "printed bytes that are not valid UTF-8 (shown replaced by U+FFFD)"
        if self.exit_code != self.expected_exit_code:
            if self.expected_exit_code == 0:
                return f"exited with code {self.exit_code}"
            return (
                f"exited with code {self.exit_code}, but it is declared to exit with "
                f"{self.expected_exit_code} (its failure is the lesson)"
            )
        return None

    def tail(self, lines: int = TAIL_LINES) -> str:
        return "\n".join(self.output.splitlines()[-lines:])

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> RunResult:
        data = dict(data)
        data["interpreter"] = Interpreter(**data["interpreter"])
        return cls(**data)


def engine_fingerprint() -> str:
    """A hash of the runner itself: a change to how examples run invalidates the cache."""
    digest = hashlib.sha256()
    own = [Path(__file__).resolve(), Path(reaper.__file__).resolve()]
    tracer = Path(tracing.__file__).resolve()
    for path in sorted([*own, tracer, *INJECT_DIR.glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def path_replacements(repo_root: Path) -> list[tuple[str, str]]:
    """Absolute paths that would leak the build machine, longest first."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    purelib = Path(sysconfig.get_paths()["purelib"])
    pairs: dict[str, str] = {}
    for path, label in [
        (purelib, "<site-packages>"),
        (stdlib, "<stdlib>"),
        (Path(sys.prefix), "<venv>"),
        (repo_root, ""),
    ]:
        for variant in {str(path), str(path.resolve())}:
            pairs.setdefault(variant + os.sep, f"{label}/" if label else "")
            if _WINDOWS:
                pairs.setdefault(variant + "/", f"{label}/" if label else "")
            pairs.setdefault(variant, label or ".")
    return sorted(pairs.items(), key=lambda item: len(item[0]), reverse=True)


def strip_paths(text: str, repo_root: Path) -> str:
    for old, new in path_replacements(repo_root):
        text = text.replace(old, new)
    return text


def example_environment(
    start_method: str | None,
    unbuffered: bool = True,
    *,
    trace_dir: Path | None = None,
    script: Path | None = None,
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    env.update(
        PYTHONUTF8="1",
        PYTHONIOENCODING="utf-8",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        NO_COLOR="1",
        TERM="dumb",
    )
    if start_method or trace_dir:
        # inject/sitecustomize.py sets it before the example's own code runs
        env["PYTHONPATH"] = str(INJECT_DIR)
    if start_method:
        env["EXAMPLE_START_METHOD"] = start_method
    if trace_dir:
        # ... and installs the tracer in every Python process of the run
        env[tracing.TRACE_DIR_ENV] = str(trace_dir)
        env[tracing.TRACE_SCRIPT_ENV] = str(script)
    return env


def run_example(
    example: str | Path,
    repo_root: Path,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    expected_exit_code: int = 0,
    start_method: str | None = None,
    unbuffered: bool = True,
    trace: bool = False,
) -> RunResult:
    """Run `example` (a path relative to `repo_root`) and return what happened.

    With `trace`, the result also holds the events recorded in every process of the run
    (see example_engine.trace); the output is the same as without.
    """
    repo_root = repo_root.resolve()
    rel = Path(example).as_posix()
    script = repo_root / rel
    interpreter = current_interpreter(start_method)
    if not script.is_file():
        return RunResult(
            rel,
            "",
            None,
            expected_exit_code,
            0.0,
            False,
            False,
            True,
            interpreter,
            timeout_s,
        )

    trace_dir = Path(tempfile.mkdtemp(prefix="example-trace-")) if trace else None
    if trace_dir is not None:
        # Compiled once here rather than by every process of the run (inject/sitecustomize.py)
        py_compile.compile(tracing.__file__, cfile=str(trace_dir / "_tracer.pyc"), doraise=False)
    started = time.perf_counter()
    run = reaper.RunProcesses()
    proc = run.start(
        [sys.executable, rel],
        cwd=repo_root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=example_environment(start_method, unbuffered, trace_dir=trace_dir, script=script),
    )
    chunks: list[bytes] = []
    reader = threading.Thread(target=_drain, args=(proc, chunks), daemon=True)
    reader.start()
    timed_out = not _wait_exited(proc, started + timeout_s)
    # Every process of the run is killed before the leader is reaped, so that its pid
    # (which names the run's process group and session) cannot be reused meanwhile.
    run.kill()
    exit_code = run.wait()
    duration = time.perf_counter() - started
    reader.join(5)
    raw = b"".join(chunks)
    try:
        text = raw.decode("utf-8")
        undecodable = False
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        undecodable = True
    text = strip_paths(text.replace("\r\n", "\n"), repo_root)
    events = None
    if trace_dir is not None:
        # Read after the run was killed: no process of the run writes any more.
        events = tracing.load_events(trace_dir)
        shutil.rmtree(trace_dir, ignore_errors=True)
    return RunResult(
        example=rel,
        output=text,
        exit_code=None if timed_out else exit_code,
        expected_exit_code=expected_exit_code,
        duration_s=round(duration, 3),
        timed_out=timed_out,
        undecodable=undecodable,
        missing=False,
        interpreter=interpreter,
        timeout_s=timeout_s,
        trace=events,
    )


def _drain(proc: subprocess.Popen, chunks: list[bytes]) -> None:
    assert proc.stdout is not None
    while chunk := proc.stdout.read1(65536):
        chunks.append(chunk)


def _wait_exited(proc: subprocess.Popen, deadline: float) -> bool:
    """Wait for the leader to exit without reaping it. False on timeout."""
    if _WINDOWS or not hasattr(os, "waitid"):
        try:
            proc.wait(max(0.0, deadline - time.perf_counter()))
            return True
        except subprocess.TimeoutExpired:
            return False
    delay = 0.001
    while True:
        info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        if info is not None:
            return True
        if time.perf_counter() >= deadline:
            return False
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


def process_alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped has already ended)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


_TRAILING_WS = re.compile(r"[ \t]+$", re.MULTILINE)


def clean_for_display(text: str) -> str:
    return _TRAILING_WS.sub("", text).rstrip("\n")
