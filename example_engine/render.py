"""Markdown for one example: Source / Output content tabs and the stamp under them.

The result is ordinary Markdown for pymdownx.tabbed and pymdownx.superfences, so the
theme styles it, highlights it and adds its copy button like any other code block.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from example_engine.catalog import ExampleSettings
from example_engine.figures import benchmark_svg
from example_engine.runner import RunResult, clean_for_display, current_interpreter
from example_engine.timeline import build_timeline, render_svg

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "source": "源代码",
        "output": "输出",
        "no_output": "（没有输出）",
        "run": "自己运行：",
        "gil_on": "GIL 开启",
        "gil_off": "GIL 关闭（自由线程）",
        "start_method": "默认启动方式",
        "took": "耗时",
        "expected_exit": "退出码 {code}（预期如此）",
        "failed": "示例运行失败",
        "missing_method": "{system} 上没有 `{method}` 启动方式，本次构建没有运行它。",
        "timeline_caption": "本次构建中这次运行的真实时间线：每个进程或线程一条泳道，"
        "横条是它的生命周期和它执行的任务，时间单位为毫秒。每次构建都会重新测量、重新绘制。",
        "report_columns": "示例 | 所在页面 | 耗时 | 退出码 | 运行次数 | 结果来源 | 解释器",
        "this_build": "本次构建",
        "from_cache": "缓存",
        "report_summary": "共 {examples} 个示例、{runs} 次运行，合计 {total:.2f} 秒。",
    },
    "en": {
        "source": "Source",
        "output": "Output",
        "no_output": "(no output)",
        "run": "Run it yourself: ",
        "gil_on": "GIL enabled",
        "gil_off": "GIL disabled (free-threaded)",
        "start_method": "default start method",
        "took": "took",
        "expected_exit": "exit code {code} (expected)",
        "failed": "This example failed",
        "missing_method": "`{method}` is not available on {system}: this build did not run it.",
        "timeline_caption": "The real timeline of this run, traced during this build: one lane "
        "per process or thread, bars for its lifetime and the tasks it ran, time in "
        "milliseconds. Every build measures and draws it anew.",
        "report_columns": "Example | Page | Duration | Exit code | Runs | Result | Interpreter",
        "this_build": "this build",
        "from_cache": "cache",
        "report_summary": "{examples} examples, {runs} runs, {total:.2f} s in all.",
    },
}


def fence(text: str, info: str) -> list[str]:
    """A fenced block long enough that no backtick run inside can close it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return [f"{ticks}{info}", *text.splitlines(), ticks]


def indent(lines: list[str], by: str = "    ") -> list[str]:
    return [by + line if line else line for line in lines]


def _facts(result: RunResult, lang: str) -> str:
    t = LABELS[lang]
    interp = result.interpreter
    parts = [
        html.escape(interp.label),
        t["gil_on"] if interp.gil_enabled else t["gil_off"],
        html.escape(interp.system),
        f"{t['start_method']} <code>{html.escape(interp.default_start_method)}</code>",
        f"{t['took']} {result.duration_s:.2f} s",
    ]
    if result.expected_exit_code:
        parts.append(t["expected_exit"].format(code=result.expected_exit_code))
    return f'<span class="example-stamp__facts">{" · ".join(parts)}</span>'


def _run_command(example: str, lang: str) -> str:
    command = html.escape(f"python {example}")
    return f'<span class="example-stamp__run">{LABELS[lang]["run"]}<code>{command}</code></span>'


def stamp_html(result: RunResult | None, example: str, lang: str, command: bool = True) -> str:
    """How to run it yourself and what produced the output shown above."""
    parts = [_run_command(example, lang)] if command else []
    if result is not None:
        parts.append(_facts(result, lang))
    return f'<div class="example-stamp">{"".join(parts)}</div>'


Stash = Callable[[str], str]  # stores raw HTML, returns the placeholder to put in Markdown


