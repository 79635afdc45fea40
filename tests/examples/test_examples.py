"""One sweep over every example: lint, format, real output, start methods, buffering.

The expected output of ``examples/<topic>/exNN.py`` is ``examples/<topic>/exNN.out``
(see example_engine/expectations.py); ``make update-examples`` rewrites them. The
comparison is marked ``reference_output``: every character on the reference interpreter
(CPython 3.11), without traceback decoration on any other version (a per-version file
where its output legitimately differs). It holds on Linux; the macOS and Windows jobs of
the GitHub matrix deselect it (their tracebacks name other modules) and check the rest.
"""

from __future__ import annotations

import multiprocessing as mp
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample

from example_engine.catalog import DEFAULT, PYTHONS, Variant, catalog, pages_by_example
from example_engine.expectations import (
    REPO_ROOT,
    collect,
    compare,
    example_at,
    expected_path,
    planned_runs,
    run_many,
)
from example_engine.interpreters import Unavailable, resolve
from example_engine.normalise import normalise
from example_engine.runner import RunResult

EXAMPLES = collect(["examples"])
STARTS_PROCESSES = re.compile(r"\bmultiprocessing\b|ProcessPoolExecutor|\bos\.fork\b")
OTHER_METHODS = [m for m in mp.get_all_start_methods() if m != mp.get_start_method()]


def process_examples() -> list[str]:
    """Examples that start processes and leave the start method to the default."""
    return [
        e
        for e in EXAMPLES
        if STARTS_PROCESSES.search((REPO_ROOT / e).read_text(encoding="utf-8"))
        and not (s := catalog(REPO_ROOT).example(e).settings).chooses_start_method
        and not s.start_methods
        and not s.pythons
    ]


class Runs:
    """Each run once per mode, all in parallel, the first time a test asks.

    Modes: "shown" (each variant a page shows, as the build runs it), "buffered" (the
    same without PYTHONUNBUFFERED) and a start method name (the default run of every
    example that starts processes, with that default start method forced on it).
    """

    def __init__(self) -> None:
        self._by_mode: dict[str, dict[tuple[str, Variant], RunResult | Unavailable]] = {}

    def get(self, mode: str, example: str, variant: Variant = DEFAULT) -> RunResult:
        if mode not in self._by_mode:
            if mode in ("shown", "buffered"):
                planned = planned_runs(EXAMPLES, None)
                self._by_mode[mode] = run_many(planned, unbuffered=mode == "shown")
            else:
                forced = Variant(start_method=mode)
                planned = [(e, forced) for e in process_examples()]
                self._by_mode[mode] = run_many(planned)
        key = (example, variant if mode in ("shown", "buffered") else Variant(start_method=mode))
        result = self._by_mode[mode][key]
        assert isinstance(result, RunResult), f"{example} [{variant.label}]: {result}"
        return result


def possible(runs: list[tuple[str, Variant]]) -> list[tuple[str, Variant]]:
    """The runs this machine can make (an interpreter it lacks is reported, not run)."""
    return [(e, v) for e, v in runs if not isinstance(resolve(example_at(e), v), Unavailable)]


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


@pytest.mark.parametrize(("example", "variant"), possible(planned_runs(EXAMPLES, None)), ids=str)
def test_runs_as_declared(example: str, variant: Variant, runs: Runs):
    result = runs.get("shown", example, variant)
    assert result.ok, f"{example}: {result.problem()}\n{result.tail()}"


@pytest.mark.reference_output
@pytest.mark.parametrize(("example", "variant"), possible(planned_runs(EXAMPLES, None)), ids=str)
def test_output_matches_expectation(example: str, variant: Variant, runs: Runs):
    """Each run a page shows against its expectation: every character on the reference
    interpreter, without traceback decoration on any other (expectations.compare)."""
    reason = compare(example, runs.get("shown", example, variant), variant=variant)
    assert reason is None, reason


@pytest.mark.parametrize(("example", "variant"), possible(planned_runs(EXAMPLES, None)), ids=str)
def test_output_does_not_depend_on_buffering(example: str, variant: Variant, runs: Runs):
    expected = normalise(runs.get("shown", example, variant).output)
    buffered = runs.get("buffered", example, variant)
    assert buffered.ok, f"{example} with buffered stdout: {buffered.problem()}"
    assert normalise(buffered.output) == expected


@pytest.mark.parametrize("method", OTHER_METHODS)
@pytest.mark.parametrize("example", process_examples())
def test_same_under_every_start_method(example: str, method: str, runs: Runs):
    forced = runs.get(method, example)
    assert forced.ok, f"{example} under {method}: {forced.problem()}\n{forced.tail()}"
    assert normalise(forced.output) == normalise(runs.get("shown", example).output)


def test_every_out_file_belongs_to_an_example():
    """A run's reference expectation, or a per-version one (exNN.3.13.out), nothing else."""
    expected = set()
    for example, variant in planned_runs(EXAMPLES, None):
        for python in (variant.python, *PYTHONS):
            path = expected_path(example, variant=Variant(python, variant.start_method))
            expected.add(path.relative_to(REPO_ROOT).as_posix())
    outs = {p.relative_to(REPO_ROOT).as_posix() for p in Path(REPO_ROOT, "examples").rglob("*.out")}
    assert outs <= expected, sorted(outs - expected)
