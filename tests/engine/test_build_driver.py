"""The build driver's failure paths, on fixture pages (never by breaking real examples)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from example_engine.catalog import examples_in, pages_by_example
from example_engine.runner import process_alive

PAGES = "tests/engine/fixtures/pages"


def check(pages: str, repo_root, tmp_path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "example_engine.build", "--examples-only", "--docs", pages],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "EXAMPLES_CACHE_DIR": str(tmp_path)},
    )
    return proc, time.perf_counter() - started


def test_every_broken_example_fails_loudly_naming_page_example_and_output(repo_root, tmp_path):
    proc, elapsed = check(f"{PAGES}/broken.md", repo_root, tmp_path)
    page = f"{PAGES}/broken.md"
    err = proc.stderr
    assert proc.returncode == 1
    assert "6 example(s) failed" in err
    expected = {
        "raises.py": ["exited with code 1", "| json.decoder.JSONDecodeError"],
        "exit_three.py": ["exited with code 3", "| line 1", "| line 2"],
        "hang.py": ["timed out after 2 s; its process group was killed", "| parent"],
        "missing.py": ["the example file does not exist"],
        "bad_bytes.py": ["not valid UTF-8", "| bad: \ufffd\ufffd"],
        "unexpected_success.py": ["declared to exit with 1", "| declared to fail"],
    }
    for name, needles in expected.items():
        header = f"{page}: example tests/engine/fixtures/{name} "
        assert header in err, err
        block = err[err.index(header) :].split("\n\n")[0]
        for needle in needles:
            assert needle in block, block
    # The hang was killed at its 2 s timeout: the whole check stays within timeout + 5 s.
    assert elapsed < 2 + 5
    pids = [int(p) for p in re.findall(r"parent (\d+) child (\d+)", err)[0]]
    assert not [p for p in pids if process_alive(p)]


def test_pages_whose_examples_run_as_declared_pass(repo_root, tmp_path):
    proc, _ = check(f"{PAGES}/fine.md", repo_root, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "2 example(s) ran as declared" in proc.stdout


def test_examples_are_found_in_page_order(repo_root):
    text = (repo_root / PAGES / "broken.md").read_text()
    assert [p.rsplit("/", 1)[1] for p in examples_in(text)] == [
        "raises.py",
        "exit_three.py",
        "hang.py",
        "missing.py",
        "bad_bytes.py",
        "unexpected_success.py",
    ]
    shown = pages_by_example([repo_root / PAGES], repo_root)
    assert shown["tests/engine/fixtures/hello.py"] == [f"{PAGES}/fine.md"]


def test_a_builds_cpu_time_counts_the_processes_it_waited_for():
    # What `make bench` divides over the cores to find the least time a build could take:
    # the work of a waited-for child (an example, a language build) must be in it.
    from example_engine.build import cpu_seconds

    before = cpu_seconds()
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    subprocess.run([sys.executable, "-c", burn], check=True)
    assert cpu_seconds() - before >= 0.3
