"""What the whole suite shares, made once per session: each builder's site, built and
served on 127.0.0.1 (tests/sites.py). The site tests read the built files, the browser
tests the served pages, and the example sweep the runs of the fresh build."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from sites import Build, Sites

from example_engine.builders import BUILDERS, DEFAULT_BUILDER


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> Iterator[Sites]:
    with ExitStack() as servers:
        yield Sites(tmp_path_factory.mktemp("sites"), DEFAULT_BUILDER, servers)


@pytest.fixture(scope="session")
def built(sites) -> Build:
    """The default builder's fresh build: every example runs, exactly once."""
    return sites.get(DEFAULT_BUILDER)


@pytest.fixture(scope="session")
def built_by(sites) -> Callable[[str], Build]:
    """builder -> its build of the site, made at most once per session."""
    return sites.get


@pytest.fixture(params=BUILDERS)
def any_built(request, built_by) -> Build:
    """A test that takes this runs once on each builder's build."""
    return built_by(request.param)
