"""`make lighthouse`: Lighthouse's mobile preset on every page of both languages, built by
each builder. Prints a table, then one JSON line (the last line of the output).

Performance is a measurement: each page is audited RUNS times and its median counts
(the summary gives the minimum and the median of those medians, per builder and in
all). Accessibility, best practices and SEO do not vary between runs: they are taken
from the first run, and the command fails if any page scores below 1 in any of them.
The first run's report of each page is in test-results/lighthouse-all/<builder>/.

    python tests/browser/audit.py [--runs N] [--builder NAME ...] [--page NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from browsing import CHROMIUM, LANGS, REPO_ROOT, page_names  # noqa: E402
from sites import Sites  # noqa: E402

from example_engine.builders import BUILDERS, DEFAULT_BUILDER  # noqa: E402

OUT = REPO_ROOT / "test-results" / "lighthouse-all"
FIXED = ("accessibility", "best-practices", "seo")  # deterministic: must be 1


def audit(site, out: Path, runs: int, names: list[str]) -> dict:
    """One Lighthouse process per category set: the deterministic categories once, then
    performance alone for the remaining runs (what varies)."""
    pages = [f"{lang}-{name}={site.page_url(lang, name)}" for lang in LANGS for name in names]
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    node = shutil.which("node") or "node"
    first, rest = out / "first", out / "rest"
    for folder, categories, n in (
        (first, ("performance", *FIXED), 1),
        (rest, ("performance",), runs - 1),
    ):
        if n < 1:
            continue
        command = [node, str(HERE / "lighthouse.mjs"), str(folder), "mobile"]
        subprocess.run([*command, ",".join(categories), str(n), *pages], check=True, env=env)
    scores = json.loads((first / "scores.json").read_text(encoding="utf-8"))
    if runs > 1:
        more = json.loads((rest / "scores.json").read_text(encoding="utf-8"))
        for name, entry in scores.items():
            entry["categories"]["performance"] += more[name]["categories"]["performance"]
            entry["metrics"] += more[name]["metrics"]
            entry["runtimeErrors"] += more[name]["runtimeErrors"]
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="performance runs per page")
    parser.add_argument("--builder", action="append", choices=BUILDERS, help="default: all")
    parser.add_argument("--page", action="append", choices=page_names(), help="default: all")
    args = parser.parse_args()
    builders = args.builder or list(BUILDERS)
    if not CHROMIUM.is_file():
        raise SystemExit(f"Chromium is missing ({CHROMIUM})")
    shutil.rmtree(OUT, ignore_errors=True)
    started = time.perf_counter()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp, ExitStack() as servers:
        sites = Sites(Path(tmp), DEFAULT_BUILDER, servers)
        for builder in builders:
            site = sites.get(builder)
            results[builder] = audit(site, OUT / builder, args.runs, args.page or page_names())

    print(f"\n{'page':<28}" + "".join(f"{b + ' perf':>16}" for b in builders) + "   below 1")
    failures = []
    medians: dict[str, list[float]] = {b: [] for b in builders}
    names = list(next(iter(results.values())))
    for name in names:
        row, low = f"{name:<28}", []
        for builder in builders:
            entry = results[builder][name]
            perf = entry["categories"]["performance"]
            median = statistics.median(perf)
            medians[builder].append(median)
            row += f"{median:>8.2f} ({min(perf):.2f}-{max(perf):.2f})"
            for category in FIXED:
                score = entry["categories"][category][0]
                if score is None or score < 1:
                    why = [a for a, f in entry["failing"].items() if f["category"] == category]
                    low.append(f"{builder} {category} {score} ({', '.join(why)})")
            if entry["runtimeErrors"]:
                low.append(f"{builder}: {entry['runtimeErrors'][0]}")
        failures += [f"{name}: {item}" for item in low]
        print(row + ("   " + "; ".join(low) if low else ""))
    every = [m for ms in medians.values() for m in ms]
    summary = {
        "lighthouse_preset": "mobile",
        "lighthouse_pages": len(names),
        "lighthouse_runs_per_page": args.runs,
        "lighthouse_perf_min": round(min(every), 3),
        "lighthouse_perf_median": round(statistics.median(every), 3),
        "lighthouse_below_1": len(failures),
        "lighthouse_s": round(time.perf_counter() - started, 1),
    }
    for builder, ms in medians.items():
        summary[f"{builder}_lighthouse_perf_min"] = round(min(ms), 3)
        summary[f"{builder}_lighthouse_perf_median"] = round(statistics.median(ms), 3)
    print(f"\nperformance: median of {args.runs} runs per page; reports in {OUT}")
    if failures:
        print("\n".join(["accessibility, best practices or SEO below 1:", *failures]))
    print(json.dumps(summary))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
