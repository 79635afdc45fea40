"""Run one example as its own OS process and capture what it really printed.

Each example runs with the build's interpreter, from the repository root, with stdin
closed, UTF-8 and unbuffered output, stdout and stderr merged into one pipe at the
file-descriptor level (so child processes and threads keep their output), in a new
session / process group. When it exits, times out or prints more than its output limit,
every process of the run is killed, also those that left its group or session
(example_engine/reaper.py), so no process outlives its example.

What it printed is kept up to the output limit, then only its last part (memory stays
bounded whatever it prints), and turned into text as a terminal would show it: escape
sequences (colours, cursor moves, titles, links) removed, ``\r`` overwriting the line,
other control characters shown as Unicode control pictures (``␇`` for a bell).
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import hashlib
import multiprocessing
import os
import platform
import py_compile
import re
import select
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

from example_engine import reaper
from example_engine import trace as tracing

DEFAULT_TIMEOUT_S = 30.0
# Far above what any example prints (the longest .out holds under 1 KiB); past it the
# run is stopped as at a timeout. examples.toml may set another (`output_limit`, bytes).
DEFAULT_OUTPUT_LIMIT = 1024 * 1024
TAIL_KEEP_BYTES = 64 * 1024  # what is kept of the end of an output past its limit
TAIL_LINES = 15
EXCERPT_LINES = 10  # first and last lines shown of an output past its limit
EXCERPT_LINE_CHARS = 300  # a longer line is shown cut
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

    def with_start_method(self, start_method: str | None) -> Interpreter:
        """The same interpreter, its default start method forced (None: unchanged)."""
        if start_method is None:
            return self
        return replace(self, default_start_method=start_method)


@dataclass(frozen=True)
class Python:
    """An interpreter that runs examples: how the site names it, its command, what it is."""

    name: str  # "3.11", "3.14t" (example_engine.interpreters)
    executable: str
    interpreter: Interpreter
    # Its own stdlib, site-packages and prefix paths, each with the label that replaces it
    # in outputs, so that no run leaks where this machine keeps its interpreters.
    paths: tuple[tuple[str, str], ...] = ()

    def key(self) -> str:
        """Identifies the interpreter in cache keys."""
        return "|".join([self.executable, repr(self.interpreter)])


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


@functools.cache
def current_python() -> Python:
    """The interpreter running the build (the site's reference when it is CPython 3.11)."""
    interpreter = current_interpreter()
    name = ".".join(interpreter.version.split(".")[:2])
    name += "t" if interpreter.free_threaded_build else ""
    paths = sysconfig.get_paths()
    labels = (
        (paths["purelib"], "<site-packages>"),
        (paths["platlib"], "<site-packages>"),
        (paths["stdlib"], "<stdlib>"),
        (paths["platstdlib"], "<stdlib>"),
        (sys.prefix, "<venv>" if sys.prefix != sys.base_prefix else "<python>"),
        (sys.base_prefix, "<python>"),
    )
    return Python(name, sys.executable, interpreter, labels)


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
    output_limit: int = DEFAULT_OUTPUT_LIMIT  # bytes
    # It printed more than output_limit bytes: the run was stopped (exit_code None unless
    # it had exited already), `output` holds its first output_limit bytes and
    # `output_tail` the end of what it printed (its last TAIL_KEEP_BYTES, whole lines).
    output_exceeded: bool = False
    output_tail: str = ""
    printed_bytes: int = 0  # everything it printed, kept or not
    # Seconds from the leader's end (exit, timeout or flood) to every process of the run
    # killed and reaped: what the supervisor (reaper.py) adds to a run. `make bench`
    # sums it against the runs' durations.
    supervision_s: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            not self.missing
            and not self.timed_out
            and not self.output_exceeded
            and not self.undecodable
            and self.exit_code == self.expected_exit_code
        )

    def problem(self) -> str | None:
        """One line saying what went wrong, or None."""
        if self.missing:
            return "the example file does not exist"
        if self.output_exceeded:
            return (
                f"printed more than its output limit of {_size(self.output_limit)} "
                f"({_size(self.printed_bytes)} read before it was stopped); all its "
                "processes were killed"
            )
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

    def excerpt(self) -> str:
        """What a failure shows of the output: its last lines; past the output limit,
        its first lines and its last lines. Lines too long are cut."""
        if self.output_exceeded:
            head = self.output.splitlines()[:EXCERPT_LINES]
            tail = self.output_tail.splitlines()[-EXCERPT_LINES:]
            gap = f"[… {_size(self.printed_bytes)} printed in all; its first and last lines …]"
            lines = [*head, gap, *tail]
        else:
            lines = self.output.splitlines()[-TAIL_LINES:]
        return "\n".join(_cut(line) for line in lines)

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> RunResult:
        data = dict(data)
        data["interpreter"] = Interpreter(**data["interpreter"])
        return cls(**data)


