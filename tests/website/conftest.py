"""Real strict builds of the whole site, shared by the site tests: the default builder's
fresh build (every example runs) and, for the tests that check both builders, the other
builder's build of the same pages (reusing those runs from the cache)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitebuild import REPO_ROOT, Build

from example_engine.builders import BUILDERS, DEFAULT_BUILDER


def build_site(tmp: Path, builder: str, fresh: bool) -> Build:
    # The project's own cache: the build is fresh (its own build id) either way, and the
    # browser tests' --cached builds then reuse these runs instead of repeating them.
    cache = Path(os.environ.get("EXAMPLES_CACHE_DIR", REPO_ROOT / ".cache" / "examples"))
    env = dict(os.environ, EXAMPLES_CACHE_DIR=str(cache))
    command = [sys.executable, "-m", "example_engine.build", "--builder", builder]
    command += ["--site-dir", str(tmp / "site")] + ([] if fresh else ["--cached"])
    started = time.perf_counter()
    proc = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, f"the strict {builder} build failed:\n{proc.stdout}\n{proc.stderr}"
    assert f"with {builder} in" in proc.stdout, proc.stdout
    build_id = re.search(r"\(build ([0-9a-f]+)\)", proc.stdout)
    assert bool(build_id) == fresh, proc.stdout
    build_id_text = build_id[1] if build_id else ""
    return Build(tmp / "site", cache, build_id_text, proc.stdout, seconds, builder)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Build:
    """The default builder's fresh build: every example runs, exactly once."""
    return build_site(tmp_path_factory.mktemp("build"), DEFAULT_BUILDER, fresh=True)


@pytest.fixture(scope="session")
def built_by(built, tmp_path_factory):
    """builder -> its build of the site, made at most once per session."""
    builds = {built.builder: built}

    def get(builder: str) -> Build:
        if builder not in builds:
            tmp = tmp_path_factory.mktemp(f"build-{builder}")
            builds[builder] = build_site(tmp, builder, fresh=False)
        return builds[builder]

    return get


@pytest.fixture(params=BUILDERS)
def any_built(request, built_by) -> Build:
    """A test that takes this runs once on each builder's build."""
    return built_by(request.param)
