"""Committed expected output: ``examples/<topic>/exNN_slug.out`` beside ``exNN_slug.py``.

The ``.out`` file holds the example's whole output (child processes' included), as
the runner captured it, passed through ``normalise`` so that pids, durations and the
like read ``<pid>``, ``<time>``. Every other character must match.

    python -m example_engine.expectations examples/locks          # check
    python -m example_engine.expectations --update examples/locks # rewrite .out files
    python -m example_engine.expectations --repeat 10 --start-method spawn examples/pools
    python -m example_engine.expectations --python 3.13 examples/     # the version matrix

Runs under another interpreter than the build's own (a page's side-by-side tabs, the
version matrix) are compared without traceback decoration (normalise.py says what that
is), since their patch releases differ between machines.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from example_engine.catalog import DEFAULT, Example, Variant, catalog, older
from example_engine.interpreters import Unavailable, found_pythons, own_name, resolve
from example_engine.normalise import normalise, without_traceback_decoration
from example_engine.runner import RunResult, run_example

REPO_ROOT = Path(__file__).resolve().parent.parent


def expected_path(example: str, repo_root: Path = REPO_ROOT, variant: Variant = DEFAULT) -> Path:
    """exNN.out; exNN.<variant>.out (exNN.spawn.out, exNN.3.13.out) for each side-by-side run."""
    suffix = f".{variant.slug}.out" if variant.slug else ".out"
    return (repo_root / example).with_suffix(suffix)


def example_at(path: str, repo_root: Path = REPO_ROOT) -> Example:
    return catalog(repo_root).example(path)


def variants(example: str, repo_root: Path = REPO_ROOT) -> list[Variant]:
    """The runs whose output is committed: one, or one per variant shown."""
    return example_at(example, repo_root).variants


def run_for_expectation(
    example: str,
    repo_root: Path = REPO_ROOT,
    start_method: str | None = None,
    unbuffered: bool = True,
    variant: Variant | None = None,
) -> RunResult:
    """One run as the build makes it (`variant`, or the default run with `start_method`)."""
    ex = example_at(example, repo_root)
    variant = variant or Variant(start_method=start_method)
    python = resolve(ex, variant)
    if isinstance(python, Unavailable):
        raise LookupError(f"{ex.run_name(variant)} cannot run here: {python}")
    settings = ex.settings
    return run_example(
        example,
        repo_root,
        timeout_s=settings.timeout_s,
        expected_exit_code=settings.exit_code,
        start_method=variant.start_method,
        unbuffered=unbuffered,
        python=python,
        output_limit=settings.output_limit,
    )


REFERENCE_PYTHON = "3.11"  # the interpreter whose outputs the published .out files hold


def reference_variant(example: str, variant: Variant, repo_root: Path = REPO_ROOT) -> Variant:
    """The same run as the reference interpreter makes it (for an example shown only
    under newer versions, as the first of them makes it)."""
    pythons = example_at(example, repo_root).settings.pythons
    if not pythons:
        return Variant(None, variant.start_method)
    return Variant(
        REFERENCE_PYTHON if REFERENCE_PYTHON in pythons else pythons[0], variant.start_method
    )


def versioned_variant(example: str, variant: Variant, repo_root: Path = REPO_ROOT) -> Variant:
    """The same run, named by the interpreter that really makes it (None: the reference)."""
    name = variant.python or own_name()
    if name == REFERENCE_PYTHON:
        return reference_variant(example, variant, repo_root)
    return Variant(name, variant.start_method)


def reference_expectation(example: str, variant: Variant, repo_root: Path = REPO_ROOT) -> Path:
    """The reference interpreter's expectation of the same run."""
    return expected_path(example, repo_root, reference_variant(example, variant, repo_root))


def expectation_for(example: str, variant: Variant, repo_root: Path = REPO_ROOT) -> Path:
    """The .out file a run is checked against.

    The file of the interpreter that makes the run when there is one (exNN.3.13.out:
    its output legitimately differs), else the reference interpreter's (exNN.out,
    exNN.spawn.out, exNN.3.11.out): an example prints the same on every version
    unless a per-version file says how it differs.
    """
    versioned = expected_path(example, repo_root, versioned_variant(example, variant, repo_root))
    return versioned if versioned.is_file() else reference_expectation(example, variant, repo_root)


def exact(example: str, variant: Variant, against: Path, repo_root: Path = REPO_ROOT) -> bool:
    """Compared with every character: the reference interpreter against its own file.
    Any other pair is compared without traceback decoration, since the patch release
    that recorded a file differs from machine to machine."""
    return (variant.python or own_name()) == REFERENCE_PYTHON and against == reference_expectation(
        example, variant, repo_root
    )


def compare(
    example: str,
    result: RunResult,
    repo_root: Path = REPO_ROOT,
    variant: Variant = DEFAULT,
    against: Path | None = None,
) -> str | None:
    """None when the output matches its expectation, else a readable reason with a diff."""
    if not result.ok:
        return f"{example}: {result.problem()}\n{result.excerpt()}"
    path = against or expectation_for(example, variant, repo_root)
    if not path.is_file():
        return f"{example}: no expected output {path.name}: `make update-examples`"
    expected = path.read_text(encoding="utf-8")
    actual = normalise(result.output)
    if not exact(example, variant, path, repo_root):
        expected = without_traceback_decoration(expected)
        actual = without_traceback_decoration(actual)
    if actual == expected:
        return None
    name = variant.python or own_name()
    diff = difflib.unified_diff(
        expected.splitlines(),
        actual.splitlines(),
        f"{path.name} (expected)",
        f"actual ({' · '.join(filter(None, [name, variant.start_method]))})",
        lineterm="",
    )
    return f"{example}: output differs from {path.name}\n" + "\n".join(diff)