def _size(n: int) -> str:
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def _cut(line: str) -> str:
    if len(line) <= EXCERPT_LINE_CHARS:
        return line
    return f"{line[:EXCERPT_LINE_CHARS]}[… {len(line) - EXCERPT_LINE_CHARS} more characters]"


def engine_fingerprint() -> str:
    """A hash of the runner itself: a change to how examples run invalidates the cache."""
    digest = hashlib.sha256()
    own = [Path(__file__).resolve(), Path(reaper.__file__).resolve()]
    tracer = Path(tracing.__file__).resolve()
    for path in sorted([*own, tracer, *INJECT_DIR.glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def path_replacements(repo_root: Path, python: Python | None = None) -> list[tuple[str, str]]:
    """Absolute paths that would leak the build machine, longest first."""
    python = python or current_python()
    pairs: dict[str, str] = {}
    for raw, label in [*python.paths, (str(repo_root), "")]:
        path = Path(raw)
        for variant in sorted({str(path), str(path.resolve())}):
            pairs.setdefault(variant + os.sep, f"{label}/" if label else "")
            if _WINDOWS:
                pairs.setdefault(variant + "/", f"{label}/" if label else "")
            pairs.setdefault(variant, label or ".")
    return sorted(pairs.items(), key=lambda item: len(item[0]), reverse=True)


def strip_paths(text: str, repo_root: Path, python: Python | None = None) -> str:
    for old, new in path_replacements(repo_root, python):
        text = text.replace(old, new)
    return text


# ECMA-48 sequences, in their 7-bit forms: what a terminal acts upon instead of showing.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erasing
    r"|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC (titles, links), DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]"  # the other escape sequences: character sets, saving the cursor
    r"|\x1b"  # an escape that starts nothing
)
_LINE_EDITS = re.compile(r"\r|\x1b\[[012]?K")  # carriage return; erase in line (0, 1, 2)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but \t and \n
# A control character left is shown as its Unicode control picture (U+2400 + code: ␇ for
# a bell, ␡ for DEL), so that the reader sees that it was printed; C1 controls (U+0080 to
# U+009F), which a UTF-8 terminal does not show either, are removed.
_PICTURES: dict[int, int | None] = {c: 0x2400 + c for c in range(0x20) if c not in (9, 10)}
_PICTURES |= {0x7F: 0x2421} | dict.fromkeys(range(0x80, 0xA0))


def as_terminal_shows(text: str) -> str:
    """`text` as a terminal would leave it on the screen: escape sequences removed,
    each ``\r`` rewriting its line from column 0 (``\r\n`` is a newline), other
    control characters but ``\t`` shown as control pictures.

    Columns are counted in characters (a tab or a wide CJK character is one).
    """
    text = text.replace("\r\n", "\n")
    if not _CONTROLS.search(text):
        return text
    lines = text.split("\n")
    return "\n".join(_draw(line) if _CONTROLS.search(line) else line for line in lines)


def _draw(line: str) -> str:
    screen, column, start = "", 0, 0
    for edit in _LINE_EDITS.finditer(line):
        screen, column = _write(screen, column, line[start : edit.start()])
        start = edit.end()
        if edit.group() == "\r":
            column = 0
        elif edit.group() in ("\x1b[K", "\x1b[0K"):  # erase to the end of the line
            screen = screen[:column]
        elif edit.group() == "\x1b[1K":  # erase from the start through the cursor
            screen = " " * (column + 1) + screen[column + 1 :]
        else:  # erase the whole line; the cursor stays where it is
            screen = " " * column
    return _write(screen, column, line[start:])[0]


def _write(screen: str, column: int, text: str) -> tuple[str, int]:
    """Write `text` over `screen` from `column`: what it covers is overwritten."""
    text = _ESCAPES.sub("", text).translate(_PICTURES)
    return screen[:column] + text + screen[column + len(text) :], column + len(text)


def environ_copy() -> dict[str, str]:
    """os.environ as a dict, even while another thread sets or unsets a variable.

    Copying lists the keys, then reads each one: a key removed in between raises
    KeyError (pytest changes a variable at every test while the build runs examples on
    other threads, and so may any program that embeds the engine). Try again.
    """
    while True:
        try:
            return dict(os.environ)
        except KeyError:
            continue


def example_environment(
    start_method: str | None,
    unbuffered: bool = True,
    *,
    trace_dir: Path | None = None,
    script: Path | None = None,
) -> dict[str, str]:
    env = {k: v for k, v in environ_copy().items() if not k.startswith("PYTHON")}
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
    python: Python | None = None,
    output_limit: int = DEFAULT_OUTPUT_LIMIT,
) -> RunResult:
    """Run `example` (a path relative to `repo_root`) and return what happened.

    `python` runs it under another interpreter (example_engine.interpreters), with the
    same isolation. With `trace`, the result also holds the events recorded in every
    process of the run (see example_engine.trace); the output is the same as without.
    Past `output_limit` bytes of output the run is stopped, and the result says so.
    """
    repo_root = repo_root.resolve()
    rel = Path(example).as_posix()
    script = repo_root / rel
    python = python or current_python()
    interpreter = python.interpreter.with_start_method(start_method)
    if not script.is_file():
        return RunResult(
            example=rel,
            output="",
            exit_code=None,
            expected_exit_code=expected_exit_code,
            duration_s=0.0,
            timed_out=False,
            undecodable=False,
            missing=True,
            interpreter=interpreter,
            timeout_s=timeout_s,
            output_limit=output_limit,
        )

    trace_dir = Path(tempfile.mkdtemp(prefix="example-trace-")) if trace else None
    if trace_dir is not None:
        # Compiled once here rather than by every process of the run (inject/sitecustomize.py)
        py_compile.compile(tracing.__file__, cfile=str(trace_dir / "_tracer.pyc"), doraise=False)
    started = time.perf_counter()
    run = reaper.RunProcesses()
    proc = run.start(
        [python.executable, rel],
        cwd=repo_root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=example_environment(start_method, unbuffered, trace_dir=trace_dir, script=script),
    )
    collected = OutputCollector(output_limit)
    reader = threading.Thread(target=collected.drain, args=(proc,), daemon=True)
    reader.start()
    ended = _wait_exited(proc, started + timeout_s, collected.exceeded)
    supervised = time.perf_counter()
    # Every process of the run is killed before the leader is reaped, so that its pid
    # (which names the run's process group and session) cannot be reused meanwhile.
    run.kill()
    exit_code = run.wait()
    finished = time.perf_counter()
    duration = finished - started
    reader.join(5)
    output, tail, undecodable = collected.text()
    output = strip_paths(as_terminal_shows(output), repo_root, python)
    tail = strip_paths(as_terminal_shows(tail), repo_root, python)
    events = None
    if trace_dir is not None:
        # Read after the run was killed: no process of the run writes any more.
        events = tracing.load_events(trace_dir)
        shutil.rmtree(trace_dir, ignore_errors=True)
    return RunResult(
        example=rel,
        output=output,
        exit_code=None if ended != "exited" else exit_code,
        expected_exit_code=expected_exit_code,
        duration_s=round(duration, 3),
        timed_out=ended == "timed out",
        undecodable=undecodable,
        missing=False,
        interpreter=interpreter,
        timeout_s=timeout_s,
        trace=events,
        output_limit=output_limit,
        output_exceeded=collected.exceeded.is_set(),
        supervision_s=round(finished - supervised, 4),
        output_tail=tail,
        printed_bytes=collected.printed,
    )


