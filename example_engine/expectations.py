"""Committed expected output: ``examples/<topic>/exNN_slug.out`` beside ``exNN_slug.py``.

The ``.out`` file holds the example's whole output (child processes' included), as
the runner captured it, passed through ``normalise`` so that pids, durations and the
like read ``<pid>``, ``<time>``. Every other character must match.

    python -m example_engine.expectations examples/locks          # check
    python -m example_engine.expectations --update examples/locks # rewrite .out files
    python -m example_engine.expectations --repeat 10 --start-method spawn examples/pools
"""

from __future__ import annotations

import argparse
import difflib
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from example_engine.catalog import settings_for
from example_engine.normalise import normalise
from example_engine.runner import RunResult, run_example

REPO_ROOT = Path(__file__).resolve().parent.parent


def expected_path(
    example: str, repo_root: Path = REPO_ROOT, start_method: str | None = None
) -> Path:
    """exNN.out; exNN.<method>.out for an example shown under several start methods."""
    suffix = f".{start_method}.out" if start_method else ".out"
    return (repo_root / example).with_suffix(suffix)


def variants(example: str, repo_root: Path = REPO_ROOT) -> list[str | None]:
    """The runs whose output is committed: one, or one per start method shown."""
    settings = settings_for(example, repo_root)
    return settings.variants() if settings.start_methods else [None]


def run_for_expectation(
    example: str,
    repo_root: Path = REPO_ROOT,
    start_method: str | None = None,
    unbuffered: bool = True,
) -> RunResult:
    settings = settings_for(example, repo_root)
    return run_example(
        example,
        repo_root,
        timeout_s=settings.timeout_s,
        expected_exit_code=settings.exit_code,
        start_method=start_method,
        unbuffered=unbuffered,
    )


def compare(
    example: str,
    result: RunResult,
    repo_root: Path = REPO_ROOT,
    start_method: str | None = None,
) -> str | None:
    """None when the output matches the .out file, else a readable reason with a diff."""
    if not result.ok:
        return f"{example}: {result.problem()}\n{result.tail()}"
    path = expected_path(example, repo_root, start_method)
    if not path.is_file():
        return f"{example}: no expected output {path.name}; run `make update-examples`"
    expected = path.read_text(encoding="utf-8")
    actual = normalise(result.output)
    if actual == expected:
        return None
    diff = difflib.unified_diff(
        expected.splitlines(),
        actual.splitlines(),
        f"{path.name} (expected)",
        "actual",
        lineterm="",
    )
    return f"{example}: output differs from {path.name}\n" + "\n".join(diff)


def update(
    example: str,
    result: RunResult,
    repo_root: Path = REPO_ROOT,
    start_method: str | None = None,
) -> Path:
    if not result.ok:
        raise SystemExit(f"{example}: {result.problem()}\n{result.tail()}")
    path = expected_path(example, repo_root, start_method)
    path.write_text(normalise(result.output), encoding="utf-8")
    return path


def collect(paths: list[str], repo_root: Path = REPO_ROOT) -> list[str]:
    found: list[str] = []
    for arg in paths or ["examples"]:
        p = (repo_root / arg).resolve()
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        found += [f.relative_to(repo_root).as_posix() for f in files if not f.name.startswith("_")]
    return found


Run = tuple[str, "str | None"]  # an example and the start method forced on it, if any


def run_many(runs: list[Run], unbuffered: bool = True) -> dict[Run, RunResult]:
    """Four at a time; runs of examples declared `alone` afterwards, one by one."""
    alone = [r for r in runs if settings_for(r[0], REPO_ROOT).alone]
    shared = [r for r in runs if r not in alone]

    def one(run: Run) -> RunResult:
        return run_for_expectation(run[0], start_method=run[1], unbuffered=unbuffered)

    with ThreadPoolExecutor(4) as pool:
        results = dict(zip(shared, pool.map(one, shared), strict=True))
    results.update((run, one(run)) for run in alone)
    return results


def run_all(
    examples: list[str], start_method: str | None = None, unbuffered: bool = True
) -> dict[str, RunResult]:
    """Each example once, under `start_method` if given, keyed by example."""
    results = run_many([(e, start_method) for e in examples], unbuffered)
    return {example: results[example, start_method] for example in examples}


def planned_runs(examples: list[str], forced: str | None) -> list[Run]:
    """Without `forced`: each committed expectation. With it: the examples it applies to."""
    if forced is None:
        return [(e, m) for e in examples for m in variants(e)]
    fixed = [settings_for(e, REPO_ROOT) for e in examples]
    return [
        (e, forced)
        for e, s in zip(examples, fixed, strict=True)
        if not (s.chooses_start_method or s.start_methods)
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
    args = parser.parse_args(argv)
    runs = planned_runs(collect(args.paths), args.start_method)
    failures = 0
    for _ in range(args.repeat):
        results = run_many(runs, unbuffered=not args.buffered)
        for (example, method), result in results.items():
            # A forced start method must reproduce the default run's expectation.
            expectation = None if args.start_method else method
            if args.update:
                path = update(example, result, start_method=expectation)
                print(f"wrote {path.relative_to(REPO_ROOT)}")
            elif (reason := compare(example, result, start_method=expectation)) is not None:
                failures += 1
                print(reason, file=sys.stderr)
    if not args.update:
        print(f"{len(runs) * args.repeat - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