def figures_html(
    example: str, result: RunResult, settings: ExampleSettings, lang: str
) -> list[str]:
    """The figures an example's settings ask for, drawn from this very run."""
    t = LABELS[lang]
    drawn = []
    if settings.figure == "benchmark":
        svg_id = "fig-" + re.sub(r"\W+", "-", example.removesuffix(".py"))
        svg = benchmark_svg(result.output, result.interpreter, os.cpu_count(), lang, svg_id)
        if svg:
            drawn.append(f'<figure class="example-figure">{svg}</figure>')
    if settings.timeline and result.trace:
        svg = render_svg(build_timeline(result.trace), lang)
        caption = html.escape(t["timeline_caption"])
        drawn.append(
            f'<figure class="example-figure example-timeline">{svg}'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    return drawn


def render_example(
    example: str,
    source: str,
    runs: list[tuple[str | None, RunResult | None]],
    lang: str,
    stash: Stash,
    settings: ExampleSettings | None = None,
) -> list[str]:
    """Markdown for the tabs: the source, then the output of each run.

    One run (start method None) gives Source / Output and the stamp under them. Runs
    under forced start methods give one output tab each, with that run's stamp; a run
    of None there is a method this OS lacks, said to be missing rather than faked.
    """
    t = LABELS[lang]
    lines = [
        f'=== "{t["source"]}"',
        "",
        *indent(fence(source.rstrip("\n"), f'python title="{example}"')),
        "",
    ]
    if len(runs) == 1 and runs[0][0] is None:
        result = runs[0][1]
        assert result is not None
        output = clean_for_display(result.output) or t["no_output"]
        lines += [f'=== "{t["output"]}"', "", *indent(fence(output, "text")), ""]
        lines += [stash(stamp_html(result, example, lang)), ""]
        for drawn in figures_html(example, result, settings or ExampleSettings(), lang):
            lines += [stash(drawn), ""]
        return lines
    for method, result in runs:
        lines += [f'=== "{t["output"]} · {method}"', ""]
        if result is None:
            system = html.escape(current_interpreter().system)
            lines += [f"    {t['missing_method'].format(method=method, system=system)}", ""]
            continue
        output = clean_for_display(result.output) or t["no_output"]
        facts = stash(stamp_html(result, example, lang, command=False))
        lines += [*indent(fence(output, "text")), "", f"    {facts}", ""]
        for drawn in figures_html(example, result, settings or ExampleSettings(), lang):
            lines += [f"    {stash(drawn)}", ""]
    return [*lines, stash(stamp_html(None, example, lang)), ""]


def render_failure(result: RunResult, pages: list[str], lang: str) -> list[str]:
    """An error box for `mkdocs serve`; the strict build stops on the warning instead."""
    t = LABELS[lang]
    detail = f"{result.example}: {result.problem()}"
    if pages:
        detail += f" (shown on {', '.join(pages)})"
    body = clean_for_display(result.excerpt()) or t["no_output"]
    return [
        f'!!! failure "{t["failed"]}"',
        "",
        f"    {html.escape(detail)}",
        "",
        *indent(fence(body, "text")),
        "",
    ]


@dataclass(frozen=True)
class ReportRow:
    example: str
    page_link: str  # Markdown link to the page that shows it, in the page's language
    results: list[RunResult]  # one per run (start methods side by side give several)
    this_build: bool


def render_report(rows: list[ReportRow], lang: str) -> list[str]:
    """The execution report: every example, slowest first (as sphinx-gallery does)."""
    t = LABELS[lang]
    columns = t["report_columns"].split(" | ")
    lines = [
        t["report_summary"].format(
            examples=len(rows),
            runs=sum(len(r.results) for r in rows),
            total=sum(x.duration_s for r in rows for x in r.results),
        ),
        "",
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join(["---", "---", "--:", "--:", "--:", "---", "---"]) + " |",
    ]
    for row in sorted(rows, key=lambda r: -sum(x.duration_s for x in r.results)):
        first = row.results[0]
        interp = first.interpreter
        gil = t["gil_on"] if interp.gil_enabled else t["gil_off"]
        cells = [
            f"`{row.example}`",
            row.page_link,
            f"{sum(x.duration_s for x in row.results):.2f} s",
            ", ".join(str(x.exit_code) for x in row.results),
            str(len(row.results)),
            t["this_build"] if row.this_build else t["from_cache"],
            f"{interp.label} ({gil})",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]
