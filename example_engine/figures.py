"""Benchmark figures drawn from what an example really printed in this build.

An example declared ``figure = "benchmark"`` prints one line per measurement::

    cpu-bound  sequential  0.512 s

(workload, strategy, seconds). ``benchmark_svg`` draws them as grouped horizontal bars,
one group per workload, with the machine that measured them. The SVG takes its colours
from the page's palette, so it reads in light and dark mode.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from example_engine.runner import Interpreter

MEASUREMENT = re.compile(r"^(?P<workload>\S+)\s+(?P<strategy>\S+)\s+(?P<seconds>\d+(?:\.\d+)?) s$")

WORDS = {
    "zh": {
        "cpu-bound": "CPU 密集",
        "io-bound": "I/O 密集",
        "sequential": "顺序执行",
        "threads": "多线程",
        "processes": "多进程",
        "seconds": "秒（越短越好）",
        "cores": "{n} 核",
        "gil_on": "GIL 开启",
        "gil_off": "GIL 关闭",
        "free_threaded": "自由线程构建，",
        "title": "本次构建实测的耗时",
        "desc": "{workloads} 组负载、{bars} 项测量，最长 {longest:.2f} 秒。",
    },
    "en": {
        "cpu-bound": "CPU-bound",
        "io-bound": "I/O-bound",
        "sequential": "sequential",
        "threads": "threads",
        "processes": "processes",
        "seconds": "seconds (shorter is better)",
        "cores": "{n} cores",
        "gil_on": "GIL enabled",
        "gil_off": "GIL disabled",
        "free_threaded": "free-threaded build, ",
        "title": "Durations measured in this build",
        "desc": "{workloads} workloads, {bars} measurements, the longest {longest:.2f} s.",
    },
}


@dataclass(frozen=True)
class Measurement:
    workload: str
    strategy: str
    seconds: float


def measurements(output: str) -> list[Measurement]:
    found = []
    for line in output.splitlines():
        if m := MEASUREMENT.match(line.strip()):
            found.append(Measurement(m["workload"], m["strategy"], float(m["seconds"])))
    return found


def _nice_step(longest: float) -> float:
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50):
        if longest / step <= 6:
            return step
    return 100.0


def benchmark_svg(
    runs: Sequence[tuple[str, str, Interpreter]],
    cores: int | None,
    lang: str,
    svg_id: str = "bench",
    width: int = 640,
) -> str | None:
    """An SVG of the measurements that runs printed, or None when they printed none.

    `runs` holds (label, output, interpreter) for each run: one run, or several side by
    side (an example shown under several interpreters), each with its own groups.
    """
    data = [(label, m) for label, output, _ in runs for m in measurements(output)]
    if not data:
        return None
    words = WORDS[lang]

    def word(token: str) -> str:
        return words.get(token, token)

    groups = list(dict.fromkeys((m.workload, label) for label, m in data))
    longest = max(m.seconds for _, m in data)
    step = _nice_step(longest)
    top = step * (int(longest / step) + 1)
    label_w, bar_h, gap, group_gap, head = 150, 18, 4, 16, 30
    plot_w = width - label_w - 60
    y = head
    parts: list[str] = []
    for workload, run in groups:
        rows = [m for label, m in data if m.workload == workload and label == run]
        title = word(workload) + (f" · {run}" if run else "")
        parts.append(f'<text class="group" x="8" y="{y + 12}">{html.escape(title)}</text>')
        y += 18
        for row in rows:
            w = max(1.0, plot_w * row.seconds / top)
            parts.append(
                f'<text class="label" x="{label_w - 8}" y="{y + bar_h - 5}" '
                f'text-anchor="end">{html.escape(word(row.strategy))}</text>'
                f'<rect class="bar bar-{html.escape(row.strategy)}" x="{label_w}" y="{y}" '
                f'width="{w:.1f}" height="{bar_h}" rx="2"><title>{html.escape(word(row.strategy))}'
                f": {row.seconds:.3f} s</title></rect>"
                f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + bar_h - 5}">'
                f"{row.seconds:.2f} s</text>"
            )
            y += bar_h + gap
        y += group_gap
    axis_y = y
    ticks = []
    n = 0
    while n * step <= top + 1e-9:
        x = label_w + plot_w * n * step / top
        ticks.append(
            f'<line class="grid" x1="{x:.1f}" y1="{head}" x2="{x:.1f}" y2="{axis_y}"/>'
            f'<text class="tick" x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle">'
            f"{n * step:g}</text>"
        )
        n += 1
    interpreters = list(dict.fromkeys(interp for _, _, interp in runs))
    described = [
        f"{i.label} ({words['free_threaded'] if i.free_threaded_build else ''}"
        f"{words['gil_on'] if i.gil_enabled else words['gil_off']})"
        for i in interpreters
    ]
    systems = list(dict.fromkeys(i.system for i in interpreters))
    machine = " · ".join(
        [" / ".join(described), *systems] + ([words["cores"].format(n=cores)] if cores else [])
    )
    height = axis_y + 44
    title = html.escape(words["title"])
    desc = html.escape(
        words["desc"].format(workloads=len(groups), bars=len(data), longest=longest) + " " + machine
    )
    return (
        f'<svg class="benchmark-figure" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc">'
        f'<title id="{svg_id}-title">{title}</title><desc id="{svg_id}-desc">{desc}</desc>'
        # An inline <svg>'s <style> applies to the whole page: every selector is the
        # figure's own (Material has a .grid of its own, and other figures have text).
        "<style>"
        ".benchmark-figure text{font:12px var(--md-text-font-family,sans-serif);"
        "fill:var(--md-default-fg-color,#222)}"
        ".benchmark-figure .group{font-weight:700}"
        ".benchmark-figure .tick,.benchmark-figure .machine"
        "{fill:var(--md-default-fg-color--light,#666)}"
        ".benchmark-figure .grid{stroke:var(--md-default-fg-color--lightest,#ddd)}"
        ".benchmark-figure .bar{fill:var(--md-primary-fg-color,#3f51b5)}"
        ".benchmark-figure .bar-threads,.benchmark-figure .bar-ThreadPoolExecutor"
        "{fill:var(--md-accent-fg-color,#526cfe)}"
        ".benchmark-figure .bar-processes,.benchmark-figure .bar-ProcessPoolExecutor"
        "{fill:#c2185b}"
        "</style>"
        f'<text class="machine" x="8" y="16">{html.escape(machine)}</text>'
        + "".join(ticks)
        + "".join(parts)
        + f'<text class="tick" x="{label_w + plot_w / 2:.1f}" y="{axis_y + 32}" '
        f'text-anchor="middle">{html.escape(words["seconds"])}</text></svg>'
    )
