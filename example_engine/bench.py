"""`make bench`: how long builds take, how long each example takes, how often each runs.

Prints a table, then one JSON line with the figures (the last line of the output):
clean_build_s      a fresh `make build` with an empty cache (jieba's included)
fresh_build_s      a fresh `make build` with a warm jieba/Python cache (what CI pays)
warm_build_s       a rebuild of both languages with no example changed, inside one
                   process, as `mkdocs serve` does after a page edit (executes nothing)
warm_cli_build_s   `python -m example_engine.build --cached` from the command line
longest_example_s  the slowest example run on its own
executions_per_example_max / _min  runs of each example during the clean build
figures_draw_s     drawing every timeline and benchmark figure of the build, both languages
hang_fail_s        a build whose example hangs (timeout 2 s) fails after this long
hang_leftover_processes  processes still alive after that failure
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from example_engine.build import LANGUAGES, REPO_ROOT, runs_of
from example_engine.catalog import pages_by_example
from example_engine.expectations import run_for_expectation
from example_engine.runner import process_alive
from example_engine.store import CACHE_DIR_ENV, Obtained, ResultStore


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed, proc.stdout


def serve_like_rebuild(site: Path, cache: Path) -> float:
    """Build both languages twice in this process and time the second, as serve does."""
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


def main() -> int:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        site, cache = tmp / "site", tmp / "cache"
        env = dict(os.environ, **{CACHE_DIR_ENV: str(cache)})
        build = [sys.executable, "-m", "example_engine.build", "--site-dir", str(site)]
        jieba_cache = Path(tempfile.gettempdir()) / "jieba.cache"
        jieba_cache.unlink(missing_ok=True)
        clean_s, out = timed(build, env)
        build_id = re.search(r"\(build ([0-9a-f]+)\)", out)[1]
        alone_s = float(re.search(r"alone phase (\d+\.\d+) s", out)[1])
        runs = ResultStore(REPO_ROOT, cache).executions(build_id)
        fresh_s, _ = timed(build, env)
        warm_cli_s, out = timed([*build, "--cached"], env)
        assert ", 0 executed," in out, out
        warm_s = serve_like_rebuild(tmp / "serve-site", cache)
        assert ResultStore(REPO_ROOT, cache).executions("") == {}

        shown = pages_by_example([REPO_ROOT / "docs" / lang for lang in LANGUAGES], REPO_ROOT)
        figures_s, figures = figure_drawing(cache, build_id, shown)
        durations = {}
        for example, variant in runs_of(sorted(shown), REPO_ROOT):
            try:
                result = run_for_expectation(example.path, variant=variant)
            except LookupError:
                continue  # an interpreter or start method this machine lacks
            durations[example.run_name(variant)] = result.duration_s
        hang_s, leftover = hang_check(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{'example run':<68} {'alone (s)':>9} {'runs':>5}")
    for example, seconds in sorted(durations.items(), key=lambda item: -item[1]):
        print(f"{example:<68} {seconds:>9.3f} {runs.get(example, 0):>5}")
    longest = max(durations.values(), default=0.0)
    print()
    print(f"clean build (empty caches)           {clean_s:6.2f} s")
    print(f"  of which examples declared alone   {alone_s:6.2f} s (one at a time, first)")
    print(f"fresh build (every example runs)     {fresh_s:6.2f} s")
    print(f"cached build from the command line   {warm_cli_s:6.2f} s")
    print(f"rebuild of both languages, as serve  {warm_s:6.2f} s")
    print(f"longest example alone                {longest:6.2f} s")
    print(f"sum of all examples alone            {sum(durations.values()):6.2f} s")
    print(f"drawing {figures:3d} figures (zh + en)     {figures_s:6.2f} s")
    print(f"hanging example fails the build in   {hang_s:6.2f} s (timeout 2 s), {leftover} left")
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
        "executions_per_example_max": max(runs.values(), default=0),
        "executions_per_example_min": min((runs.get(e, 0) for e in durations), default=0),
        "examples": len(shown),
        "example_runs": len(durations),
        "figures": figures,
        "figures_draw_s": round(figures_s, 3),
        "hang_fail_s": round(hang_s, 3),
        "hang_leftover_processes": leftover,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