class OutputCollector:
    """What a run printed: its first `limit` bytes, and its last `tail_keep` bytes.

    The reader keeps nothing else, so memory stays bounded whatever the run prints;
    `exceeded` is set as soon as it printed more than `limit` bytes.
    """

    def __init__(self, limit: int, tail_keep: int = TAIL_KEEP_BYTES) -> None:
        self.limit = limit
        self.tail_keep = tail_keep
        self.head = bytearray()
        self.tail: deque[bytes] = deque()  # the end of the output, head included
        self.tail_size = 0
        self.printed = 0
        self.exceeded = threading.Event()
        # A reader still blocked (a process that outlived the kill holds the pipe) may
        # add while the runner reads: each sees whole chunks.
        self._lock = threading.Lock()

    def add(self, chunk: bytes) -> None:
        with self._lock:
            self._add(chunk)

    def _add(self, chunk: bytes) -> None:
        self.printed += len(chunk)
        if (room := self.limit - len(self.head)) > 0:
            self.head += chunk[:room]
        if self.printed > self.limit:
            self.exceeded.set()
        self.tail.append(chunk)
        self.tail_size += len(chunk)
        while self.tail_size > self.tail_keep:
            excess = self.tail_size - self.tail_keep
            if len(self.tail[0]) <= excess:
                self.tail_size -= len(self.tail.popleft())
            else:
                self.tail[0] = self.tail[0][excess:]
                self.tail_size -= excess

    def kept(self) -> int:
        """Bytes held: at most limit + tail_keep, whatever was printed."""
        return len(self.head) + self.tail_size

    def drain(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        while chunk := proc.stdout.read1(65536):
            self.add(chunk)

    def text(self) -> tuple[str, str, bool]:
        """The head, and past the limit the tail, decoded; and whether a byte was not UTF-8.

        A character that the limit cut in two is left out of the head; the tail starts
        at its first whole line (or, in one long line, its first whole character).
        """
        with self._lock:
            return self._text()

    def _text(self) -> tuple[str, str, bool]:
        if not self.exceeded.is_set():
            head, undecodable = _decode(bytes(self.head), final=True)
            return head, "", undecodable
        head, undecodable = _decode(bytes(self.head), final=False)
        tail = b"".join(self.tail)
        if self.printed > len(tail):  # it starts in the middle of the output
            newline = tail.find(b"\n")
            if newline >= 0:
                tail = tail[newline + 1 :]
            while tail[:1] and 0x80 <= tail[0] < 0xC0:  # continuation bytes
                tail = tail[1:]
        tail_text, tail_undecodable = _decode(tail, final=True)
        return head, tail_text, undecodable or tail_undecodable


def _decode(raw: bytes, final: bool) -> tuple[str, bool]:
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(raw, final=final), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), True


