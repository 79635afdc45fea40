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

from example_engine.catalog import DEFAULT, Example, ExampleSettings, Variant
from example_engine.figures import benchmark_svg
from example_engine.interpreters import Unavailable
from example_engine.runner import RunResult, clean_for_display, current_interpreter
from example_engine.timeline import build_timeline, render_svg

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "source": "源代码",
        "output": "输出",
        "no_output": "（没有输出）",
        "run": "自己运行：",
        "gil_on": "GIL 开启",
        "gil_off": "GIL 关闭",
        "free_threaded": "自由线程构建",
        "start_method": "默认启动方式",
        "took": "耗时",
        "expected_exit": "退出码 {code}（预期如此）",
        "failed": "示例运行失败",
        "missing_start_method": "{system} 上没有 `{what}` 启动方式，本次构建没有运行它。",
        "missing_python": "本次构建所用的机器上没有 Python {what}，所以没有运行它。"
        "在装有它的机器上构建时（例如本站在 GitHub 上的发布构建），这里显示它的真实输出。",
        "missing_modules": "本次构建所用的机器上，Python {python} 缺少 {what}，所以没有运行它。",
        "missing_newer_python": "这个示例需要 Python {what} 或更新的版本，"
        "所以本次构建没有用更早的版本运行它。",
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
        "gil_off": "GIL disabled",
        "free_threaded": "free-threaded build",
        "start_method": "default start method",
        "took": "took",
        "expected_exit": "exit code {code} (expected)",
        "failed": "This example failed",
        "missing_start_method": "`{what}` is not available on {system}: this build did not run it.",
        "missing_python": "Python {what} is not on this build machine: this build did not run "
        "it. A build on a machine that has it (such as this site's published build on "
        "GitHub) shows its real output here.",
        "missing_modules": "This build machine's Python {python} lacks {what}: this build did "
        "not run it.",
        "missing_newer_python": "This example needs Python {what} or newer: this build did "
        "not run it under an older one.",
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


def gil_words(result: RunResult, lang: str) -> str:
    """ "GIL enabled", or "free-threaded build, GIL disabled", in the page's language."""
    t = LABELS[lang]
    gil = t["gil_on"] if result.interpreter.gil_enabled else t["gil_off"]
    if result.interpreter.free_threaded_build:
        return f"{t['free_threaded']}{'，' if lang == 'zh' else ', '}{gil}"
    return gil


def _facts(result: RunResult, lang: str) -> str:
    t = LABELS[lang]
    interp = result.interpreter
    parts = [
        html.escape(interp.label),
        gil_words(result, lang),
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


def unavailable_text(missing: Unavailable, lang: str) -> str:
    """Why a tab has no output: said in the page's language, never faked."""
    t = LABELS[lang]
    system = current_interpreter().system
    return t[f"missing_{missing.missing}"].format(
        what=missing.what, python=missing.python, system=system
    )


Stash = Callable[[str], str]  # stores raw HTML, returns the placeholder to put in Markdown
Run = tuple[Variant, "RunResult | Unavailable"]


def _svg_id(example: str) -> str:
    return "fig-" + re.sub(r"\W+", "-", example.removesuffix(".py"))


def benchmark_html(example: str, runs: list[tuple[str, RunResult]], lang: str) -> str | None:
    """One benchmark figure from the measurements of one or several runs, side by side."""
    measured = [(label, result.output, result.interpreter) for label, result in runs]
    svg = benchmark_svg(measured, os.cpu_count(), lang, _svg_id(example))
    return f'<figure class="example-figure">{svg}</figure>' if svg else None


def timeline_html(result: RunResult, lang: str) -> str | None:
    if not result.trace:
        return None
    svg = render_svg(build_timeline(result.trace), lang)
    caption = html.escape(LABELS[lang]["timeline_caption"])
    return (
        f'<figure class="example-figure example-timeline">{svg}'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def figures_html(
    example: str, result: RunResult, settings: ExampleSettings, lang: str
) -> list[str]:
    """The figures an example's settings ask for, drawn from one run."""
    drawn = []
    if settings.figure == "benchmark" and (svg := benchmark_html(example, [("", result)], lang)):
        drawn.append(svg)
    if settings.timeline and (svg := timeline_html(result, lang)):
        drawn.append(svg)
    return drawn


def render_example(
    example: Example,
    source: str,
    runs: list[Run],
    lang: str,
    stash: Stash,
    titles: tuple[str, str] | None = None,
) -> list[str]:
    """Markdown for the tabs: the source, then the output of each run.

    One default run gives Source / Output and the stamp under them. Several runs (other
    interpreters, forced start methods) give one output tab each, with that run's stamp
    (and timeline); a run this machine cannot make says so instead of an output. A
    benchmark drawn from several runs is one figure under the tabs, the runs side by side.
    `titles` replaces the words "Source" and "Output" (markdown-exec's `tabs` option).
    """
    t = LABELS[lang]
    source_title, output_title = titles or (t["source"], t["output"])
    settings = example.settings
    lines = [
        f'=== "{source_title}"',
        "",
        *indent(fence(source.rstrip("\n"), f'python title="{example.path}"')),
        "",
    ]
    if len(runs) == 1 and runs[0][0] == DEFAULT and isinstance(runs[0][1], RunResult):
        result = runs[0][1]
        output = clean_for_display(result.output) or t["no_output"]
        lines += [f'=== "{output_title}"', "", *indent(fence(output, "text")), ""]
        lines += [stash(stamp_html(result, example.path, lang)), ""]
        for drawn in figures_html(example.path, result, settings, lang):
            lines += [stash(drawn), ""]
        return lines
    measured: list[tuple[str, RunResult]] = []
    for variant, result in runs:
        title = f"{output_title} · {variant.label}" if variant.label else output_title
        lines += [f'=== "{title}"', ""]
        if isinstance(result, Unavailable):
            lines += [f"    {html.escape(unavailable_text(result, lang))}", ""]
            continue
        output = clean_for_display(result.output) or t["no_output"]
        facts = stash(stamp_html(result, example.path, lang, command=False))
        lines += [*indent(fence(output, "text")), "", f"    {facts}", ""]
        if settings.timeline and (drawn := timeline_html(result, lang)):
            lines += [f"    {stash(drawn)}", ""]
        measured.append((variant.label, result))
    lines += [stash(stamp_html(None, example.path, lang)), ""]
    drawn = benchmark_html(example.path, measured, lang) if settings.figure else None
    if drawn:
        lines += [stash(drawn), ""]
    return lines


def render_failure(result: RunResult, pages: list[str], lang: str) -> list[str]:
    """An error box for the preview. A build never shows it: the driver stops on the failed
    run first, and on the box's class (example-problem) in the built HTML."""
    t = LABELS[lang]
    detail = f"{result.example}: {result.problem()}"
    if pages:
        detail += f" (shown on {', '.join(pages)})"
    body = clean_for_display(result.excerpt()) or t["no_output"]
    return [
        f'!!! failure example-problem "{t["failed"]}"',
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
    results: list[RunResult]  # one per run made (variants side by side give several)
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
        interpreters = dict.fromkeys(
            f"{x.interpreter.label} ({gil_words(x, lang)})" for x in row.results
        )
        cells = [
            f"`{row.example}`",
            row.page_link,
            f"{sum(x.duration_s for x in row.results):.2f} s",
            ", ".join(str(x.exit_code) for x in row.results) or "–",
            str(len(row.results)),
            t["this_build"] if row.this_build else t["from_cache"],
            ", ".join(interpreters) or "–",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]
