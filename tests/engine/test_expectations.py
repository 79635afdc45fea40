"""Expectations across interpreters: per-version files, the reference fallback, decoration."""

from __future__ import annotations

from pathlib import Path

import pytest

from example_engine.catalog import Variant
from example_engine.expectations import compare, expectation_for, run_for_expectation, update
from example_engine.interpreters import found_pythons, own_name
from example_engine.normalise import without_traceback_decoration


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "same.py").write_text('print("the same everywhere")\n')
    (tmp_path / "examples" / "version.py").write_text(
        "import sys\n\nprint('minor version', sys.version_info[1])\n"
    )
    return tmp_path


def other() -> str:
    names = [name for name in found_pythons() if name != own_name()]
    assert names, "needs a second CPython (pyenv's 3.10, 3.12, 3.13 on this machine and CI)"
    return names[-1]


def test_the_matrix_falls_back_to_the_reference_expectation(project):
    reference = run_for_expectation("examples/same.py", project)
    update("examples/same.py", reference, project)
    variant = Variant(other())
    result = run_for_expectation("examples/same.py", project, variant=variant)
    assert expectation_for("examples/same.py", variant, project).name == "same.out"
    assert compare("examples/same.py", result, project, variant) is None
    # Nothing differs, so no per-version file is written.
    assert update("examples/same.py", result, project, variant) is None
    assert not (project / "examples" / f"same.{other()}.out").exists()


def test_a_version_that_differs_needs_its_own_file_and_fails_when_it_drifts(project):
    path = "examples/version.py"
    update(path, run_for_expectation(path, project), project)
    variant = Variant(other())
    result = run_for_expectation(path, project, variant=variant)
    reason = compare(path, result, project, variant)
    assert reason and "output differs from version.out" in reason
    written = update(path, result, project, variant)
    assert written == project / "examples" / f"version.{other()}.out"
    assert compare(path, result, project, variant) is None
    written.write_text("minor version 99\n")  # the version's output drifted from its file
    reason = compare(path, result, project, variant)
    assert reason and f"output differs from version.{other()}.out" in reason


def test_decoration_is_ignored_only_across_interpreters():
    ours = 'File "<stdlib>/x.py", line 10, in f\n    f()\n    ~^^\nValueError: no\n'
    theirs = 'File "<stdlib>/x.py", line 12, in f\n    f()\nValueError: no\n'
    assert without_traceback_decoration(ours) == without_traceback_decoration(theirs)
    other_error = theirs.replace("ValueError", "TypeError")
    assert without_traceback_decoration(ours) != without_traceback_decoration(other_error)
    own_frame = 'File "examples/x.py", line 10, in f\n'
    assert without_traceback_decoration(own_frame) == own_frame  # the example's own lines count


def test_a_job_on_another_version_checks_its_default_runs_like_the_matrix(project, monkeypatch):
    """On GitHub's 3.13 job the default run is a 3.13 run: its own file, else the reference."""
    monkeypatch.setattr("example_engine.expectations.own_name", lambda: "3.13")
    examples = project / "examples"
    (examples / "same.out").write_text("the same everywhere\n")
    assert expectation_for("examples/same.py", Variant(), project) == examples / "same.out"
    (examples / "same.3.13.out").write_text("different on 3.13\n")
    assert expectation_for("examples/same.py", Variant(), project) == examples / "same.3.13.out"
    assert expectation_for("examples/same.py", Variant("3.12"), project) == examples / "same.out"
