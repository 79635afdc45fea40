"""Shared by the example tests: the session's runs (sweep.py, watched.py), and what the version
matrix covered, in the terminal summary."""

from __future__ import annotations

import multiprocessing as mp

import pytest
import watched
from background import RUNS_NICE, job
from sites import Sites
from sweep import MATRIX, OTHER_PYTHONS, Sweep, made_elsewhere
from watched import Watched

from example_engine.builders import DEFAULT_BUILDER
from example_engine.expectations import REPO_ROOT, expectation_for, expected_path
from example_engine.store import ResultStore

METHODS = mp.get_all_start_methods()


@job("sweep", nice=RUNS_NICE)
def make_sweep(sites: Sites) -> Sweep:
    """Every run the example tests read (tests/background.py): the sweep's own runs, made
    in a process of their own while the site builds, and the fresh build's."""
    made = made_elsewhere(sites.environ, sites.folder / "sweep.json")
    built = sites.get(DEFAULT_BUILDER)
    return Sweep(ResultStore(REPO_ROOT, built.cache_dir), built.build_id, made)


@job("alone_runs", nice=RUNS_NICE)
def watch_the_stopping_examples(sites: Sites) -> dict[tuple[str, str], Watched]:
    """The stopping page's examples under each start method, each as its own process
    group watched from outside (watched.py), in a process of their own."""
    return watched.made_elsewhere(sites.environ, sites.folder / "watched.json", METHODS)


@pytest.fixture(scope="session")
def alone_runs(background) -> dict[tuple[str, str], Watched]:
    """(example, start method) -> what was seen of that run (watched.Watched)."""
    return background.result("alone_runs")


@pytest.fixture(scope="session")
def sweep(background) -> Sweep:
    return background.result("sweep")


@pytest.fixture(scope="session")
def shared_run(sweep):
    """shared_run(example, start_method=None): a run the tests only read, made once."""
    return sweep.shared_run


def pytest_terminal_summary(terminalreporter) -> None:
    reports = [r for reports in terminalreporter.stats.values() for r in reports]
    if not any("test_version_matrix" in getattr(r, "nodeid", "") for r in reports):
        return  # the matrix was not part of this session
    terminalreporter.section("version matrix")
    if not OTHER_PYTHONS:
        terminalreporter.write_line("no other interpreter found: only the reference was checked")
    for name in OTHER_PYTHONS:
        runs = [(e, v) for python, e, v in MATRIX if python == name]
        own = sum(expectation_for(e, v) == expected_path(e, variant=v) for e, v in runs)
        terminalreporter.write_line(
            f"{name}: {len(runs)} runs, {len(runs) - own} checked against the reference "
            f"expectation, {own} against a per-version one"
        )
