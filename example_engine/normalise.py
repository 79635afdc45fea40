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


# Between interpreters a traceback's decoration differs while its lesson does not: the
# caret lines under a failing expression (`^^^^` since 3.11, `~~~^^^` since 3.13) and
# the line numbers of frames inside the standard library or site-packages (they move
# with every patch release). The version matrix compares outputs without them; the
# reference interpreter's own runs are still compared with every character.
_CARET_LINE = re.compile(r"^[ \t]*[~^]+[ \t~^]*$\n?", re.MULTILINE)
_LIBRARY_FRAME_LINE = re.compile(r'^(\s*File "<(?:stdlib|site-packages)>/[^"]+", line )\d+', re.M)


def without_traceback_decoration(output: str) -> str:
    """`normalise`d output without caret lines and library frames' line numbers."""
    output = _CARET_LINE.sub("", output)
    return _LIBRARY_FRAME_LINE.sub(r"\1<n>", output)