def update(
    example: str,
    result: RunResult,
    repo_root: Path = REPO_ROOT,
    variant: Variant = DEFAULT,
) -> Path | None:
    """Write the run's expectation: the reference interpreter's file, or a per-version
    file only where the output differs from the reference (else it is removed)."""
    if not result.ok:
        raise SystemExit(f"{example}: {result.problem()}\n{result.excerpt()}")
    path = expected_path(example, repo_root, versioned_variant(example, variant, repo_root))
    reference = reference_expectation(example, variant, repo_root)
    if path != reference and compare(example, result, repo_root, variant, reference) is None:
        path.unlink(missing_ok=True)
        return None
    path.write_text(normalise(result.output), encoding="utf-8")
    return path


def matrix_runs(examples: list[str], python: str) -> list[Run]:
    """Every committed run of each example, made under `python` instead (the version matrix).

    An example whose page already shows that interpreter is checked by its shown run.
    """
    runs: list[Run] = []
    for example in examples:
        ex = example_at(example)
        if python in ex.settings.pythons or python == own_name():
            continue
        if ex.settings.min_python and older(python, ex.settings.min_python):
            continue  # declared to need a newer version: the page says so, nothing to run
        for variant in ex.variants:
            run = (example, Variant(python, variant.start_method))
            if run not in runs:
                runs.append(run)
    return runs


def collect(paths: list[str], repo_root: Path = REPO_ROOT) -> list[str]:
    found: list[str] = []
    for arg in paths or ["examples"]:
        p = (repo_root / arg).resolve()
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        found += [f.relative_to(repo_root).as_posix() for f in files if not f.name.startswith("_")]
    return found


Run = tuple[str, Variant]  # an example and one of its runs


def run_many(
    runs: list[Run], unbuffered: bool = True, *, measure: bool = True, workers: int = 4
) -> dict[Run, RunResult | Unavailable]:
    """`workers` at a time; runs of examples declared `alone` afterwards, one by one.

    With `measure=False` (only the normalised output matters, as in the version matrix)
    the `alone` examples run beside the others too.
    """
    alone = [r for r in runs if measure and example_at(r[0]).settings.alone]
    shared = [r for r in runs if r not in alone]

    def one(run: Run) -> RunResult | Unavailable:
        ex = example_at(run[0])
        python = resolve(ex, run[1])
        if isinstance(python, Unavailable):
            return python
        return run_for_expectation(run[0], unbuffered=unbuffered, variant=run[1])

    with ThreadPoolExecutor(workers) as pool:
        results = dict(zip(shared, pool.map(one, shared), strict=True))
    results.update((run, one(run)) for run in alone)
    return results


def run_all(
    examples: list[str], start_method: str | None = None, unbuffered: bool = True
) -> dict[str, RunResult]:
    """Each example's default run once, under `start_method` if given, keyed by example."""
    forced = Variant(start_method=start_method)
    results = run_many([(e, forced) for e in examples], unbuffered)
    ran = {}
    for example in examples:
        result = results[example, forced]
        if isinstance(result, Unavailable):
            raise LookupError(f"{example} cannot run here: {result}")
        ran[example] = result
    return ran


def planned_runs(examples: list[str], forced: str | None) -> list[Run]:
    """Without `forced`: each committed expectation. With it: the examples it applies to."""
    if forced is None:
        return [(e, v) for e in examples for v in variants(e)]
    return [
        (e, Variant(start_method=forced))
        for e in examples
        if not (s := example_at(e).settings).chooses_start_method
        and not s.start_methods
        and not s.pythons
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", help="example files or folders (default: examples/)")
    parser.add_argument("--update", action="store_true", help="rewrite the .out files")
    parser.add_argument("--repeat", type=int, default=1, help="check each example N times")
    parser.add_argument("--start-method", choices=["fork", "spawn", "forkserver"])
    parser.add_argument("--buffered", action="store_true", help="run without PYTHONUNBUFFERED")
    parser.add_argument(
        "--python",
        action="append",
        metavar="NAME",
        help="the version matrix: run under this interpreter instead (3.13, 3.14t; "
        "'others': every other one found); with --update, write per-version files only "
        "where the output differs from the reference",
    )
    args = parser.parse_args(argv)
    examples = collect(args.paths)
    if args.python:
        names = [n for n in args.python if n != "others"]
        if "others" in args.python:
            names += [n for n in found_pythons() if n != own_name() and n not in names]
        runs = [run for name in names for run in matrix_runs(examples, name)]
    else:
        runs = planned_runs(examples, args.start_method)
    failures = skipped = 0
    for _ in range(args.repeat):
        results = run_many(runs, unbuffered=not args.buffered, measure=not args.python)
        for (example, variant), result in results.items():
            if isinstance(result, Unavailable):
                skipped += 1
                print(f"{example} [{variant.label}]: not run, {result}", file=sys.stderr)
                continue
            # A forced start method must reproduce the default run's expectation.
            expectation = DEFAULT if args.start_method else variant
            if args.update:
                if path := update(example, result, variant=expectation):
                    print(f"wrote {path.relative_to(REPO_ROOT)}")
            elif (reason := compare(example, result, variant=expectation)) is not None:
                failures += 1
                print(reason, file=sys.stderr)
    if not args.update:
        passed = len(runs) * args.repeat - failures - skipped
        print(f"{passed} passed, {failures} failed, {skipped} not possible on this machine")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
