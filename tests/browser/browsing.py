"""What the browser tests share: the pages, their URLs, the sizes, the browser's flags."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sites import HTML_LANG, page_path  # noqa: F401  (shared with the site tests)
from sites import Build as Site

REPO_ROOT = Path(__file__).resolve().parents[2]
# Lighthouse audits the browser readers have (Chromium, in its new headless mode). The
# reader tests drive Chromium's old headless shell instead, what Playwright itself runs
# headless: the same Blink and V8 without the browser's own layer, which here costs about
# a third less CPU per page read (1.2-1.5 CPU-s against 1.9-2.0 for a load, its facts and
# two screenshots); CPU, not waiting, is what bounds the test session on 2 cores.
# GitHub's runners have no headless shell: CI names Google Chrome for both there.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
READER_CHROMIUM = Path(
    os.environ.get("READER_CHROMIUM", "/usr/lib/chromium/chromium-headless-shell")
)
INSTALL_HINT = (
    "apt-get install --no-install-recommends chromium chromium-headless-shell fonts-wqy-microhei"
)


def missing_reader_browser() -> str | None:
    """What to say when the reader tests' browser is not there (they fail, never skip)."""
    if READER_CHROMIUM.is_file():
        return None
    return f"Chromium is missing ({READER_CHROMIUM}): {INSTALL_HINT}"


CHROMIUM_FLAGS = [
    # No name resolves but the test server's address: a request to another host fails
    # in the browser itself, and open_reader records it. (Routing every request through
    # Playwright to block it there cost ~90 ms a page load, and turns the cache off.)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LANGS = ("zh", "en")
SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
PHONE_OPTIONS = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def page_names() -> list[str]:
    """Every page, by its path without .md ("index", "processes", ...), as in docs/zh."""
    return sorted(p.stem for p in (REPO_ROOT / "docs" / "zh").glob("*.md"))


def front_matter(lang: str, name: str) -> dict[str, str]:
    text = (REPO_ROOT / "docs" / lang / f"{name}.md").read_text(encoding="utf-8")
    block = re.match(r"---\n(.*?)\n---\n", text, re.S)
    pairs = re.findall(r"^(\w+):\s*(.+)$", block[1], re.M) if block else []
    return {key: value.strip().strip("'\"") for key, value in pairs}


def nav_order() -> list[str]:
    """The page names in the order of mkdocs.yml's nav (its previous/next order)."""
    text = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.search(r"^nav:\n((?:  .*\n?)+)", text, re.M)
    return re.findall(r"^  - (?:[^:\n]*: )?([\w-]+)\.md$", nav[1], re.M) if nav else []


@dataclass
class Reader:
    """A page in a browser context, and everything that went wrong in it: console errors,
    page errors, failed requests, HTTP errors, requests to any other host (which fail)."""

    context: object
    page: object
    site: Site
    problems: list[str] = field(default_factory=list)

    def goto(self, url: str, status: int = 200):
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status == status, (url, response)
        return response

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def new_context(browser, size: str):
    options = {"viewport": DESKTOP} if size == "desktop" else PHONE_OPTIONS
    context = browser.new_context(
        locale="zh-CN", color_scheme="light", service_workers="block", **options
    )
    context.set_default_timeout(15_000)
    return context


def open_reader(context, site: Site) -> Reader:
    page = context.new_page()
    reader = Reader(context, page, site)
    origin = site.url.rstrip("/")

    def request(request):
        url = request.url
        if not (url.startswith(origin + "/") or url.startswith(("data:", "blob:"))):
            reader.problems.append(f"request to another host: {url}")

    page.on("request", request)  # and the browser cannot resolve that host (CHROMIUM_FLAGS)
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and reader.problems.append(f"console error: {m.text} ({m.location.get('url')})")
        ),
    )
    page.on("pageerror", lambda e: reader.problems.append(f"page error: {e}"))
    # ERR_ABORTED: cancelled by the page itself (a navigation, or a blocked host, above).
    page.on(
        "requestfailed",
        lambda r: (
            r.failure != "net::ERR_ABORTED"
            and reader.problems.append(f"request failed: {r.url} ({r.failure})")
        ),
    )
    page.on(
        "response",
        lambda r: r.status >= 400 and reader.problems.append(f"HTTP {r.status}: {r.url}"),
    )
    return reader
