"""Checks of the repository itself: lint, formatting, workflows, the front door."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)


def test_ruff_check():
    proc = run(sys.executable, "-m", "ruff", "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format():
    proc = run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflows_pass_zizmor_offline():
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent))
    assert zizmor, "zizmor is installed from requirements.txt"
    proc = run(zizmor, "--offline", "--min-severity", "low", ".github/workflows")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflows_pin_actions_and_drop_default_permissions():
    for workflow in (REPO_ROOT / ".github" / "workflows").glob("*.yml"):
        text = workflow.read_text(encoding="utf-8")
        assert re.search(r"^permissions: \{\}$", text, re.M), workflow.name
        for uses in re.findall(r"uses: (\S+)", text):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"{workflow.name}: {uses}"


def test_make_help_lists_every_target():
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY: (.+)$", makefile, re.M)[1].split()
    documented = re.findall(r"^([a-z-]+):.*## ", makefile, re.M)
    assert set(phony) == set(documented)
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("make serve", "make test", "make build", "make bench"):
        assert command in readme


def test_ci_runs_the_readme_test_command():
    script = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", script, re.M)
