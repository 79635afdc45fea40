from __future__ import annotations

from pathlib import Path

import pytest

from example_engine.store import CACHE_DIR_ENV

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = "tests/engine/fixtures"


@pytest.fixture(autouse=True)
def own_cache(monkeypatch) -> None:
    # A store made by an engine test keeps its results in its own project folder, never
    # in a cache named by the environment: that is the session's builds' (tests/sites.py),
    # which a test that empties its store would empty too.
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT
