"""One sweep over every example: lint, format, real output, start methods, buffering.

The expected output of ``examples/<topic>/exNN.py`` is ``examples/<topic>/exNN.out``
(see example_engine/expectations.py); ``make update-examples`` rewrites them. The
comparison is marked ``reference_output``: every character on the reference interpreter
(CPython 3.11), without traceback decoration on any other version (a per-version file
where its output legitimately differs). It holds on Linux; the macOS and Windows jobs of
the GitHub matrix deselect it (their tracebacks name other modules) and check the rest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample
from sweep import EXAMPLES, OTHER_METHODS, SHOWN, process_examples

from example_engine.catalog import PYTHONS, Variant, pages_by_example
from example_engine.expectations import REPO_ROOT, compare, expected_path, planned_runs
from example_engine.normalise import normalise


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


@pytest.mark.parametrize(("example", "variant"), SHOWN, ids=str)
def test_runs_as_declared(example: str, variant: Variant, sweep):
    result = sweep.get("shown", example, variant)
    assert result.ok, f"{example}: {result.problem()}\n{result.tail()}"


@pytest.mark.reference_output
@pytest.mark.parametrize(("example", "variant"), SHOWN, ids=str)
def test_output_matches_expectation(example: str, variant: Variant, sweep):
    """Each run a page shows against its expectation: every character on the reference
    interpreter, without traceback decoration on any other (expectations.compare)."""
    reason = compare(example, sweep.get("shown", example, variant), variant=variant)
    assert reason is None, reason


@pytest.mark.parametrize(("example", "variant"), SHOWN, ids=str)
def test_output_does_not_depend_on_buffering(example: str, variant: Variant, sweep):
    expected = normalise(sweep.get("shown", example, variant).output)
    buffered = sweep.get("buffered", example, variant)
    assert buffered.ok, f"{example} with buffered stdout: {buffered.problem()}"
    assert normalise(buffered.output) == expected


@pytest.mark.parametrize("method", OTHER_METHODS)
@pytest.mark.parametrize("example", process_examples())
def test_same_under_every_start_method(example: str, method: str, sweep):
    forced = sweep.get(method, example)
    assert forced.ok, f"{example} under {method}: {forced.problem()}\n{forced.tail()}"
    assert normalise(forced.output) == normalise(sweep.get("shown", example).output)


def test_every_out_file_belongs_to_an_example():
    """A run's reference expectation, or a per-version one (exNN.3.13.out), nothing else."""
    expected = set()
    for example, variant in planned_runs(EXAMPLES, None):
        for python in (variant.python, *PYTHONS):
            path = expected_path(example, variant=Variant(python, variant.start_method))
            expected.add(path.relative_to(REPO_ROOT).as_posix())
    outs = {p.relative_to(REPO_ROOT).as_posix() for p in Path(REPO_ROOT, "examples").rglob("*.out")}
    assert outs <= expected, sorted(outs - expected)
