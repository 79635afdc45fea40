"""Lighthouse (npm, pinned in package.json) under its mobile preset, on both home pages and
the content pages most at risk, in both languages between them: the most code blocks and
tabs, the most figures, the execution report's wide table. Accessibility, best practices
and SEO, which do not vary from run to run, must be perfect. Performance is a
measurement, not a pass/fail check on a busy machine: `make lighthouse` measures it on
every page. Reports go to test-results/lighthouse/<page>/."""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from background import job
from browsing import CHROMIUM, REPO_ROOT
from sites import Sites

from example_engine.builders import DEFAULT_BUILDER

pytestmark = pytest.mark.browser

CATEGORIES = ("accessibility", "best-practices", "seo")
PAGES = {
    "zh-home": ("zh", "index"),
    "zh-pools": ("zh", "pools"),  # the most code blocks and tabs
    "zh-report": ("zh", "report"),  # a wide table of code (legible font sizes)
    "en-home": ("en", "index"),
    "en-processes": ("en", "processes"),
    "en-processes-vs-threads": ("en", "processes-vs-threads"),  # the most figures
}
OUT = REPO_ROOT / "test-results" / "lighthouse"


def node_tools() -> str:
    node = shutil.which("node")
    installed = REPO_ROOT / "node_modules" / "lighthouse" / "package.json"
    if not node or not installed.is_file():
        pytest.fail(
            "Lighthouse is not installed: `make node-tools` (npm ci; needs node 20 and npm)",
            pytrace=False,
        )
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is missing ({CHROMIUM})", pytrace=False)
    return node


# Audits that run side by side, each with its own Chromium (Lighthouse runs one audit at
# a time per process). An audit mostly waits (for the network and CPU to be quiet, for a
# second load that tests the back/forward cache): side by side they take a third of the
# time, and these three categories do not depend on how busy the machine is.
SIDE_BY_SIDE = 3


@job("lighthouse_scores")
def audit(sites: Sites) -> dict:
    node = node_tools()
    site = sites.get(DEFAULT_BUILDER)
    shutil.rmtree(OUT, ignore_errors=True)

    def one(name: str) -> dict:
        folder = OUT / name  # its report and scores.json
        proc = subprocess.run(
            [
                node,
                "tests/browser/lighthouse.mjs",
                str(folder),
                "mobile",
                ",".join(CATEGORIES),
                "1",
                f"{name}={site.page_url(*PAGES[name])}",
            ],
            cwd=REPO_ROOT,
            env=dict(sites.environ, CHROME_PATH=str(CHROMIUM)),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return json.loads((folder / "scores.json").read_text(encoding="utf-8"))[name]

    with ThreadPoolExecutor(SIDE_BY_SIDE) as pool:
        return dict(zip(PAGES, pool.map(one, PAGES), strict=True))


@pytest.fixture(scope="session")
def lighthouse_scores(background) -> dict:
    return background.result("lighthouse_scores")


@pytest.mark.parametrize("name", PAGES)
def test_lighthouse_scores(lighthouse_scores, name):
    result = lighthouse_scores[name]
    assert not result["runtimeErrors"], result["runtimeErrors"]
    low = {c: runs for c, runs in result["categories"].items() if min(runs, default=0) < 1}
    failing = "\n".join(
        f"  {audit} ({a['category']}, {a['score']}): {a['title']} {a['value'] or ''}"
        for audit, a in result["failing"].items()
    )
    assert not low, (
        f"{name}: {low} below 1; see test-results/lighthouse/{name}/{name}.report.html\n"
        f"audits that lowered them:\n{failing}"
    )
