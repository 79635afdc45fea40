"""Build the whole bilingual site: every example once, both languages, one ``site/``.

    python -m example_engine.build            # what `make build` runs: every example fresh
    python -m example_engine.build --cached   # reuse cached runs (as the preview does)
    python -m example_engine.build --builder mkdocs   # MkDocs + Material instead of Zensical
    python -m example_engine.build --serve zh # live preview of one language (`make serve`)
    python -m example_engine.build --examples-only --docs tests/engine/fixtures/pages

Examples that ask to run ``alone`` run first, one at a time, with nothing beside them.
Then the other examples run in parallel while both languages build in parallel, each
with the chosen builder (``builders.py``: Zensical or MkDocs); the language builds take
each result from the shared store (``store.py``), which makes sure that no example runs
twice. Any failure stops the build with the page, the example and its last lines of
output (its first and last, past its output limit): the driver checks every run itself,
whichever builder renders the pages. Then it assembles the site, writes the sitemaps
with their hreflang alternates (``sitemap.py``) and checks every page's links, anchors and resources
(``htmlcheck.py``): a broken one fails the build under either builder.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from example_engine.builders import (
    DEFAULT_BUILDER,
    LANGUAGES,
    REPO_ROOT,
    LanguageBuild,
    builder,
)
from example_engine.catalog import Example, SettingsError, Variant, catalog, pages_by_example
from example_engine.htmlcheck import Page, check_site, parse_site
from example_engine.interpreters import Unavailable
from example_engine.sitemap import write_sitemaps
from example_engine.store import BUILD_ID_ENV, CACHE_DIR_ENV, Obtained, ResultStore

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")

__all__ = ["LANGUAGES", "REPO_ROOT", "build", "main", "runs_of"]


Run = tuple[Example, Variant]  # one run of an example: its interpreter and start method


@dataclass
class ExampleReport:
    results: dict[Run, Obtained | Unavailable] = field(default_factory=dict)
    shown_on: dict[str, list[str]] = field(default_factory=dict)

    def made(self) -> dict[Run, Obtained]:
        """The runs this machine could make (the others are said to be missing)."""
        return {r: o for r, o in self.results.items() if isinstance(o, Obtained)}

    def failures(self) -> list[str]:
        messages = []
        for (example, variant), obtained in self.made().items():
            result = obtained.result
            if result.ok:
                continue
            pages = ", ".join(self.shown_on.get(example.path, [])) or "no page"
            shown = "\n".join("    | " + line for line in result.excerpt().splitlines())
            which = "first and last" if result.output_exceeded else "last"
            messages.append(
                f"{pages}: example {example.run_name(variant)} {result.problem()}\n"
                f"    {which} lines of its output:\n{shown or '    | (no output)'}"
            )
        return messages


def cpu_seconds() -> float:
    """CPU time of this process and of every process it has waited for: the examples,
    their children (adopted and reaped when they outlive their parents, reaper.py) and the
    language builds. A build's total says how much work its wall time had to fit."""
    if sys.platform == "win32":  # no resource module: process_time() is this process only
        return time.process_time()
    import resource

    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def usable_cores() -> int:
    """The cores this process may run on (its affinity), what a build's CPU time is spread
    over; all the machine's where the OS does not say."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers() -> int:
    # Most examples wait (sleep, join, I/O) more than they compute.
    return max(8, 4 * (os.cpu_count() or 2))


def runs_of(examples: list[str], repo_root: Path) -> list[Run]:
    known = catalog(repo_root)
    return [(e, v) for e in map(known.example, examples) for v in e.variants]


def run_examples(
    shown_on: dict[str, list[str]], store: ResultStore, build_id: str | None
) -> ExampleReport:
    """Run what the pages show: `alone` examples one by one, then the rest in parallel."""
    report = ExampleReport(shown_on=shown_on)
    runs = runs_of(sorted(shown_on), store.repo_root)
    alone = [r for r in runs if r[0].settings.alone]
    for example, variant in alone:
        report.results[example, variant] = store.obtain(example, build_id, variant)
    shared = [r for r in runs if r not in alone]
    # Longest first (as the last run of the same source took; unknown ones first): the
    # phase then ends soon after its longest member instead of starting it last.
    last = {run: store.last_duration(*run) for run in shared}
    shared.sort(key=lambda run: -(last[run] if last[run] is not None else float("inf")))
    with ThreadPoolExecutor(workers()) as pool:
        obtained = pool.map(lambda run: store.obtain(run[0], build_id, run[1]), shared)
        report.results.update(zip(shared, obtained, strict=True))
    return report


def start_language_builds(
    builder_name: str,
    build_dir: Path,
    build_id: str | None,
    cache_dir: Path,
    builds: dict[str, LanguageBuild],
) -> None:
    """Start one build per language, in parallel, into `builds` (as each one starts)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
    env[CACHE_DIR_ENV] = str(cache_dir)
    if build_id:
        env[BUILD_ID_ENV] = build_id
    chosen = builder(builder_name)
    for lang in LANGUAGES:
        builds[lang] = chosen.start(lang, build_dir / lang, env)


def assemble(build_dir: Path) -> tuple[Path, dict[Path, Page]]:
    """zh at site/, en at site/en/ (inside build_dir), with their sitemaps; every page
    parsed once, for the sitemaps and for the check that follows."""
    site = build_dir / "site"
    for lang, (_, prefix) in LANGUAGES.items():
        target = site / prefix if prefix else site
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(build_dir / lang, target)
    pages = parse_site(site)
    write_sitemaps([site / prefix if prefix else site for _, prefix in LANGUAGES.values()], pages)
    return site, pages


