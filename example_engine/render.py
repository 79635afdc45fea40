"""Markdown for one example: Source / Output content tabs and the stamp under them.

The result is ordinary Markdown for pymdownx.tabbed and pymdownx.superfences, so the
theme styles it, highlights it and adds its copy button like any other code block.
"""

from __future__ import annotations

import html
import re

from example_engine.runner import RunResult, clean_for_display

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "source": "源代码",
        "output": "输出",
        "no_output": "（没有输出）",
        "run": "自己运行",
        "gil_on": "GIL 开启",
        "gil_off": "GIL 关闭（自由线程）",
        "start_method": "默认启动方式",
        "took": "耗时",
        "expected_exit": "退出码 {code}（预期如此）",
        "failed": "示例运行失败",
        "stamp": "本次构建的真实运行",
    },
    "en": {
        "source": "Source",
        "output": "Output",
        "no_output": "(no output)",
        "run": "Run it yourself",
        "gil_on": "GIL enabled",
        "gil_off": "GIL disabled (free-threaded)",
        "start_method": "default start method",
        "took": "took",
        "expected_exit": "exit code {code} (expected)",
        "failed": "This example failed",
        "stamp": "A real run of this build",
    },
}


def fence(text: str, info: str) -> list[str]:
    """A fenced block long enough that no backtick run inside can close it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return [f"{ticks}{info}", *text.splitlines(), ticks]


def indent(lines: list[str], by: str = "    ") -> list[str]:
    return [by + line if line else line for line in lines]


def stamp_html(result: RunResult, lang: str) -> str:
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
    command = html.escape(f"python {result.example}")
    return (
        f'<div class="example-stamp" title="{t["stamp"]}">'
        f'<span class="example-stamp__run">{t["run"]}: <code>{command}</code></span>'
        f'<span class="example-stamp__facts">{" · ".join(parts)}</span></div>'
    )


def render_example(result: RunResult, source: str, lang: str) -> tuple[list[str], str]:
    """Markdown lines for the tabs, and the stamp's HTML (stashed by the caller)."""
    t = LABELS[lang]
    output = clean_for_display(result.output) or t["no_output"]
    lines = [
        f'=== "{t["source"]}"',
        "",
        *indent(fence(source.rstrip("\n"), f'python title="{result.example}"')),
        "",
        f'=== "{t["output"]}"',
        "",
        *indent(fence(output, "text")),
        "",
    ]
    return lines, stamp_html(result, lang)


def render_failure(result: RunResult, pages: list[str], lang: str) -> list[str]:
    """An error box for `mkdocs serve`; the strict build stops on the warning instead."""
    t = LABELS[lang]
    detail = f"{result.example}: {result.problem()}"
    if pages:
        detail += f" (shown on {', '.join(pages)})"
    body = clean_for_display(result.tail()) or t["no_output"]
    return [
        f'!!! failure "{t["failed"]}"',
        "",
        f"    {html.escape(detail)}",
        "",
        *indent(fence(body, "text")),
        "",
    ]
