"""The built site, served on 127.0.0.1, read in Debian's Chromium through Playwright.

One build and one server per builder per session, shared with the site tests
(tests/conftest.py): every test reads the default builder's site, and the tests
parametrized with `site` over BUILDERS read each builder's.
One browser; every test gets its own browser context that records console errors,
failed requests and any request to another host (whose name it cannot resolve).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browsing import (
    CHROMIUM_FLAGS,
    READER_CHROMIUM,
    Reader,
    missing_reader_browser,
    new_context,
    open_reader,
)
from sites import Build as Site

from example_engine.builders import DEFAULT_BUILDER


@pytest.fixture(scope="session")
def site_for(built_by):
    """builder -> its site, built and served at most once per session (tests/sites.py)."""
    return built_by


@pytest.fixture(scope="session")
def site(request, site_for) -> Site:
    """The default builder's site, or that of the builder a test parametrizes `site` with."""
    return site_for(getattr(request, "param", DEFAULT_BUILDER))


@pytest.fixture(scope="session")
def browser():
    # Fail, never skip: a missing browser must not turn the suite green.
    if problem := missing_reader_browser():
        pytest.fail(problem, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(READER_CHROMIUM), args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


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
