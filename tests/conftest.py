"""What the whole suite shares, made once per session: each builder's site, built and
served on 127.0.0.1 (tests/sites.py). The site tests read the built files, the browser
tests the served pages, and the example sweep the runs of the fresh build. The big
pieces of work start at the first test, side by side, on threads of their own
(tests/background.py); their fixtures only wait for them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from background import ENGINE_TESTS_OVER, Background, job, needed
from sites import REPO_ROOT, Build, Sites

from example_engine.builders import BUILDERS, DEFAULT_BUILDER


def pytest_configure(config) -> None:
    # pytest sets and unsets PYTEST_CURRENT_TEST in os.environ at every phase of every
    # test, while the background jobs (tests/background.py) start processes whose
    # environment is a copy of os.environ, some made by libraries (Playwright) that do
    # not expect it to change under them. Nothing here reads the variable.
    import _pytest.runner

    _pytest.runner._update_current_test_var = lambda item, when: None


ENGINE_TESTS = REPO_ROOT / "tests" / "engine"


def pytest_runtest_setup(item) -> None:
    if not ENGINE_TESTS_OVER.is_set() and ENGINE_TESTS not in Path(item.path).parents:
        ENGINE_TESTS_OVER.set()


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> Iterator[Sites]:
    with ExitStack() as servers:
        yield Sites(tmp_path_factory.mktemp("sites"), DEFAULT_BUILDER, servers)


@pytest.fixture(scope="session", autouse=True)
def background(request, sites) -> Iterator[Background]:
    """Starts, at the first test, every job that some test of this session will read."""
    work = Background(sites)
    work.start(needed(item.fixturenames for item in request.session.items))
    yield work
    ENGINE_TESTS_OVER.set()  # no test runs any more (also after -x or Ctrl+C)
    work.close()


@job("built")
def build_default(sites: Sites) -> Build:
    return sites.get(DEFAULT_BUILDER)


@job("built_by")
def build_every_builder(sites: Sites) -> Callable[[str], Build]:
    for builder in BUILDERS:
        sites.get(builder)
    return sites.get


@pytest.fixture(scope="session")
def built(background) -> Build:
    """The default builder's fresh build: every example runs, exactly once."""
    return background.result("built")


@pytest.fixture(scope="session")
def built_by(sites) -> Callable[[str], Build]:
    """builder -> its build of the site, made at most once per session (the `built_by`
    job builds them all early; this waits only for the one a test asks for)."""
    return sites.get


@pytest.fixture(params=BUILDERS)
def any_built(request, built_by) -> Build:
    """A test that takes this runs once on each builder's build."""
    return built_by(request.param)
