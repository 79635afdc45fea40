"""The runner: one OS process per example, everything it printed, nothing left behind."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from example_engine.render import render_failure
from example_engine.runner import (
    DEFAULT_OUTPUT_LIMIT,
    TAIL_KEEP_BYTES,
    OutputCollector,
    process_alive,
    run_example,
)

FIXTURES = "tests/engine/fixtures"
METHODS = mp.get_all_start_methods()


def run(name: str, root: Path, **kwargs):
    return run_example(f"{FIXTURES}/{name}", root, **kwargs)


@pytest.mark.parametrize("method", METHODS)
def test_child_process_output_is_kept(repo_root, method, tmp_path):
    # The fixture takes the start methods from argv; copy it so the runner runs it plainly.
    script = tmp_path / "child.py"
    source = (repo_root / FIXTURES / "child_output.py").read_text()
    script.write_text(source.replace("sys.argv[1:]", repr([method])))
    result = run_example("child.py", tmp_path)
    assert result.ok, result.output
    assert f"child under {method}\n" in result.output
    assert "from a thread\n" in result.output


@pytest.mark.parametrize("method", METHODS)
def test_default_start_method_can_be_forced(repo_root, method):
    result = run("default_start_method.py", repo_root, start_method=method)
    assert result.ok, result.output
    assert result.output == f"child ran under {method}\n"
    assert result.interpreter.default_start_method == method


def test_records_interpreter_and_duration(repo_root):
    result = run("hello.py", repo_root)
    assert result.output == "hello\n"
    assert result.exit_code == 0 and result.ok
    interp = result.interpreter
    assert interp.version == ".".join(map(str, sys.version_info[:3]))
    assert interp.gil_enabled == getattr(sys, "_is_gil_enabled", lambda: True)()
    assert interp.default_start_method == mp.get_start_method()
    assert 0 < result.duration_s < 10


def test_timeout_kills_the_whole_process_group(repo_root):
    started = time.perf_counter()
    result = run("hang.py", repo_root, timeout_s=1.5)
    elapsed = time.perf_counter() - started
    assert result.timed_out and not result.ok
    assert result.exit_code is None
    assert "timed out after 1.5 s" in result.problem()
    assert 1.5 <= elapsed < 1.5 + 5
    pids = [int(p) for p in re.findall(r"\d+", result.output)]
    assert len(pids) == 2, result.output
    assert all(_gone(p) for p in pids)


def test_processes_left_behind_after_a_normal_exit_are_killed(repo_root):
    # On Windows too: the orphan is no longer in its exited parent's tree, but it
    # carries the run's token (example_engine/reaper.py).
    result = run("orphan.py", repo_root)
    assert result.ok, result.output
    (pid,) = [int(p) for p in re.findall(r"orphan (\d+)", result.output)]
    assert _gone(pid)


def test_machine_paths_are_stripped(repo_root):
    result = run("prints_paths.py", repo_root)
    lines = result.output.splitlines()
    assert lines[0] == f"{FIXTURES}/prints_paths.py"
    assert lines[1] == "<stdlib>/json/__init__.py"
    assert lines[2].startswith("<venv>/") or lines[2].startswith("<")
    assert str(repo_root) not in result.output
    assert sys.prefix not in result.output


def test_traceback_of_a_failing_example(repo_root):
    result = run("raises.py", repo_root)
    assert result.exit_code == 1 and not result.ok
    assert result.problem() == "exited with code 1"
    assert f'File "{FIXTURES}/raises.py", line 4' in result.output
    assert 'File "<stdlib>/json/' in result.output
    assert result.output.startswith("about to parse\n")
    assert result.tail(1) == "json.decoder.JSONDecodeError: " + result.tail(1).split(": ", 1)[1]


def test_unexpected_exit_code(repo_root):
    result = run("exit_three.py", repo_root)
    assert (result.exit_code, result.ok) == (3, False)
    assert result.problem() == "exited with code 3"


def test_declared_failure_passes_and_unexpected_success_fails(repo_root):
    assert run("expected_failure.py", repo_root, expected_exit_code=1).ok
    result = run("unexpected_success.py", repo_root, expected_exit_code=1)
    assert not result.ok
    assert "exited with code 0, but it is declared to exit with 1" in result.problem()


def test_undecodable_bytes_are_replaced_and_fail(repo_root):
    result = run("bad_bytes.py", repo_root)
    assert result.exit_code == 0 and result.undecodable and not result.ok
    assert result.output == "valid line\nbad: \ufffd\ufffd\n"
    assert "not valid UTF-8" in result.problem()


def test_missing_example(repo_root):
    result = run("missing.py", repo_root)
    assert result.missing and not result.ok
    assert result.problem() == "the example file does not exist"


def test_stdin_is_closed(repo_root):
    result = run("reads_stdin.py", repo_root, timeout_s=5)
    assert result.ok
    assert result.output == "stdin gave ''\n"


def test_an_example_that_floods_is_stopped_at_its_output_limit(repo_root):
    started = time.perf_counter()
    result = run("flood.py", repo_root, output_limit=4096, timeout_s=20)
    assert time.perf_counter() - started < 10, "stopped by its timeout, not by its limit"
    assert result.output_exceeded and not result.timed_out and not result.ok
    assert result.exit_code is None  # it was killed: it never ends by itself
    assert "printed more than its output limit of 4 KiB" in result.problem()
    # What was kept is bounded: the limit, and the end of the output.
    assert len(result.output.encode()) == 4096
    assert len(result.output_tail.encode()) <= TAIL_KEEP_BYTES
    assert result.printed_bytes > 4096
    assert result.output.startswith("line 1\nline 2\nline 3\n")
    first, last = _numbers(result.output), _numbers(result.output_tail)
    assert first == list(range(1, len(first) + 1))
    assert last == list(range(last[0], last[0] + len(last)))  # whole lines, in order
    assert last[-1] > first[-1]  # it went on printing past the limit until it was killed
    # A failure shows its first lines and its last lines.
    shown = result.excerpt().splitlines()
    assert shown[:10] == [f"line {n}" for n in range(1, 11)]
    assert "printed in all" in shown[10]
    assert shown[11:] == result.output_tail.splitlines()[-10:]


def _numbers(text: str) -> list[int]:
    return [int(m) for m in re.findall(r"^line (\d+)$", text, re.MULTILINE)]


def test_the_default_output_limit_is_far_above_what_any_example_prints(repo_root):
    largest = max(p.stat().st_size for p in (repo_root / "examples").rglob("*.out"))
    assert 100 * largest < DEFAULT_OUTPUT_LIMIT
    assert run("hello.py", repo_root).output_limit == DEFAULT_OUTPUT_LIMIT


def test_the_collector_keeps_a_bounded_head_and_tail_whatever_is_printed():
    """200 MiB through the reader: it keeps the first `limit` bytes and the last ones."""
    collector = OutputCollector(limit=1000, tail_keep=5000)
    chunk = bytes(range(256)) * 256  # 64 KiB
    for _ in range(200 * 16):
        collector.add(chunk)
    assert collector.printed == 200 * 1024 * 1024
    assert collector.exceeded.is_set()
    assert collector.kept() == 1000 + 5000
    assert bytes(collector.head) == chunk[:1000]
    assert b"".join(collector.tail) == chunk[-5000:]


def test_a_character_cut_by_the_limit_is_not_undecodable():
    collector = OutputCollector(limit=5, tail_keep=15)
    collector.add("abcd€ and more\nlast line\n".encode())  # € is 3 bytes: cut after 1
    head, tail, undecodable = collector.text()
    # The tail (its last 15 bytes) starts inside a line: it shows from the next one.
    assert (head, tail, undecodable) == ("abcd", "last line\n", False)


def test_an_output_under_the_limit_is_whole():
    collector = OutputCollector(limit=100)
    collector.add(b"x" * 100)
    assert not collector.exceeded.is_set()
    assert collector.text() == ("x" * 100, "", False)


def test_a_flood_fails_the_build_naming_page_and_example_with_first_and_last_lines(
    repo_root, tmp_path
):
    proc = subprocess.run(
        [sys.executable, "-m", "example_engine.build", "--examples-only", "--docs", PAGE],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "EXAMPLES_CACHE_DIR": str(tmp_path)},
    )
    assert proc.returncode == 1
    err = proc.stderr
    assert len(err) < 20_000, "the build's message must stay short"
    header = f"{PAGE}: example {FIXTURES}/flood.py printed more than its output limit of 1 MiB"
    assert header in err
    assert "first and last lines of its output:\n    | line 1\n    | line 2\n" in err
    last = [int(n) for n in re.findall(r"\| line (\d+)", err)][-1]
    assert last > 50_000  # 1 MiB is some 100 000 lines of "line 12345"


PAGE = f"{FIXTURES}/pages/flood.md"


def test_the_error_box_of_mkdocs_serve_shows_first_and_last_lines(repo_root):
    result = run("flood.py", repo_root, output_limit=2000)
    box = "\n".join(render_failure(result, ["docs/en/x.md"], "en"))
    assert "printed more than its output limit" in box
    assert "    line 1\n    line 2\n" in box
    assert f"    {result.output_tail.splitlines()[-1]}" in box
    assert len(box) < 5000


def test_terminal_control_sequences_never_reach_the_output(repo_root):
    result = run("terminal_codes.py", repo_root)
    assert result.ok
    assert result.output == (
        "red and bold then plain\n"
        "after the title\n"
        "a link in the text\n"
        "a bell\u2407, a NUL\u2400, a DEL\u2421 and a C1 control\n"
        "progress 100%\n"
        "abc45678\n"  # "abc" over "12345678", from column 0, as a terminal shows it
        "done\n"  # \r then erase the line
        "cursor moved up, charset chosen\n"
        "a Windows line end\n"
        "tab\tkept\n"
    )


def _gone(pid: int, within_s: float = 2.0) -> bool:
    """SIGKILL is delivered asynchronously: give the kernel a moment to act on it."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.01)
    return False


@pytest.mark.skipif(os.name == "nt", reason="SIGINT dispositions are POSIX")
def test_an_example_gets_ctrl_c_even_when_the_engine_was_started_ignoring_it(repo_root):
    """`make test &` from a script starts everything with SIGINT ignored, which exec keeps:
    the engine undoes it, so an example that shows Ctrl+C sees a KeyboardInterrupt."""
    code = (
        "from pathlib import Path\nfrom example_engine.runner import run_example\n"
        f"result = run_example({FIXTURES + '/ctrl_c.py'!r}, Path({str(repo_root)!r}))\n"
        "print(result.output, end='')\n"
    )

    def ignore_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    proc = subprocess.run(
        [sys.executable, "-c", code],
        preexec_fn=ignore_sigint,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "KeyboardInterrupt\n"
