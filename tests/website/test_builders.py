"""What the driver guarantees under either builder, on small copies of the project
(tests/website/sitecopy.py): a broken link or anchor fails the build, and the live
preview shows an edited example, running again only that example."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from background import LATER_NICE, job
from sitecopy import make_copy, page
from sites import Sites

from example_engine.builders import BUILDERS, ZENSICAL_ROOTS

# Links in Markdown, which each builder's strict mode checks...
BROKEN_MARKDOWN = (
    "[A page that does not exist](no-such-page.md), "
    "[an anchor that does not exist](index.md#no-such-anchor).\n",
    ["no-such-page", "no-such-anchor"],
)
# ...and in HTML, which only the driver's check of the built site sees.
BROKEN_HTML = (
    '<p><a href="../no-such-folder/">A page</a>, <a href="./#no-such-id">an anchor</a>.</p>\n',
    ["broken link ../no-such-folder/", "missing anchor ./#no-such-id"],
)
# An example fence with an option that examples.toml holds: the page shows a box that
# says so (MkDocs' strict mode stops on the engine's warning; Zensical ignores Python's
# logging, and the driver's check stops on the box).
BROKEN_FENCE = (
    '```example exec="on" returncode="1"\nexamples/t/ex01_hello.py\n```\n',
    ["examples/t/ex01_hello.py: the option returncode is exit_code in the example's examples.toml"],
)


def driver(*args: str) -> list[str]:
    return [sys.executable, "-m", "example_engine.build", *args]


def generated_configs(root: Path) -> list[Path]:
    return [p for folder in ZENSICAL_ROOTS.values() for p in (root / folder).glob(".zensical-*")]


BROKEN = {"markdown": BROKEN_MARKDOWN, "html": BROKEN_HTML, "fence": BROKEN_FENCE}


@dataclass(frozen=True)
class FailedBuild:
    returncode: int
    output: str
    site_after: list[str]  # what is in the site folder after the build
    generated: list[Path]  # Zensical configs the driver generated and left behind


def build_broken(folder: Path, builder: str, kind: str) -> FailedBuild:
    text, _ = BROKEN[kind]
    root = folder / "copy"
    examples = {"examples/t/ex01_hello.py": 'print("hello")\n'}
    env = make_copy(root, {"index.md": page("首页", "home", text)}, examples)
    site = folder / "site"
    site.mkdir()
    (site / "previous.html").write_text("the site of the last good build")
    proc = subprocess.run(
        driver("--cached", "--builder", builder, "--site-dir", str(site)),
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    site_after = sorted(p.name for p in site.iterdir())
    return FailedBuild(
        proc.returncode, proc.stdout + proc.stderr, site_after, generated_configs(root)
    )


@job("broken_builds", nice=LATER_NICE)
def build_every_broken_copy(sites: Sites) -> dict[tuple[str, str], FailedBuild]:
    """Each broken copy built by each builder, a few side by side (tests/background.py)."""
    cases = [(builder, kind) for builder in BUILDERS for kind in BROKEN]
    folder = sites.folder / "broken"

    def one(case: tuple[str, str]) -> FailedBuild:
        return build_broken(folder.joinpath(*case), *case)

    with ThreadPoolExecutor(3) as pool:
        return dict(zip(cases, pool.map(one, cases), strict=True))


@pytest.fixture(scope="session")
def broken_builds(background) -> dict[tuple[str, str], FailedBuild]:
    return background.result("broken_builds")


@pytest.mark.parametrize("kind", BROKEN)
@pytest.mark.parametrize("builder", BUILDERS)
def test_a_broken_link_anchor_or_fence_fails_the_build(broken_builds, builder, kind):
    build = broken_builds[builder, kind]
    assert build.returncode == 1, build.output
    for message in BROKEN[kind][1]:
        assert message in build.output, build.output
    assert build.site_after == ["previous.html"], "a failed build replaced site/"
    assert build.generated == []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def served(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, proc: subprocess.Popen, seconds: float) -> str:
    """Poll the served page until it holds `text` (or fail after `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read()
        if text in (html := served(url)):
            return html
        time.sleep(0.1)
    raise AssertionError(f"{url} never showed {text!r}")


def executions(root: Path) -> dict[str, int]:
    log = root / ".cache" / "examples" / "executions.jsonl"
    counts: dict[str, int] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        example = json.loads(line)["example"]
        counts[example] = counts.get(example, 0) + 1
    return counts


@pytest.mark.parametrize("builder", BUILDERS)
def test_the_preview_shows_an_edited_example_and_runs_only_that_one(builder, tmp_path):
    edited, untouched = "examples/preview/ex01_edited.py", "examples/preview/ex02_untouched.py"
    fences = "".join(f'```example exec="on"\n{path}\n```\n\n' for path in (edited, untouched))
    root = tmp_path / "copy"
    env = make_copy(
        root,
        {"index.md": page("预览", "preview", fences)},
        {edited: 'print("first version")\n', untouched: 'print("never edited")\n'},
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    windows = sys.platform == "win32"
    proc = subprocess.Popen(
        driver("--serve", "zh", "--builder", builder, "--dev-addr", f"127.0.0.1:{port}"),
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=not windows,
        creationflags=subprocess.CREATE_NEW_PROCESS_GROUP if windows else 0,
    )
    try:
        wait_for(url, "first version", proc, 120)
        (root / edited).write_text('print("second version")\n', encoding="utf-8")
        html = wait_for(url, "second version", proc, 60)
        assert "first version" not in html
        assert "never edited" in html
        assert executions(root) == {edited: 2, untouched: 1}
    finally:
        # The driver stops the builder's server and removes what it generated.
        proc.send_signal(signal.CTRL_BREAK_EVENT if windows else signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        finally:
            if not windows:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # and nothing of the group is left
    assert proc.returncode == 0, proc.stdout.read()
    assert generated_configs(root) == []
