"""One real, fresh, strict build of the whole site, shared by the site tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitebuild import REPO_ROOT, Build


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Build:
    tmp = tmp_path_factory.mktemp("build")
    # The project's own cache: the build is fresh (its own build id) either way, and the
    # browser tests' --cached build then reuses these runs instead of repeating them.
    cache = Path(os.environ.get("EXAMPLES_CACHE_DIR", REPO_ROOT / ".cache" / "examples"))
    env = dict(os.environ, EXAMPLES_CACHE_DIR=str(cache))
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "example_engine.build", "--site-dir", str(tmp / "site")],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, f"the strict build failed:\n{proc.stdout}\n{proc.stderr}"
    build_id = re.search(r"\(build ([0-9a-f]+)\)", proc.stdout)
    assert build_id, proc.stdout
    return Build(tmp / "site", cache, build_id[1], proc.stdout, seconds)
