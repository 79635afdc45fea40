"""Where examples are, what each one declares about itself, and which pages show them.

An example is a file under ``examples/<topic>/``. Most need no settings. An example
that must behave differently declares it in ``examples/<topic>/examples.toml``::

    ["ex03_spawn_breaks.py"]
    exit_code = 1              # the traceback is the lesson: the build fails if it succeeds
    timeout = 60               # seconds; the default is 30
    alone = true               # a measurement: run it with no other example beside it
    chooses_start_method = true  # picks its start method itself: not re-run under others
    start_methods = ["fork", "spawn", "forkserver"]  # shown side by side, one run each
    figure = "benchmark"       # draw its printed measurements ("<workload> <strategy> 0.12 s")
    timeline = true            # trace the run and draw what each process and thread did

A page shows an example with one line: ``::example examples/<topic>/<file>.py``.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from example_engine.runner import DEFAULT_TIMEOUT_S

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

EXAMPLE_LINE = re.compile(r"^(?P<indent>[ \t]*)::example[ \t]+(?P<path>\S+)[ \t]*$")
REPORT_LINE = re.compile(r"^[ \t]*::example-report[ \t]*$")  # the execution report page
SETTINGS_FILE = "examples.toml"
_KNOWN_KEYS = {
    "exit_code",
    "timeout",
    "alone",
    "chooses_start_method",
    "start_methods",
    "figure",
    "timeline",
}
FIGURES = ("benchmark",)
ALL_START_METHODS = ("fork", "spawn", "forkserver")


@dataclass(frozen=True)
class ExampleSettings:
    exit_code: int = 0
    timeout_s: float = DEFAULT_TIMEOUT_S
    alone: bool = False
    chooses_start_method: bool = False
    start_methods: tuple[str, ...] = ()  # shown side by side: one run under each
    figure: str | None = None  # one of FIGURES: drawn from the output under the tabs
    timeline: bool = False  # traced (example_engine.trace) and drawn as a timeline

    def variants(self) -> list[str | None]:
        """The start methods to run it under here (None: the default one).

        A method this OS lacks is left out: the page says it is missing.
        """
        if not self.start_methods:
            return [None]
        available = multiprocessing.get_all_start_methods()
        return [m for m in self.start_methods if m in available]


def settings_for(example: str, repo_root: Path) -> ExampleSettings:
    path = repo_root / example
    table_file = path.parent / SETTINGS_FILE
    if not table_file.is_file():
        return ExampleSettings()
    with table_file.open("rb") as f:
        table = tomllib.load(f)
    entry = table.get(path.name, {})
    unknown = set(entry) - _KNOWN_KEYS
    if unknown:
        raise ValueError(f"{table_file}: unknown setting(s) {sorted(unknown)} for {path.name}")
    return ExampleSettings(
        exit_code=int(entry.get("exit_code", 0)),
        timeout_s=float(entry.get("timeout", DEFAULT_TIMEOUT_S)),
        alone=bool(entry.get("alone", False)),
        chooses_start_method=bool(entry.get("chooses_start_method", False)),
        start_methods=_start_methods(entry.get("start_methods", []), table_file),
        figure=_figure(entry.get("figure"), table_file),
        timeline=bool(entry.get("timeline", False)),
    )


def _figure(value: object, table_file: Path) -> str | None:
    if value is not None and value not in FIGURES:
        raise ValueError(f"{table_file}: figure takes one of {FIGURES}")
    return None if value is None else str(value)


def _start_methods(value: object, table_file: Path) -> tuple[str, ...]:
    methods = tuple(str(m) for m in value) if isinstance(value, list) else ()
    if not isinstance(value, list) or set(methods) - set(ALL_START_METHODS):
        raise ValueError(f"{table_file}: start_methods takes a list of {ALL_START_METHODS}")
    return methods


def examples_in(markdown: str) -> list[str]:
    """The example paths a page shows, in order."""
    return [m["path"] for line in markdown.splitlines() if (m := EXAMPLE_LINE.match(line))]


def page_title(page: Path) -> str:
    """A page's first heading, without its explicit anchor."""
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return re.sub(r"\s*\{[^}]*\}\s*$", "", line[2:]).strip()
    return page.stem


def pages_by_example(docs: list[Path], repo_root: Path) -> dict[str, list[str]]:
    """example path -> the pages (relative to the repository) that show it.

    `docs` holds page folders or single pages.
    """
    shown: dict[str, list[str]] = {}
    for place in docs:
        place = place if place.is_absolute() else repo_root / place
        pages = sorted(place.rglob("*.md")) if place.is_dir() else [place]
        for page in (p for p in pages if p.is_file()):
            for example in examples_in(page.read_text(encoding="utf-8")):
                rel_page = page.resolve().relative_to(repo_root.resolve()).as_posix()
                pages = shown.setdefault(example, [])
                if rel_page not in pages:
                    pages.append(rel_page)
    return shown
