"""Lighthouse (npm, pinned in package.json) on both home pages and a content page of each
language: performance, accessibility, best practices and SEO. `make lighthouse` runs this
file alone; scores and reports go to test-results/lighthouse/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from browsing import CHROMIUM, REPO_ROOT

pytestmark = pytest.mark.browser

THRESHOLD = 0.95
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "zh-home": ("zh", "index"),
    "zh-processes": ("zh", "processes"),
    "en-home": ("en", "index"),
    "en-processes": ("en", "processes"),
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


@pytest.fixture(scope="module")
def scores(site) -> dict:
    node = node_tools()
    shutil.rmtree(OUT, ignore_errors=True)
    pages = [f"{name}={site.page_url(*page)}" for name, page in PAGES.items()]
    proc = subprocess.run(
        [node, "tests/browser/lighthouse.mjs", str(OUT), *pages],
        cwd=REPO_ROOT,
        env=dict(os.environ, CHROME_PATH=str(CHROMIUM)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((OUT / "scores.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PAGES)
def test_lighthouse_scores(scores, name):
    result = scores[name]
    assert result["runtimeError"] is None, result["runtimeError"]
    low = {c: s for c, s in result["categories"].items() if s is None or s < THRESHOLD}
    failing = "\n".join(
        f"  {a['id']} ({a['score']}): {a['title']} {a.get('value') or ''}"
        for a in result["failing"]
    )
    assert not low, (
        f"{name}: {low} below {THRESHOLD}; see test-results/lighthouse/{name}.report.html\n"
        f"audits that did not pass:\n{failing}"
    )
