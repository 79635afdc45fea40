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


def expected_path(example: str, repo_root: Path = REPO_ROOT) -> Path:
    return (repo_root / example).with_suffix(".out")


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


def compare(example: str, result: RunResult, repo_root: Path = REPO_ROOT) -> str | None:
    """None when the output matches the .out file, else a readable reason with a diff."""
    if not result.ok:
        return f"{example}: {result.problem()}\n{result.tail()}"
    path = expected_path(example, repo_root)
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


def update(example: str, result: RunResult, repo_root: Path = REPO_ROOT) -> None:
    if not result.ok:
        raise SystemExit(f"{example}: {result.problem()}\n{result.tail()}")
    expected_path(example, repo_root).write_text(normalise(result.output), encoding="utf-8")


def collect(paths: list[str], repo_root: Path = REPO_ROOT) -> list[str]:
    found: list[str] = []
    for arg in paths or ["examples"]:
        p = (repo_root / arg).resolve()
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        found += [f.relative_to(repo_root).as_posix() for f in files if not f.name.startswith("_")]
    return found


def run_all(
    examples: list[str], start_method: str | None = None, unbuffered: bool = True
) -> dict[str, RunResult]:
    """Run examples four at a time; those declared `alone` afterwards, one by one."""
    alone = [e for e in examples if settings_for(e, REPO_ROOT).alone]
    shared = [e for e in examples if e not in alone]
    with ThreadPoolExecutor(4) as pool:
        results = dict(
            zip(
                shared,
                pool.map(
                    lambda e: run_for_expectation(
                        e, start_method=start_method, unbuffered=unbuffered
                    ),
                    shared,
                ),
                strict=True,
            )
        )
    for example in alone:
        results[example] = run_for_expectation(
            example, start_method=start_method, unbuffered=unbuffered
        )
    return results


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
    examples = collect(args.paths)
    failures = 0
    for _ in range(args.repeat):
        results = run_all(examples, args.start_method, unbuffered=not args.buffered)
        for example in examples:
            result = results[example]
            if args.update:
                update(example, result)
                print(f"wrote {expected_path(example).relative_to(REPO_ROOT)}")
            elif (reason := compare(example, result)) is not None:
                failures += 1
                print(reason, file=sys.stderr)
    if not args.update:
        print(f"{len(examples) * args.repeat - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
