"""The version matrix: every example under every other CPython 3.10–3.14 on this machine.

Each committed run of each example is made again under each other interpreter found
(example_engine.interpreters: EXAMPLES_PYTHONS, .venvs/, PATH, pyenv), all in parallel,
and its exit code and normalised output are checked against its expectation: the
interpreter's own file where the output legitimately differs (exNN.3.13.out), else the
reference one, compared without traceback decoration (example_engine/normalise.py).
Locally the matrix is what this machine has; EXAMPLES_REQUIRE_PYTHONS (set by .ci/run)
names interpreters that must be there, so that CI fails rather than checks less.
"""

from __future__ import annotations

import pytest
from sweep import MATRIX

from example_engine.catalog import PYTHONS, Variant
from example_engine.expectations import compare, expected_path, reference_expectation
from example_engine.interpreters import found_pythons, own_name, required_names


def test_the_required_interpreters_are_found():
    """CI names the interpreters its machine has (.ci/run); none may be missing."""
    found = found_pythons()
    assert own_name() in found
    assert set(required_names()) <= set(PYTHONS), required_names()
    missing = [name for name in required_names() if name not in found]
    assert not missing, f"EXAMPLES_REQUIRE_PYTHONS names {missing}: not found on this machine"


@pytest.mark.parametrize(("python", "example", "variant"), MATRIX, ids=str)
def test_same_output_on_every_version(python: str, example: str, variant: Variant, sweep):
    reason = compare(example, sweep.get(python, example, variant), variant=variant)
    assert reason is None, reason


def test_every_per_version_file_is_still_needed(sweep):
    """A per-version expectation that the reference one would match is a stale copy."""
    stale = []
    for python, example, variant in MATRIX:
        own = expected_path(example, variant=variant)
        result = sweep.get(python, example, variant)
        against = reference_expectation(example, variant)
        if own.is_file() and compare(example, result, variant=variant, against=against) is None:
            stale.append(own.name)
    assert not stale, f"the same as the reference expectation, remove: {stale}"
