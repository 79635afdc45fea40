"""Turn an output into the form kept in an example's ``.out`` file.

Only what must vary between runs is replaced: process ids, thread idents, durations,
speed-up ratios, memory addresses and ports. Examples print such values in a form
these patterns know (``pid=1234``, ``took 0.21 s``, ``2.0x``), so that every other
character of the output is compared exactly.
"""

from __future__ import annotations

import re

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(pid|ppid|ident|native_id)=\d+"), r"\1=<\1>"),
    (re.compile(r"\b0x[0-9a-fA-F]{4,}\b"), "0x<addr>"),
    (re.compile(r"\b(127\.0\.0\.1|localhost):\d+"), r"\1:<port>"),
    (re.compile(r"(?<![\w.])\d+(?:\.\d+)?[ ]?(?:s|ms|µs|us|ns)\b"), "<time>"),
    (re.compile(r"(?<![\w.])\d+(?:\.\d+)?x\b(?!<)"), "<ratio>x"),
]


def normalise(output: str) -> str:
    for pattern, replacement in _RULES:
        output = pattern.sub(replacement, output)
    return "\n".join(line.rstrip() for line in output.rstrip("\n").splitlines()) + "\n"