def build(
    site_dir: Path,
    cached: bool,
    cache_dir: Path | None = None,
    builder_name: str = DEFAULT_BUILDER,
) -> int:
    started, cpu_before = time.perf_counter(), cpu_seconds()
    store = ResultStore(REPO_ROOT, cache_dir)
    build_id = None if cached else uuid.uuid4().hex
    docs = [REPO_ROOT / "docs" / lang for lang in LANGUAGES]
    shown_on = pages_by_example(docs, REPO_ROOT)
    known = catalog(REPO_ROOT)
    alone = {e: p for e, p in shown_on.items() if known.example(e).settings.alone}
    rest = {e: p for e, p in shown_on.items() if e not in alone}

    report = run_examples(alone, store, build_id)  # while nothing else runs
    alone_s, alone_cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    build_dir = Path(tempfile.mkdtemp(prefix=".build-", dir=site_dir.parent))
    builds: dict[str, LanguageBuild] = {}
    try:
        start_language_builds(builder_name, build_dir, build_id, store.dir, builds)
        report.results.update(run_examples(rest, store, build_id).results)
        report.shown_on = shown_on
        if failures := report.failures():
            print(f"\nBuild failed: {len(failures)} example(s) did not run as declared.\n")
            print("\n\n".join(failures), file=sys.stderr)
            return 1
        broken = []
        for lang, language_build in builds.items():
            ok, output = language_build.finish()
            if not ok:
                if not sys.stderr.isatty():  # Zensical colours its messages even in a pipe
                    output = ANSI_ESCAPE.sub("", output)
                broken.append(f"[{lang}] {builder_name} build failed:\n{output}")
        if broken:
            print("\n".join(broken), file=sys.stderr)
            return 1
        site, pages = assemble(build_dir)
        # Links, anchors and resources, the same check whichever builder made the pages:
        # a broken one fails the build and leaves the previous site/ as it was.
        if problems := check_site(site, pages):
            print(f"Build failed: {len(problems)} problem(s) in the built site:", file=sys.stderr)
            print("\n".join(f"  {p}" for p in problems), file=sys.stderr)
            return 1
        if site_dir.exists():
            shutil.rmtree(site_dir)
        os.replace(site, site_dir)
    finally:
        for language_build in builds.values():  # stopped if still running, files removed
            language_build.kill()
        shutil.rmtree(build_dir, ignore_errors=True)

    made = report.made()
    executed = sum(not o.cached for o in made.values())
    missing = len(report.results) - len(made)
    print(
        f"Built {site_dir.name}/ (zh) and {site_dir.name}/en/ (en) with {builder_name} in "
        f"{time.perf_counter() - started:.2f} s ({cpu_seconds() - cpu_before:.1f} CPU-s on "
        f"{usable_cores()} cores): {len(made)} example runs, "
        f"{executed} executed, {len(made) - executed} from cache, "
        f"{missing} not possible on this machine; alone phase {alone_s:.2f} s "
        f"({alone_cpu:.1f} CPU-s)" + (f" (build {build_id})" if build_id else "")
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
    print(f"{len(report.made())} example(s) ran as declared")
    return 0


def serve(lang: str, builder_name: str, address: str) -> int:
    """Live preview of one language with the builder's own server.

    The examples whose cached result is stale run first, in parallel (a failure is
    listed here and shown in the page rather than stopping the preview). Then either
    server rebuilds when a page, the theme or a file under ``watch:`` (examples/
    included) changes, and the store runs again only the examples whose source
    changed. For Zensical, which reads a config generated from mkdocs.yml and
    mkdocs.en.yml, the driver stays beside the server and writes that config again
    when one of them changes (Zensical then reloads it, as MkDocs reloads its own).
    """
    check_examples([REPO_ROOT / "docs"], cached=True)
    command, generated = builder(builder_name).serve_command(lang, address)
    sources = [REPO_ROOT / config for config, _ in LANGUAGES.values()]

    def stamps() -> list[int]:
        return [source.stat().st_mtime_ns for source in sources]

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGBREAK"):  # SIGBREAK: Ctrl+Break on Windows
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL)
    seen = stamps()
    try:
        while True:
            try:
                return proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
            if generated and (now := stamps()) != seen:
                seen = now
                generated.refresh()
    except KeyboardInterrupt:
        return 0
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if generated:
            generated.remove()


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
    parser.add_argument(
        "--builder",
        choices=("zensical", "mkdocs"),
        default=DEFAULT_BUILDER,
        help=f"the site builder (default: {DEFAULT_BUILDER})",
    )
    parser.add_argument(
        "--serve", choices=sorted(LANGUAGES), help="live preview of this language, built nothing"
    )
    parser.add_argument(
        "--dev-addr", default="127.0.0.1:8000", help="the preview's address (with --serve)"
    )
    args = parser.parse_args(argv)
    try:
        if args.examples_only:
            return check_examples(args.docs or [REPO_ROOT / "docs"], args.cached)
        if args.serve:
            return serve(args.serve, args.builder, args.dev_addr)
        return build(args.site_dir.resolve(), args.cached, builder_name=args.builder)
    except SettingsError as error:  # a bad examples.toml or page: one line, no traceback
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
