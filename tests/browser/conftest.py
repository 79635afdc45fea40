"""The built site, served on 127.0.0.1, read in Debian's Chromium through Playwright.

One build and one server per builder per session, made when a test first needs it
(examples come from the cache when they have not changed): every test reads the default
builder's site, and the tests parametrized with `site` over BUILDERS read each builder's.
One browser; every test gets its own browser context that records console errors,
failed requests and any request to another host (which it blocks).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import pytest
from browsing import CHROMIUM, CHROMIUM_FLAGS, DESKTOP, PHONE_OPTIONS, REPO_ROOT, Site
from siteserver import SiteServer

from example_engine.builders import DEFAULT_BUILDER


@pytest.fixture(scope="session")
def site_for(tmp_path_factory) -> Iterator:
    """builder -> its site, built and served at most once per session."""
    sites: dict[str, Site] = {}
    with ExitStack() as servers:

        def get(builder: str) -> Site:
            if builder not in sites:
                root = tmp_path_factory.mktemp(f"browser-{builder}") / "site"
                server = SiteServer(root)  # bound now: the build writes its URL into pages
                env = dict(
                    os.environ,
                    SITE_URL=server.url,
                    SITE_URL_EN=f"{server.url}en/",
                    NO_MKDOCS_2_WARNING="1",
                )
                command = [sys.executable, "-m", "example_engine.build", "--cached"]
                command += ["--builder", builder, "--site-dir", str(root)]
                proc = subprocess.run(
                    command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600
                )
                assert proc.returncode == 0, (
                    f"the site did not build with {builder}:\n{proc.stdout}\n{proc.stderr}"
                )
                servers.enter_context(server)
                sites[builder] = Site(root, server.url, builder)
            return sites[builder]

        yield get


@pytest.fixture(scope="session")
def site(request, site_for) -> Site:
    """The default builder's site, or that of the builder a test parametrizes `site` with."""
    return site_for(getattr(request, "param", DEFAULT_BUILDER))


@pytest.fixture(scope="session")
def browser():
    # Fail, never skip: a missing browser must not turn the suite green.
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is missing ({CHROMIUM}): "
            "apt-get install --no-install-recommends chromium fonts-wqy-microhei",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@dataclass
class Reader:
    """A page in a browser context, and everything that went wrong in it: console errors,
    page errors, failed requests, HTTP errors, requests to any other host (blocked)."""

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

    def route(route):
        url = route.request.url
        if url.startswith(origin + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            reader.problems.append(f"request to another host: {url}")
            route.abort()

    page.route("**/*", route)
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


@pytest.fixture
def reader(browser, site) -> Iterator[Reader]:
    """A desktop reader in a fresh context (nothing stored, nothing cached)."""
    context = new_context(browser, "desktop")
    yield open_reader(context, site)
    context.close()


@pytest.fixture
def phone_reader(browser, site) -> Iterator[Reader]:
    """A phone reader in a fresh context."""
    context = new_context(browser, "phone")
    yield open_reader(context, site)
    context.close()


@pytest.fixture(scope="session")
def browsing_contexts(browser) -> Iterator[dict]:
    """One desktop and one phone context kept for the page-by-page tests: like a reader
    going from page to page, the theme's assets come from the browser's cache."""
    contexts = {size: new_context(browser, size) for size in ("desktop", "phone")}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture
def tab(browsing_contexts, site) -> Iterator[Reader]:
    """A new desktop tab in the kept desktop context."""
    reader = open_reader(browsing_contexts["desktop"], site)
    yield reader
    reader.page.close()


@pytest.fixture
def phone_tab(browsing_contexts, site) -> Iterator[Reader]:
    """A new phone tab in the kept phone context."""
    reader = open_reader(browsing_contexts["phone"], site)
    yield reader
    reader.page.close()
