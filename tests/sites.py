"""The site as one real strict build produces it, served on 127.0.0.1 (tests/conftest.py).

One build per builder per test session, shared by the site tests and the browser tests:
the default builder's is fresh (every example runs, exactly once, and the example sweep
reads those runs instead of repeating them), the other builder's reuses those runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from siteserver import SiteServer

from example_engine.runner import environ_copy
from example_engine.store import BUILD_ID_ENV

REPO_ROOT = Path(__file__).resolve().parents[1]
LANGS = {"zh": "", "en": "en"}
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
PREFIX = {"zh": "", "en": "en/"}


def page_path(name: str) -> str:
    """A page's URL path under its language root: "" for the home page."""
    return "" if name == "index" else f"{name}/"


@dataclass(frozen=True)
class Build:
    site: Path  # the built site's folder: zh at its root, en under en/
    url: str  # where it is served, with a trailing slash
    builder: str
    cache_dir: Path
    build_id: str  # "" for a build that reused cached runs
    output: str
    seconds: float

    @property
    def root(self) -> Path:
        return self.site

    def page_url(self, lang: str, name: str) -> str:
        return f"{self.url}{PREFIX[lang]}{page_path(name)}"

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

    def search_locations(self, lang: str) -> list[str]:
        """The page locations in this language's search index, as the builder wrote it."""
        root = self.lang_root(lang)
        if self.builder == "mkdocs":
            index = json.loads((root / "search" / "search_index.json").read_text())
            assert index["config"]["lang"] == [lang]
            return [doc["location"] for doc in index["docs"]]
        index = json.loads((root / "search.json").read_text())
        assert index["config"]["lang"] == [HTML_LANG[lang]]
        return [item["location"] for item in index["items"]]

    def page_pairs(self) -> list[tuple[str, str, str]]:
        """Each page with its built HTML in Chinese and in English."""
        en = self.pages("en")
        return [
            (page, zh.read_text(encoding="utf-8"), en[page].read_text(encoding="utf-8"))
            for page, zh in self.pages("zh").items()
        ]


class Sites:
    """Each builder's site, built and served at most once per session.

    Safe to use from several threads (tests/background.py builds them early): a thread
    asking for a site that another thread is building waits for that build. A failed
    build is not retried: every test that needs it gets the same error.
    """

    def __init__(self, folder: Path, default_builder: str, servers: ExitStack) -> None:
        self.folder = folder
        self.default_builder = default_builder
        self.servers = servers
        self.builds: dict[str, Build | BaseException] = {}
        self._locks: dict[str, Lock] = {}
        self._lock = Lock()
        # The project's own cache: the fresh build has its own build id either way, and
        # the other builds reuse its runs instead of repeating them.
        self.cache = Path(os.environ.get("EXAMPLES_CACHE_DIR", REPO_ROOT / ".cache" / "examples"))
        # The environment as the session began, for everything started from here: the
        # builds run on other threads while tests set variables of their own (monkeypatch)
        # in os.environ, which must not reach them. A cached build has no build id.
        self.environ = {k: v for k, v in environ_copy().items() if k != BUILD_ID_ENV}

    def get(self, builder: str) -> Build:
        if builder != self.default_builder:
            self.get(self.default_builder)  # the fresh one first: the others reuse it
        with self._lock:
            lock = self._locks.setdefault(builder, Lock())
        with lock:
            if builder not in self.builds:
                try:
                    fresh = builder == self.default_builder
                    self.builds[builder] = self._build(builder, fresh=fresh)
                except BaseException as error:  # kept, so that no other test retries it
                    self.builds[builder] = error
        build = self.builds[builder]
        if isinstance(build, BaseException):
            raise build
        return build

    def _build(self, builder: str, fresh: bool) -> Build:
        site = self.folder / builder / "site"
        server = SiteServer(site)  # bound now: the build writes its URL into the pages
        env = dict(
            self.environ,
            EXAMPLES_CACHE_DIR=str(self.cache),
            SITE_URL=server.url,
            SITE_URL_EN=f"{server.url}en/",
            NO_MKDOCS_2_WARNING="1",
        )
        command = [sys.executable, "-m", "example_engine.build", "--builder", builder]
        command += ["--site-dir", str(site)] + ([] if fresh else ["--cached"])
        started = time.perf_counter()
        proc = subprocess.run(
            command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        seconds = time.perf_counter() - started
        assert proc.returncode == 0, (
            f"the strict {builder} build failed:\n{proc.stdout}\n{proc.stderr}"
        )
        assert f"with {builder} in" in proc.stdout, proc.stdout
        build_id = re.search(r"\(build ([0-9a-f]+)\)", proc.stdout)
        assert bool(build_id) == fresh, proc.stdout
        with self._lock:
            self.servers.enter_context(server)
        return Build(
            site,
            server.url,
            builder,
            self.cache,
            build_id[1] if build_id else "",
            proc.stdout,
            seconds,
        )
