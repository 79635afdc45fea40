"""Build the whole bilingual site: every example once, both languages, one ``site/``.

    python -m example_engine.build            # what `make build` runs: every example fresh
    python -m example_engine.build --cached   # reuse cached runs (what `mkdocs serve` does)
    python -m example_engine.build --examples-only --docs tests/engine/fixtures/pages

Examples that ask to run ``alone`` run first, one at a time, with nothing beside them.
Then the other examples run in parallel while both languages build in parallel; the
language builds take each result from the shared store (``store.py``), which makes
sure that no example runs twice. Any failure stops the build with the page, the
example and its last lines of output (its first and last, past its output limit).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from example_engine.catalog import pages_by_example, settings_for
from example_engine.store import BUILD_ID_ENV, CACHE_DIR_ENV, Obtained, ResultStore, run_name

REPO_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"zh": ("mkdocs.yml", ""), "en": ("mkdocs.en.yml", "en")}


Run = tuple[str, "str | None"]  # an example and the start method forced on it, if any


@dataclass
class ExampleReport:
    results: dict[Run, Obtained] = field(default_factory=dict)
    shown_on: dict[str, list[str]] = field(default_factory=dict)

    def failures(self) -> list[str]:
        messages = []
        for (example, method), obtained in self.results.items():
            result = obtained.result
            if result.ok:
                continue
            pages = ", ".join(self.shown_on.get(example, [])) or "no page"
            shown = "\n".join("    | " + line for line in result.excerpt().splitlines())
            which = "first and last" if result.output_exceeded else "last"
            messages.append(
                f"{pages}: example {run_name(example, method)} {result.problem()}\n"
                f"    {which} lines of its output:\n{shown or '    | (no output)'}"
            )
        return messages


def workers() -> int:
    # Most examples wait (sleep, join, I/O) more than they compute.
    return max(4, 2 * (os.cpu_count() or 2))


def runs_of(examples: list[str], repo_root: Path) -> list[Run]:
    return [(e, m) for e in examples for m in settings_for(e, repo_root).variants()]


def run_examples(
    shown_on: dict[str, list[str]], store: ResultStore, build_id: str | None
) -> ExampleReport:
    """Run what the pages show: `alone` examples one by one, then the rest in parallel."""
    report = ExampleReport(shown_on=shown_on)
    runs = runs_of(sorted(shown_on), store.repo_root)
    alone = [r for r in runs if settings_for(r[0], store.repo_root).alone]
    for example, method in alone:
        report.results[example, method] = store.obtain(example, build_id, method)
    shared = [r for r in runs if r not in alone]
    with ThreadPoolExecutor(workers()) as pool:
        obtained = pool.map(lambda run: store.obtain(run[0], build_id, run[1]), shared)
        report.results.update(zip(shared, obtained, strict=True))
    return report


def start_language_builds(
    build_dir: Path, build_id: str | None, cache_dir: Path
) -> dict[str, subprocess.Popen]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
    env[CACHE_DIR_ENV] = str(cache_dir)
    if build_id:
        env[BUILD_ID_ENV] = build_id
    procs = {}
    for lang, (config, _) in LANGUAGES.items():
        command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
        command += ["-f", config, "-d", str(build_dir / lang)]
        procs[lang] = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return procs


def assemble(build_dir: Path, site_dir: Path) -> None:
    """zh at site/, en at site/en/."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    for lang, (_, prefix) in LANGUAGES.items():
        target = site_dir / prefix if prefix else site_dir
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(build_dir / lang, target)


def build(site_dir: Path, cached: bool, cache_dir: Path | None = None) -> int:
    started = time.perf_counter()
    store = ResultStore(REPO_ROOT, cache_dir)
    build_id = None if cached else uuid.uuid4().hex
    docs = [REPO_ROOT / "docs" / lang for lang in LANGUAGES]
    shown_on = pages_by_example(docs, REPO_ROOT)
    alone = {e: p for e, p in shown_on.items() if settings_for(e, REPO_ROOT).alone}
    rest = {e: p for e, p in shown_on.items() if e not in alone}

    report = run_examples(alone, store, build_id)  # while nothing else runs
    alone_s = time.perf_counter() - started
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    build_dir = Path(tempfile.mkdtemp(prefix=".build-", dir=site_dir.parent))
    try:
        procs = start_language_builds(build_dir, build_id, store.dir)
        report.results.update(run_examples(rest, store, build_id).results)
        report.shown_on = shown_on
        if failures := report.failures():
            for proc in procs.values():
                proc.kill()
                proc.communicate()
            print(f"\nBuild failed: {len(failures)} example(s) did not run as declared.\n")
            print("\n\n".join(failures), file=sys.stderr)
            return 1
        broken = []
        for lang, proc in procs.items():
            output, _ = proc.communicate()
            if proc.returncode != 0:
                broken.append(f"[{lang}] mkdocs build failed:\n{output}")
        if broken:
            print("\n".join(broken), file=sys.stderr)
            return 1
        assemble(build_dir, site_dir)
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)

    executed = sum(not o.cached for o in report.results.values())
    print(
        f"Built {site_dir.name}/ (zh) and {site_dir.name}/en/ (en) in "
        f"{time.perf_counter() - started:.2f} s: {len(report.results)} example runs, "
        f"{executed} executed, {len(report.results) - executed} from cache; "
        f"alone phase {alone_s:.2f} s" + (f" (build {build_id})" if build_id else "")
    )
    return 0


def check_examples(docs: list[Path], cached: bool) -> int:
    """Run only the examples that the given page folders show, as a build would."""
    store = ResultStore(REPO_ROOT)
    shown_on = pages_by_example([d.resolve() for d in docs], REPO_ROOT)
    report = run_examples(shown_on, store, None if cached else uuid.uuid4().hex)
    if failures := report.failures():
        print(f"{len(failures)} example(s) failed:\n", file=sys.stderr)
        print("\n\n".join(failures), file=sys.stderr)
        return 1
    print(f"{len(report.results)} example(s) ran as declared")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cached", action="store_true", help="reuse cached example runs")
    parser.add_argument("--site-dir", type=Path, default=REPO_ROOT / "site")
    parser.add_argument(
        "--examples-only", action="store_true", help="run the examples, build nothing"
    )
    parser.add_argument(
        "--docs", type=Path, action="append", help="page folders (with --examples-only)"
    )
    args = parser.parse_args(argv)
    if args.examples_only:
        return check_examples(args.docs or [REPO_ROOT / "docs"], args.cached)
    return build(args.site_dir.resolve(), args.cached)


if __name__ == "__main__":
    sys.exit(main())
