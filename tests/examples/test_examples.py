"""One sweep over every example: lint, format, real output, start methods, buffering.

The expected output of ``examples/<topic>/exNN.py`` is ``examples/<topic>/exNN.out``
(see example_engine/expectations.py); ``make update-examples`` rewrites them. The exact
comparison is marked ``reference_output``: it holds for the reference interpreter that
builds the site (CPython 3.11 on Linux); other interpreters in the CI matrix deselect
it and still check everything else here.
"""

from __future__ import annotations

import multiprocessing as mp
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample

from example_engine.catalog import pages_by_example, settings_for
from example_engine.expectations import (
    REPO_ROOT,
    collect,
    compare,
    expected_path,
    planned_runs,
    run_all,
    variants,
)
from example_engine.normalise import normalise
from example_engine.runner import RunResult

EXAMPLES = collect(["examples"])
STARTS_PROCESSES = re.compile(r"\bmultiprocessing\b|ProcessPoolExecutor|\bos\.fork\b")
OTHER_METHODS = [m for m in mp.get_all_start_methods() if m != mp.get_start_method()]


def process_examples() -> list[str]:
    return [
        e
        for e in EXAMPLES
        if STARTS_PROCESSES.search((REPO_ROOT / e).read_text(encoding="utf-8"))
        and not settings_for(e, REPO_ROOT).chooses_start_method
        and not settings_for(e, REPO_ROOT).start_methods
    ]


class Runs:
    """Each example runs once per mode, all in parallel, the first time a test asks."""

    def __init__(self) -> None:
        self._by_mode: dict[str, dict[str, RunResult]] = {}

    def get(self, mode: str, example: str) -> RunResult:
        if mode not in self._by_mode:
            if mode == "default":
                self._by_mode[mode] = run_all(EXAMPLES)
            elif mode == "buffered":
                self._by_mode[mode] = run_all(EXAMPLES, unbuffered=False)
            else:
                side_by_side = [e for e in EXAMPLES if mode in variants(e) and mode is not None]
                examples = sorted(set(process_examples()) | set(side_by_side))
                self._by_mode[mode] = run_all(examples, start_method=mode)
        return self._by_mode[mode][example]


@pytest.fixture(scope="session")
def runs() -> Runs:
    return Runs()


def test_there_are_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("example", EXAMPLES)
def test_lint_and_format(example: str, eval_example: EvalExample):
    path = REPO_ROOT / example
    code = CodeExample.create(path.read_text(encoding="utf-8"), path=path)
    eval_example.set_config(
        line_length=88,
        quotes="double",
        target_version="py310",
        ruff_select=["E", "F", "W", "I", "B", "UP", "SIM", "RUF"],
        ruff_ignore=["RUF001", "RUF002", "RUF003"],
    )
    eval_example.lint_ruff(code)
    # pytest-examples checks formatting with black only, which disagrees with PEP 8's two
    # blank lines; ruff format (examples/ruff.toml) is the formatter of this project.
    mode = [] if eval_example.update_examples else ["--check", "--diff"]
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "format", *mode, example],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


@pytest.mark.parametrize("example", EXAMPLES)
def test_shown_in_both_languages(example: str):
    docs = [REPO_ROOT / "docs" / lang for lang in ("zh", "en")]
    pages = pages_by_example(docs, REPO_ROOT).get(example, [])
    langs = {page.split("/")[1] for page in pages}
    assert langs == {"zh", "en"}, f"{example} is shown on {pages or 'no page'}"


@pytest.mark.parametrize("example", EXAMPLES)
def test_runs_as_declared(example: str, runs: Runs):
    result = runs.get("default", example)
    assert result.ok, f"{example}: {result.problem()}\n{result.tail()}"


@pytest.mark.reference_output
@pytest.mark.parametrize(("example", "method"), planned_runs(EXAMPLES, None))
def test_output_matches_expectation(example: str, method: str | None, runs: Runs):
    """The default run, or for examples shown side by side, each start method's run."""
    result = runs.get("default", example) if method is None else runs.get(method, example)
    reason = compare(example, result, start_method=method)
    assert reason is None, reason


@pytest.mark.parametrize("example", EXAMPLES)
def test_output_does_not_depend_on_buffering(example: str, runs: Runs):
    expected = normalise(runs.get("default", example).output)
    buffered = runs.get("buffered", example)
    assert buffered.ok, f"{example} with buffered stdout: {buffered.problem()}"
    assert normalise(buffered.output) == expected


@pytest.mark.parametrize("method", OTHER_METHODS)
@pytest.mark.parametrize("example", process_examples())
def test_same_under_every_start_method(example: str, method: str, runs: Runs):
    forced = runs.get(method, example)
    assert forced.ok, f"{example} under {method}: {forced.problem()}\n{forced.tail()}"
    assert normalise(forced.output) == normalise(runs.get("default", example).output)


def test_every_out_file_belongs_to_an_example():
    expected = {
        expected_path(e, start_method=m).relative_to(REPO_ROOT).as_posix()
        for e, m in planned_runs(EXAMPLES, None)
    }
    outs = {p.relative_to(REPO_ROOT).as_posix() for p in Path(REPO_ROOT, "examples").rglob("*.out")}
    assert outs <= expected, sorted(outs - expected)
