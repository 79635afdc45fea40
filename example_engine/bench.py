"""`make bench`: how long builds take, how long each example takes, how often each runs.

Both builders side by side, in one run (each with its own empty example cache). Prints
a table, then one JSON line with the figures (the last line of the output). The keys
without a prefix are the default builder's (`default_builder`); each is also given per
builder as `<builder>_<key>` (zensical_warm_build_s, mkdocs_warm_build_s, ...):
clean_build_s      a fresh `make build` with an empty cache (jieba's included)
clean_build_cpu_s  the CPU time it took, every process of the build counted, and
                   alone_phase_cpu_s the part spent in its alone phase
clean_build_floor_s  the least wall time that work allows on this machine: the alone
                   phase as it was, then the rest of the CPU time spread over every core
                   the build could use (as its last line reports them)
fresh_build_s      a fresh `make build` with a warm jieba/Python cache (what CI pays)
warm_build_s       a rebuild of both languages with no example changed, inside one
                   process, as the preview does (MkDocs after any edit; Zensical
                   after an edit of a watched file, examples/ included); executes nothing
warm_cli_build_s   `python -m example_engine.build --cached` from the command line
serve_example_to_page_s  in `make serve` (on a copy of the project), from saving an
                   example to the served page showing its new output
serve_page_to_page_s     the same, from saving a page
longest_example_s  the slowest example run on its own
supervision_s / supervision_share  the supervisor's kill-and-reap after each example
                   ended (reaper.py), in all and as a share of the runs' durations
executions_per_example_max / _min  runs of each example during the clean build
figures_draw_s     drawing every timeline and benchmark figure of the build, both languages
hang_fail_s        a build whose example hangs (timeout 2 s) fails after this long
hang_leftover_processes  processes still alive after that failure
test_suite_s       the whole test suite (what `make test` runs after its installs), with
                   tests_passed / tests_failed; `--no-tests` leaves it out
(Lighthouse's scores per page are `make lighthouse`'s: it takes about 18 minutes.)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from example_engine.build import LANGUAGES, REPO_ROOT, runs_of
from example_engine.builders import BUILDERS, DEFAULT_BUILDER, ZensicalConfig
from example_engine.catalog import pages_by_example
from example_engine.expectations import run_for_expectation
from example_engine.runner import process_alive
from example_engine.store import CACHE_DIR_ENV, Obtained, ResultStore

# The example the preview measurement edits (in a copy) and the page that shows it.
SERVED_EXAMPLE = "examples/processes/ex01_start_join.py"
SERVED_PAGE = "processes/"
PER_BUILDER = (
    "clean_build_s",
    "fresh_build_s",
    "warm_build_s",
    "warm_cli_build_s",
    "serve_example_to_page_s",
    "serve_page_to_page_s",
)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed, proc.stdout


def serve_like_rebuild(site: Path, cache: Path) -> float:
    """MkDocs: build both languages twice in this process and time the second, as serve does."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ[CACHE_DIR_ENV] = str(cache)
    configs = [
        load_config(str(REPO_ROOT / config), site_dir=str(site / lang))
        for lang, (config, _) in LANGUAGES.items()
    ]
    for config in configs:
        build(config)  # warms imports, jieba and the example cache
    started = time.perf_counter()
    for config in configs:
        build(config, dirty=False)
    return time.perf_counter() - started


def zensical_rebuild(cache: Path) -> float:
    """Zensical: the same, with the configs the driver generates (its output hidden)."""
    import zensical

    os.environ[CACHE_DIR_ENV] = str(cache)
    configs = [ZensicalConfig.write(lang, "bench") for lang in LANGUAGES]
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    try:
        with open(os.devnull, "w") as devnull:
            for fd in saved:
                os.dup2(devnull.fileno(), fd)
            for config in configs:
                zensical.build(str(config.path), {"strict": True, "clean": False})
            started = time.perf_counter()
            for config in configs:
                zensical.build(str(config.path), {"strict": True, "clean": False})
            return time.perf_counter() - started
    finally:
        for fd, copy in saved.items():
            os.dup2(copy, fd)
            os.close(copy)
        for config in configs:
            config.remove()


