"""Lighthouse (npm, pinned in package.json) under its mobile preset, on both home pages and
the content pages most at risk, in both languages between them: the most code blocks and
tabs, the most figures, the execution report's wide table. Accessibility, best practices
and SEO, which do not vary from run to run, must be perfect. Performance is a
measurement, not a pass/fail check on a busy machine: `make lighthouse` measures it on
every page. Reports go to test-results/lighthouse/."""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from background import LAST_NICE, job
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


# Two Lighthouse processes side by side, each auditing half the pages one after the
# other with its own Chromium (Lighthouse runs one audit at a time per process). Most of
# an audit is waiting (for the network and the CPU to be quiet), so two overlap well;
# and each process pays Node's start, Lighthouse's configuration and Chromium's launch
# once, about 7 s of CPU, against about 2 s per page audited. These three categories do
# not depend on how busy the machine is.
SIDE_BY_SIDE = 2


@job("lighthouse_scores", nice=LAST_NICE)
def audit(sites: Sites) -> dict:
    node = node_tools()
    site = sites.get(DEFAULT_BUILDER)
    shutil.rmtree(OUT, ignore_errors=True)

    def batch(names: list[str]) -> dict:
        folder = OUT / names[0]  # the reports of these pages, and their scores.json
        proc = subprocess.run(
            [
                node,
                "tests/browser/lighthouse.mjs",
                str(folder),
                "mobile",
                ",".join(CATEGORIES),
                "1",
                *(f"{name}={site.page_url(*PAGES[name])}" for name in names),
            ],
            cwd=REPO_ROOT,
            env=dict(sites.environ, CHROME_PATH=str(CHROMIUM)),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        scores = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
        return {
            name: dict(scores[name], report=f"{folder.name}/{name}.report.html") for name in names
        }

    names = list(PAGES)
    batches = [names[i::SIDE_BY_SIDE] for i in range(SIDE_BY_SIDE)]
    with ThreadPoolExecutor(SIDE_BY_SIDE) as pool:
        return {name: entry for found in pool.map(batch, batches) for name, entry in found.items()}


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
        f"{name}: {low} below 1; see test-results/lighthouse/{result['report']}\n"
        f"audits that lowered them:\n{failing}"
    )
