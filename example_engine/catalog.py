"""Where examples are, what each one declares about itself, and which pages show them.

An example is a file under ``examples/<topic>/``. Most need no settings. An example
that must behave differently declares it in ``examples/<topic>/examples.toml``::

    ["ex03_spawn_breaks.py"]
    exit_code = 1              # the traceback is the lesson: the build fails if it succeeds
    timeout = 60               # seconds; the default is 30
    output_limit = 2_000_000   # bytes it may print (default 1 MiB); past it the run fails
    alone = true               # a measurement: run it with no other example beside it
    chooses_start_method = true  # picks its start method itself: not re-run under others
    start_methods = ["fork", "spawn", "forkserver"]  # shown side by side, one run each
    pythons = ["3.11", "3.13", "3.14t"]  # shown side by side, one run per interpreter
    min_python = "3.14"        # uses what older versions lack: never run under them
    requires = ["dask", "distributed"]   # third-party modules it imports
    depends_on = ["words.txt"]  # files beside it that it reads (local imports are found)
    figure = "benchmark"       # draw its printed measurements ("<workload> <strategy> 0.12 s")
    timeline = true            # trace the run and draw what each process and thread did

Each settings file is parsed and checked once per process (again only when it
changes), and an ``Example`` carries its settings from the page to the runner. A page
shows an example with a fence that markdown-exec validates::

    ```example exec="on"
    examples/<topic>/<file>.py
    ```
"""

from __future__ import annotations

import ast
import functools
import re
import sys
import threading
from dataclasses import dataclass, field, fields
from itertools import product
from pathlib import Path

from example_engine.runner import DEFAULT_OUTPUT_LIMIT, DEFAULT_TIMEOUT_S

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SETTINGS_FILE = "examples.toml"
FIGURES = ("benchmark",)
ALL_START_METHODS = ("fork", "spawn", "forkserver")
# The interpreters the site teaches: a name is "3.N", with "t" for a free-threaded build.
PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.13t", "3.14", "3.14t")


def older(python: str, than: str) -> bool:
    """Whether interpreter `python` ("3.13t") is an older version than `than` ("3.14")."""

    def version(name: str) -> tuple[int, ...]:
        return tuple(int(n) for n in name.rstrip("t").split("."))

    return version(python) < version(than)


class SettingsError(ValueError):
    """A bad settings file or page: one line that names the file and, where known, the line."""


@dataclass(frozen=True)
class ExampleSettings:
    exit_code: int = 0
    timeout_s: float = DEFAULT_TIMEOUT_S
    output_limit: int = DEFAULT_OUTPUT_LIMIT
    alone: bool = False
    chooses_start_method: bool = False
    start_methods: tuple[str, ...] = ()  # shown side by side: one run under each
    pythons: tuple[str, ...] = ()  # shown side by side: one run under each interpreter
    min_python: str | None = None  # the oldest version it runs on (one of PYTHONS)
    requires: tuple[str, ...] = ()  # third-party modules the example imports
    depends_on: tuple[str, ...] = ()  # files it reads, relative to its folder
    figure: str | None = None  # one of FIGURES: drawn from the output under the tabs
    timeline: bool = False  # traced (example_engine.trace) and drawn as a timeline


@dataclass(frozen=True)
class Variant:
    """One run of an example: under which interpreter, with which default start method."""

    python: str | None = None  # one of PYTHONS; None: the interpreter running the build
    start_method: str | None = None  # forced default start method; None: the interpreter's

    @property
    def label(self) -> str:
        """ "3.13 · spawn": how a tab, a message or a count names the run ("" for the default)."""
        return " · ".join(part for part in (self.python, self.start_method) if part)

    @property
    def slug(self) -> str:
        """ "3.13.spawn": how a file name names it ("" for the default run)."""
        return ".".join(part for part in (self.python, self.start_method) if part)


DEFAULT = Variant()


@dataclass(frozen=True)
class Example:
    path: str  # relative to the repository root, with forward slashes
    settings: ExampleSettings = field(default_factory=ExampleSettings)

    @property
    def variants(self) -> list[Variant]:
        """Every run its page shows: one, or one per interpreter and start method declared."""
        pythons = self.settings.pythons or (None,)
        methods = self.settings.start_methods or (None,)
        return [Variant(p, m) for p, m in product(pythons, methods)]

    def run_name(self, variant: Variant = DEFAULT) -> str:
        """How one run is named in messages and counts: the path, plus the variant."""
        return f"{self.path} [{variant.label}]" if variant.label else self.path

    def dependencies(self, repo_root: Path) -> list[Path]:
        """Files whose change changes what it prints: declared ones and local imports."""
        script = repo_root / self.path
        folder = script.parent
        found = [folder / name for name in self.settings.depends_on]
        for module in _imported_modules(script):
            for candidate in (folder / f"{module}.py", folder / module / "__init__.py"):
                if candidate.is_file() and candidate not in found:
                    found.append(candidate)
        return found


