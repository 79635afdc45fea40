"""Work made by a test-support file run as a script, in a process of its own (sweep.py,
watched.py): it can start with the session, and its threads do not take the test
process's GIL from the tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def records_from(script: str, out: Path, *args: str, env: dict[str, str]) -> list[Any]:
    """Run `python SCRIPT OUT ARGS...` from the repository root; the JSON it wrote to OUT."""
    done = subprocess.run(
        [sys.executable, script, str(out), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"{Path(script).name} failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(out.read_text(encoding="utf-8"))