def _served(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (OSError, ValueError):
        return ""


def serve_edits(builder: str, tmp: Path, cache: Path) -> tuple[float, float]:
    """In a preview of a copy of the project (its examples' cached runs copied too), the
    time from saving an edited example to the served page showing the edit's output,
    then from saving an edited page to the served page showing the edit."""
    copy = tmp / f"serve-{builder}"
    skip = shutil.ignore_patterns("__pycache__", ".cache", ".zensical-*")
    for folder in ("docs", "examples", "example_engine"):
        shutil.copytree(REPO_ROOT / folder, copy / folder, ignore=skip)
    for config, _ in LANGUAGES.values():
        shutil.copy(REPO_ROOT / config, copy / config)
    shutil.copytree(cache, copy / ".cache" / "examples", ignore=shutil.ignore_patterns("*.lock"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXAMPLES_", "SITE_URL"))}
    env["PYTHONPATH"] = str(copy)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "example_engine.build", "--serve", "zh"]
    command += ["--builder", builder, "--dev-addr", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        command,
        cwd=copy,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    example = copy / SERVED_EXAMPLE
    url = f"http://127.0.0.1:{port}/{SERVED_PAGE}"

    def wait_for(text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while text not in _served(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the {builder} preview never showed {text!r} on {url}")
            time.sleep(0.02)

    page = copy / "docs" / "zh" / f"{SERVED_PAGE.rstrip('/')}.md"
    try:
        wait_for(f"python {SERVED_EXAMPLE}", 300)
        time.sleep(1.0)  # let the first build settle
        marker = f"bench-{uuid.uuid4().hex[:8]}"
        started = time.perf_counter()
        example.write_text(example.read_text() + f'print("{marker}")\n', encoding="utf-8")
        wait_for(marker, 120)
        example_s = time.perf_counter() - started
        time.sleep(1.0)
        marker = f"bench-{uuid.uuid4().hex[:8]}"
        started = time.perf_counter()
        page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
        wait_for(marker, 120)
        return example_s, time.perf_counter() - started
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)


def measure_builder(builder: str, tmp: Path) -> dict:
    """Clean, fresh, cached and in-process rebuilds, and the preview, of one builder."""
    site, cache = tmp / f"site-{builder}", tmp / f"cache-{builder}"
    env = dict(os.environ, **{CACHE_DIR_ENV: str(cache)})
    build = [sys.executable, "-m", "example_engine.build", "--builder", builder]
    build += ["--site-dir", str(site)]
    jieba_cache = Path(tempfile.gettempdir()) / "jieba.cache"
    jieba_cache.unlink(missing_ok=True)
    clean_s, out = timed(build, env)
    build_id = re.search(r"\(build ([0-9a-f]+)\)", out)[1]
    alone = re.search(r"alone phase (\d+\.\d+) s \((\d+\.\d+) CPU-s\)", out)
    alone_s, alone_cpu_s = float(alone[1]), float(alone[2])
    work = re.search(r" \((\d+\.\d+) CPU-s on (\d+) cores\)", out)
    cpu_s, cores = float(work[1]), int(work[2])
    runs = ResultStore(REPO_ROOT, cache).executions(build_id)
    fresh_s, _ = timed(build, env)
    warm_cli_s, out = timed([*build, "--cached"], env)
    assert ", 0 executed," in out, out
    if builder == "mkdocs":
        warm_s = serve_like_rebuild(tmp / f"serve-site-{builder}", cache)
    else:
        warm_s = zensical_rebuild(cache)
    assert ResultStore(REPO_ROOT, cache).executions("") == {}
    serve_example_s, serve_page_s = serve_edits(builder, tmp, cache)
    return {
        "clean_build_s": clean_s,
        "fresh_build_s": fresh_s,
        "warm_build_s": warm_s,
        "warm_cli_build_s": warm_cli_s,
        "serve_example_to_page_s": serve_example_s,
        "serve_page_to_page_s": serve_page_s,
        "alone_s": alone_s,
        "clean_build_cpu_s": cpu_s,
        "alone_phase_cpu_s": alone_cpu_s,
        # After the alone phase nothing waits on anything but CPU, at best on every core.
        "clean_build_floor_s": alone_s + (cpu_s - alone_cpu_s) / cores,
        "build_id": build_id,
        "runs": runs,
        "cache": cache,
    }


def figure_drawing(cache: Path, build_id: str, shown: dict[str, list[str]]) -> tuple[float, int]:
    """Time drawing every figure of the build (both languages) from its stored runs."""
    from example_engine.render import figures_html

    store = ResultStore(REPO_ROOT, cache)
    drawn, seconds = 0, 0.0
    for example, variant in runs_of(sorted(shown), REPO_ROOT):
        settings = example.settings
        obtained = store.obtain(example, build_id, variant)
        if not (settings.timeline or settings.figure) or not isinstance(obtained, Obtained):
            continue
        started = time.perf_counter()
        for lang in LANGUAGES:
            drawn += len(figures_html(example.path, obtained.result, settings, lang))
        seconds += time.perf_counter() - started
    return seconds, drawn


def hang_check(tmp: Path) -> tuple[float, int]:
    env = dict(os.environ, **{CACHE_DIR_ENV: str(tmp / "hang-cache")})
    command = [sys.executable, "-m", "example_engine.build", "--examples-only"]
    command += ["--docs", "tests/engine/fixtures/pages/broken.md"]
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    pids = [int(p) for p in re.findall(r"parent (\d+) child (\d+)", proc.stderr)[0]]
    time.sleep(0.2)
    return elapsed, sum(process_alive(pid) for pid in pids)


def test_suite() -> tuple[float, dict[str, int]]:
    """`make test`'s pytest run, timed as a whole; its pass/fail counts."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT,
        # As `make test` runs it: not with the cache folder the builds above were timed with.
        env={k: v for k, v in os.environ.items() if k != CACHE_DIR_ENV},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    counts = {f"tests_{kind}": int(n) for n, kind in re.findall(r"(\d+) (passed|failed)", last)}
    counts.setdefault("tests_passed", 0)
    counts.setdefault("tests_failed", 0)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], file=sys.stderr)
    return elapsed, counts


def main() -> int:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    with_tests = "--no-tests" not in sys.argv[1:]
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        measured = {builder: measure_builder(builder, tmp) for builder in BUILDERS}
        default = measured[DEFAULT_BUILDER]
        clean_s, fresh_s = default["clean_build_s"], default["fresh_build_s"]
        warm_s, warm_cli_s = default["warm_build_s"], default["warm_cli_build_s"]
        alone_s, build_id, runs, cache = (
            default["alone_s"],
            default["build_id"],
            default["runs"],
            default["cache"],
        )

        shown = pages_by_example([REPO_ROOT / "docs" / lang for lang in LANGUAGES], REPO_ROOT)
        figures_s, figures = figure_drawing(cache, build_id, shown)
        durations, supervision = {}, {}
        for example, variant in runs_of(sorted(shown), REPO_ROOT):
            try:
                result = run_for_expectation(example.path, variant=variant)
            except LookupError:
                continue  # an interpreter or start method this machine lacks
            durations[example.run_name(variant)] = result.duration_s
            supervision[example.run_name(variant)] = result.supervision_s
        hang_s, leftover = hang_check(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    tests_s, test_counts = test_suite() if with_tests else (None, {})

    print(f"{'example run':<68} {'alone (s)':>9} {'runs':>5}")
    for example, seconds in sorted(durations.items(), key=lambda item: -item[1]):
        print(f"{example:<68} {seconds:>9.3f} {runs.get(example, 0):>5}")
    longest = max(durations.values(), default=0.0)
    print()
    print(f"{'':37}" + "".join(f"{builder:>10}" for builder in BUILDERS))
    for label, key in (
        ("clean build (empty caches)", "clean_build_s"),
        ("  of which examples declared alone", "alone_s"),
        ("  least time its CPU work allows", "clean_build_floor_s"),
        ("fresh build (every example runs)", "fresh_build_s"),
        ("cached build from the command line", "warm_cli_build_s"),
        ("rebuild of both languages, as serve", "warm_build_s"),
        ("serve: example saved -> page shows it", "serve_example_to_page_s"),
        ("serve: page saved -> page shows it", "serve_page_to_page_s"),
    ):
        print(f"{label:<37}" + "".join(f"{measured[b][key]:>8.2f} s" for b in BUILDERS))
    print(f"(the default builder is {DEFAULT_BUILDER}: the JSON keys without a prefix are its)")
    print(f"longest example alone                {longest:6.2f} s")
    print(f"sum of all examples alone            {sum(durations.values()):6.2f} s")
    # The supervisor's share of the runs: its kill-and-reap after each leader ended.
    supervised_s, runs_s = sum(supervision.values()), sum(durations.values())
    share = supervised_s / runs_s if runs_s else 0.0
    print(
        f"supervisor (kill + reap after exit)   {supervised_s:6.3f} s in all, "
        f"{share:.2%} of the runs, longest {max(supervision.values(), default=0):.3f} s"
    )
    print(f"drawing {figures:3d} figures (zh + en)     {figures_s:6.2f} s")
    print(f"hanging example fails the build in   {hang_s:6.2f} s (timeout 2 s), {leftover} left")
    if tests_s is not None:
        print(f"the test suite (make test)           {tests_s:6.2f} s: {test_counts}")
    summary = {
        "clean_build_s": round(clean_s, 3),
        "fresh_build_s": round(fresh_s, 3),
        "warm_build_s": round(warm_s, 3),
        "warm_cli_build_s": round(warm_cli_s, 3),
        "longest_example_s": round(longest, 3),
        "sum_examples_s": round(sum(durations.values()), 3),
        "clean_minus_longest_s": round(clean_s - longest, 3),
        "alone_phase_s": round(alone_s, 3),
        "parallel_phase_s": round(clean_s - alone_s, 3),
        "clean_build_cpu_s": round(default["clean_build_cpu_s"], 2),
        "alone_phase_cpu_s": round(default["alone_phase_cpu_s"], 2),
        "clean_build_floor_s": round(default["clean_build_floor_s"], 3),
        "supervision_s": round(supervised_s, 3),
        "supervision_share": round(share, 4),
        "executions_per_example_max": max(runs.values(), default=0),
        "executions_per_example_min": min((runs.get(e, 0) for e in durations), default=0),
        "examples": len(shown),
        "example_runs": len(durations),
        "figures": figures,
        "figures_draw_s": round(figures_s, 3),
        "hang_fail_s": round(hang_s, 3),
        "hang_leftover_processes": leftover,
        "test_suite_s": None if tests_s is None else round(tests_s, 1),
        **test_counts,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "default_builder": DEFAULT_BUILDER,
        "serve_example_to_page_s": round(default["serve_example_to_page_s"], 3),
        "serve_page_to_page_s": round(default["serve_page_to_page_s"], 3),
    }
    for builder, numbers in measured.items():
        for key in PER_BUILDER:
            summary[f"{builder}_{key}"] = round(numbers[key], 3)
        summary[f"{builder}_executions_per_example_max"] = max(numbers["runs"].values(), default=0)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
