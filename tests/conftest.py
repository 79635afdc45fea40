"""What the whole suite shares, made once per session: each builder's site, built and
served on 127.0.0.1 (tests/sites.py). The site tests read the built files, the browser
tests the served pages, and the example sweep the runs of the fresh build. The big
pieces of work start at the first test, side by side, on threads of their own
(tests/background.py); their fixtures only wait for them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from background import RUNS_NICE, Background, job, needed, rank
from sites import Build, Sites

from example_engine.builders import BUILDERS, DEFAULT_BUILDER


def pytest_configure(config) -> None:
    # pytest sets and unsets PYTEST_CURRENT_TEST in os.environ at every phase of every
    # test, while the background jobs (tests/background.py) start processes whose
    # environment is a copy of os.environ, some made by libraries (Playwright) that do
    # not expect it to change under them. Nothing here reads the variable.
    import _pytest.runner

    _pytest.runner._update_current_test_var = lambda item, when: None


def pytest_collection_modifyitems(items) -> None:
    # The tests that wait for no background job first, those that read the late jobs
    # last (background.rank); otherwise in the order of pyproject.toml's testpaths.
    items.sort(key=lambda item: rank(getattr(item, "fixturenames", ())))


SESSION: list[Background] = []  # the session's jobs, for the summary below
# tests/<folder> -> [first start, last end, seconds of its tests]
FOLDERS: dict[str, list[float]] = {}
STARTED: dict[str, float] = {}


def pytest_runtest_logstart(nodeid, location) -> None:
    STARTED[nodeid] = now = time.perf_counter()
    FOLDERS.setdefault("/".join(nodeid.split("/")[:2]), [now, now, 0.0])


def pytest_runtest_logfinish(nodeid, location) -> None:
    folder = FOLDERS["/".join(nodeid.split("/")[:2])]
    folder[1] = time.perf_counter()
    folder[2] += folder[1] - STARTED.pop(nodeid)


def pytest_terminal_summary(terminalreporter) -> None:
    """Where the wall time went: the tests on the main thread, each job beside them."""
    if not SESSION:
        return
    began = SESSION[0].began
    terminalreporter.section("where the time went")
    for folder, (first, last, spent) in FOLDERS.items():
        first, last = first - began, last - began
        terminalreporter.write_line(
            f"{folder:<18} {first:6.1f} s -> {last:6.1f} s  ({spent:.1f} s, its tests)"
        )
    for line in SESSION[0].summary():
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> Iterator[Sites]:
    with ExitStack() as servers:
        yield Sites(tmp_path_factory.mktemp("sites"), DEFAULT_BUILDER, servers)


@pytest.fixture(scope="session", autouse=True)
def background(request, sites) -> Iterator[Background]:
    """Starts, at the first test, every job that some test of this session will read."""
    work = Background(sites)
    SESSION.append(work)
    work.start(needed(item.fixturenames for item in request.session.items))
    yield work
    work.close()


@job("built", nice=RUNS_NICE)
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
