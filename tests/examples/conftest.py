"""Shared by the example tests: what the version matrix covered, in the terminal summary."""

from __future__ import annotations

import sys

from example_engine.expectations import expectation_for, expected_path


def pytest_terminal_summary(terminalreporter) -> None:
    matrix = sys.modules.get("test_version_matrix")
    if matrix is None:  # the matrix was not collected in this session
        return
    OTHERS, RUNS = matrix.OTHERS, matrix.RUNS
    terminalreporter.section("version matrix")
    if not OTHERS:
        terminalreporter.write_line("no other interpreter found: only the reference was checked")
    for name in OTHERS:
        runs = [(e, v) for python, e, v in RUNS if python == name]
        own = sum(expectation_for(e, v) == expected_path(e, variant=v) for e, v in runs)
        terminalreporter.write_line(
            f"{name}: {len(runs)} runs, {len(runs) - own} checked against the reference "
            f"expectation, {own} against a per-version one"
        )