Ended = Literal["exited", "timed out", "output limit"]


def _wait_exited(proc: subprocess.Popen, deadline: float, stop: threading.Event) -> Ended:
    """Wait for the leader to exit (not reaping it), for the deadline or for `stop`."""
    if hasattr(os, "pidfd_open"):
        with contextlib.suppress(OSError):
            return _wait_on_pidfd(os.pidfd_open(proc.pid), deadline, stop)
    delay = 0.001
    while True:
        if _has_exited(proc):
            return "exited"
        if stop.is_set():
            return "output limit"
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return "timed out"
        stop.wait(min(delay, remaining))
        delay = min(delay * 2, 0.02)


def _wait_on_pidfd(pidfd: int, deadline: float, stop: threading.Event) -> Ended:
    """Linux: a pidfd becomes readable the moment its process exits (not reaped), so the
    exit is seen at once rather than at the next poll of a growing interval."""
    try:
        while True:
            if stop.is_set():
                return "output limit"
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return "timed out"
            if select.select([pidfd], [], [], min(remaining, 0.02))[0]:
                return "exited"
    finally:
        os.close(pidfd)


def _has_exited(proc: subprocess.Popen) -> bool:
    if _WINDOWS or not hasattr(os, "waitid"):
        return proc.poll() is not None  # Windows: Popen's handle keeps the pid from reuse
    return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


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