def _imported_modules(script: Path) -> list[str]:
    """Top-level names of the modules a script imports (absolute imports only)."""
    try:
        stat = script.stat()
    except OSError:
        return []  # a missing example fails when it runs, with its own message
    return list(_parsed_imports(script, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=1024)
def _parsed_imports(script: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The imports of one version of a script: parsing it was most of the time a cached
    build spent computing result keys (a key is asked for several times per example)."""
    try:
        tree = ast.parse(script.read_bytes(), str(script))
    except (OSError, SyntaxError, ValueError):
        return ()  # a broken example fails when it runs, with its own message
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module.split(".")[0])
    return tuple(dict.fromkeys(names))


class Catalog:
    """The settings of every example, each file parsed and checked once per process.

    A file is parsed again only when its size or modification time changes, so that a
    long-running ``mkdocs serve`` sees an edit while a build reads each file once.
    """

    def __init__(self, repo_root: Path) -> None:
        self.repo_root = repo_root.resolve()
        self._tables: dict[Path, tuple[tuple[int, int], dict[str, ExampleSettings]]] = {}
        self._lock = threading.Lock()
        self.parses = 0  # how many times a settings file was read (tests count them)

    def example(self, path: str) -> Example:
        """The example at `path` (relative to the repository) with its settings."""
        rel = Path(path).as_posix()
        script = self.repo_root / rel
        table = self._table(script.parent / SETTINGS_FILE)
        return Example(rel, table.get(script.name, ExampleSettings()))

    def _table(self, file: Path) -> dict[str, ExampleSettings]:
        try:
            stat = file.stat()
        except FileNotFoundError:
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._tables.get(file)
            if cached is None or cached[0] != stamp:
                self.parses += 1
                cached = (stamp, parse_settings(file, self.repo_root))
                self._tables[file] = cached
        return cached[1]


_catalogs: dict[Path, Catalog] = {}


def catalog(repo_root: Path) -> Catalog:
    """The process's catalog of the repository at `repo_root`."""
    root = repo_root.resolve()
    if root not in _catalogs:
        _catalogs[root] = Catalog(root)
    return _catalogs[root]


# ---------------------------------------------------------------------------------------
# Parsing and checking a settings file: every mistake is one line naming file and line.

_KEYS = {
    "exit_code": "exit_code",
    "timeout": "timeout_s",
    "output_limit": "output_limit",
    "alone": "alone",
    "chooses_start_method": "chooses_start_method",
    "start_methods": "start_methods",
    "pythons": "pythons",
    "min_python": "min_python",
    "requires": "requires",
    "depends_on": "depends_on",
    "figure": "figure",
    "timeline": "timeline",
}
assert set(_KEYS.values()) == {f.name for f in fields(ExampleSettings)}
_MODULE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


def parse_settings(file: Path, repo_root: Path) -> dict[str, ExampleSettings]:
    """Every entry of one examples.toml, checked: file name -> settings."""
    name = _display(file, repo_root)
    text = file.read_text(encoding="utf-8")
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = _toml_position(str(error))
        raise SettingsError(f"{name}:{line}: {message}" if line else f"{name}: {message}") from None
    settings = {}
    for entry, values in table.items():
        where = f"{name}:{_line_of(text, entry)}"
        if not isinstance(values, dict):
            raise SettingsError(
                f'{where}: "{entry}" must be a table: ["{entry}"] then its settings'
            )
        if not (file.parent / entry).is_file():
            raise SettingsError(
                f'{where}: ["{entry}"] names no file in {_display(file.parent, repo_root)}/'
            )
        settings[entry] = _entry_settings(entry, values, file.parent, text, name)
    return settings


def _entry_settings(
    entry: str, values: dict, folder: Path, text: str, name: str
) -> ExampleSettings:
    def fail(key: str, problem: str) -> SettingsError:
        return SettingsError(f"{name}:{_line_of(text, entry, key)}: {entry}: {key} {problem}")

    kwargs: dict[str, object] = {}
    for key, value in values.items():
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise fail(key, f"is not a setting (known: {known})")
        kwargs[_KEYS[key]] = _checked(key, value, folder, fail)
    if kwargs.get("chooses_start_method") and kwargs.get("start_methods"):
        raise fail("start_methods", "contradicts chooses_start_method = true")
    oldest = kwargs.get("min_python")
    too_old = [p for p in kwargs.get("pythons", ()) if oldest and older(p, str(oldest))]
    if too_old:
        raise fail("pythons", f"names {', '.join(too_old)}, older than min_python {oldest}")
    return ExampleSettings(**kwargs)  # type: ignore[arg-type]


def _checked(key: str, value: object, folder: Path, fail) -> object:
    if key in ("alone", "chooses_start_method", "timeline"):
        if not isinstance(value, bool):
            raise fail(key, f"must be true or false, not {value!r}")
        return value
    if key == "exit_code":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 255:
            raise fail(key, f"must be a whole number from 0 to 255, not {value!r}")
        return value
    if key == "timeout":
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise fail(key, f"must be a positive number of seconds, not {value!r}")
        return float(value)
    if key == "output_limit":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise fail(key, f"must be a positive number of bytes, not {value!r}")
        return value
    if key == "min_python":
        versions = [p for p in PYTHONS if not p.endswith("t")]
        if value not in versions:
            raise fail(key, f"must be one of {', '.join(versions)}, not {value!r}")
        return value
    if key == "figure":
        if value not in FIGURES:
            raise fail(key, f"must be one of {', '.join(FIGURES)}, not {value!r}")
        return value
    items = _string_list(key, value, fail)
    if key == "start_methods":
        choices = ALL_START_METHODS
    elif key == "pythons":
        choices = PYTHONS
    elif key == "requires":
        for module in items:
            if not _MODULE.match(module):
                raise fail(key, f"names {module!r}, which is not a module name")
        return items
    else:  # depends_on
        for rel in items:
            if not (folder / rel).is_file():
                raise fail(key, f"names {rel!r}, which is not a file beside the example")
        return items
    for item in items:
        if item not in choices:
            raise fail(key, f"names {item!r}, which is not one of {', '.join(choices)}")
    if len(set(items)) != len(items):
        raise fail(key, "names the same one twice")
    return items


def _string_list(key: str, value: object, fail) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise fail(key, f"must be a non-empty list of strings, not {value!r}")
    return tuple(value)


def _display(path: Path, repo_root: Path) -> str:
    try:
        return path.resolve().relative_to(repo_root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _toml_position(message: str) -> tuple[str, int | None]:
    """tomllib says "... (at line 3, column 9)": keep the message, take the line out."""
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if not match:
        return message, None
    return f"{message[: match.start()]} (column {match[2]})", int(match[1])


def _line_of(text: str, entry: str, key: str | None = None) -> int:
    """The line of `["entry"]` in a settings file, or of `key = ...` inside that table."""
    lines = text.splitlines()
    header = re.compile(
        r"^\s*\[\s*(?:\"" + re.escape(entry) + r"\"|'" + re.escape(entry) + r"')\s*\]"
    )
    start = next((n for n, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        return 1
    if key is None:
        return start + 1
    assignment = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
    for n in range(start + 1, len(lines)):
        if lines[n].lstrip().startswith("["):
            break
        if assignment.match(lines[n]):
            return n + 1
    return start + 1


# ---------------------------------------------------------------------------------------
# Pages: which examples each shows, in order.

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_LANGUAGE = re.compile(r"^\{?\s*\.?(?P<lang>[\w-]+)")


@dataclass(frozen=True)
class Fence:
    language: str  # "example" or "example-report"
    body: str
    line: int  # 1-based line of the opening fence
    executed: bool  # exec="on" (or another true value) is there


EXAMPLE_FENCE = "example"
REPORT_FENCE = "example-report"


def fences_in(markdown: str) -> list[Fence]:
    """The example and report fences of a page, in order (fences inside others included)."""
    found: list[Fence] = []
    lines = markdown.splitlines()
    n = 0
    while n < len(lines):
        opening = _FENCE.match(lines[n])
        language = opening and _LANGUAGE.match(opening["info"])
        if not opening:
            n += 1
            continue
        ticks, indent = opening["ticks"], opening["indent"]
        end = n + 1
        while end < len(lines) and not re.match(
            rf"^{re.escape(indent)}{re.escape(ticks[0])}{{{len(ticks)},}}\s*$", lines[end]
        ):
            end += 1
        if language and language["lang"] in (EXAMPLE_FENCE, REPORT_FENCE):
            body = "\n".join(line.removeprefix(indent) for line in lines[n + 1 : end]).strip()
            executed = bool(
                re.search(r"\bexec\s*=\s*[\"']?(?!(?:no|off|false|0)\b)\w", opening["info"])
            )
            found.append(Fence(language["lang"], body, n + 1, executed))
        n = end + 1
    return found


def examples_in(markdown: str, page: str = "<page>") -> list[str]:
    """The example paths a page shows, in order; a malformed fence is a SettingsError."""
    paths = []
    for fence in fences_in(markdown):
        if not fence.executed:
            raise SettingsError(f'{page}:{fence.line}: an {fence.language} fence needs exec="on"')
        if fence.language == EXAMPLE_FENCE:
            if not re.fullmatch(r"[\w./-]+\.py", fence.body):
                raise SettingsError(
                    f"{page}:{fence.line}: an example fence holds one path, like "
                    f"examples/<topic>/ex01_name.py (found {fence.body!r})"
                )
            paths.append(fence.body)
    return paths


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
            rel_page = _display(page, repo_root)
            for example in examples_in(page.read_text(encoding="utf-8"), rel_page):
                pages = shown.setdefault(example, [])
                if rel_page not in pages:
                    pages.append(rel_page)
    return shown
