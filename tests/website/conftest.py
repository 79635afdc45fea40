"""One real, fresh, strict build of the whole site, shared by the site tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
LANGS = {"zh": "", "en": "en"}


@dataclass(frozen=True)
class Build:
    site: Path
    cache_dir: Path
    build_id: str
    output: str
    seconds: float

    def lang_root(self, lang: str) -> Path:
        return self.site / LANGS[lang] if LANGS[lang] else self.site

    def pages(self, lang: str) -> dict[str, Path]:
        """Page source path (e.g. "pools.md") -> its built HTML file."""
        docs = REPO_ROOT / "docs" / lang
        pages = {}
        for md in docs.rglob("*.md"):
            rel = md.relative_to(docs).with_suffix("")
            html = rel / "index.html" if rel.name != "index" else rel.with_suffix(".html")
            pages[md.relative_to(docs).as_posix()] = self.lang_root(lang) / html
        return pages


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Build:
    tmp = tmp_path_factory.mktemp("build")
    env = dict(os.environ, EXAMPLES_CACHE_DIR=str(tmp / "cache"))
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
    return Build(tmp / "site", tmp / "cache", build_id[1], proc.stdout, seconds)
