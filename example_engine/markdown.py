"""The page syntax: example fences that markdown-exec validates and the engine formats.

A page shows an example, and the report page every example, with a fence::

    ```example exec="on"
    examples/processes/ex01_start_join.py
    ```

    ```example-report exec="on"
    ```

Both are SuperFences custom fences (see mkdocs.yml): ``markdown_exec.validator`` reads
the fence's options with markdown-exec's conventions, and ``format_example`` /
``format_report`` here render Source / Output tabs holding the file and its real
output, a stamp, and the figures its settings ask for. The example never runs inside
the builder (markdown-exec's own formatters ``exec`` code in-process, where child
processes lose their output and spawn cannot import ``__main__``): the engine's store
runs it as its own OS process, once per build, and caches the result.

What belongs to the example (exit code, timeout, start methods, interpreters, figure,
timeline) is in its ``examples.toml``. The page may set only markdown-exec's ``id``
(names the block in messages and prefixes its HTML ids) and ``tabs`` (the titles of
the source and output tabs, ``tabs="Code|Printed"``).

The extension itself only carries the page's language (labels in zh or en) and, for
the links it writes, what the builder does with relative links in a page's HTML::

    markdown_extensions:
      example_engine:
        lang: zh
        links: url  # MkDocs (the default); the Zensical layer sets "source"
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from markdown import Extension, Markdown
from markdown_exec import MarkdownConverter, default_tabs

from example_engine.catalog import (
    REPORT_FENCE,
    Example,
    Variant,
    catalog,
    fences_in,
    page_title,
    pages_by_example,
)
from example_engine.interpreters import Unavailable
from example_engine.render import (
    ReportRow,
    Run,
    render_example,
    render_failure,
    render_report,
)
from example_engine.runner import RunResult
from example_engine.store import BUILD_ID_ENV, ResultStore

# A child of the "mkdocs" logger, so that `mkdocs build --strict` stops on it.
log = logging.getLogger("mkdocs.example_engine")

ENGINE_ROOT = Path(__file__).resolve().parent.parent
# markdown-exec options a page may set; the others would say something the engine
# does not do (run in a session, a work dir, HTML output) or that the example declares.
_PAGE_OPTIONS = {"id", "tabs"}
_DEFAULTS = {
    "id_prefix": None,
    "html": False,
    "source": "",
    "result": "",
    "returncode": 0,
    "session": "",
    "update_toc": True,
    "workdir": None,
    "width": 0,
}
_WHERE = {  # the markdown-exec option -> where that fact lives instead
    "returncode": "exit_code in the example's examples.toml",
    "idprefix": "the id option",
}


@dataclass
class PageEngine:
    """What the fences of one Markdown instance share: language, repository, store."""

    lang: str
    repo_root: Path
    links: str = "url"  # how the builder treats relative links in HTML: see _url
    store: ResultStore | None = None
    ids: dict[str, int] = field(default_factory=dict)  # HTML id prefixes used on this page

    def results(self) -> ResultStore:
        if self.store is None:
            self.store = ResultStore(self.repo_root)
        return self.store

    def id_prefix(self, wanted: str) -> str:
        """A prefix for the block's HTML ids, unique on the page."""
        base = re.sub(r"[^\w-]+", "-", wanted).strip("-").lower() or "example"
        count = self.ids.get(base, 0)
        self.ids[base] = count + 1
        return f"{base}-" if count == 0 else f"{base}-{count + 1}-"


def _engine(md: Markdown) -> PageEngine:
    engine = getattr(md, "example_engine", None)
    if engine is None:
        raise RuntimeError("example fences need the example_engine Markdown extension")
    return engine


def format_example(
    source: str, language: str, css_class: str, options: dict, md: Markdown, **kwargs: object
) -> str:
    """SuperFences formatter of ``example`` fences: the example's tabs, as HTML."""
    engine = _engine(md)
    path = source.strip()
    if problem := _page_option_problem(options):
        return _convert(md, engine, _problem_box(f"{path}: {problem}", engine.lang), path)
    example = catalog(engine.repo_root).example(path)
    build_id = os.environ.get(BUILD_ID_ENV)
    runs: list[Run] = []
    for variant in example.variants:
        obtained = engine.results().obtain(example, build_id, variant)
        if isinstance(obtained, Unavailable):
            runs.append((variant, obtained))
            continue
        if not obtained.result.ok:
            return _convert(md, engine, _failure(engine, example, variant, obtained.result), path)
        runs.append((variant, obtained.result))
    code = (engine.repo_root / example.path).read_text(encoding="utf-8")
    titles = options.get("tabs")
    stash = _Stash()
    lines = render_example(
        example,
        code,
        runs,
        engine.lang,
        stash,
        None if titles in (None, default_tabs) else tuple(titles),
    )
    return _convert(md, engine, lines, options.get("id") or Path(path).stem, stash)


def format_report(
    source: str, language: str, css_class: str, options: dict, md: Markdown, **kwargs: object
) -> str:
    """SuperFences formatter of the ``example-report`` fence: every example of this language."""
    engine = _engine(md)
    store = engine.results()
    build_id = os.environ.get(BUILD_ID_ENV)
    docs = engine.repo_root / "docs" / engine.lang
    known = catalog(engine.repo_root)
    here = _report_page(docs)
    rows = []
    for path, pages in sorted(pages_by_example([docs], engine.repo_root).items()):
        example = known.example(path)
        obtained = [store.obtain(example, build_id, v) for v in example.variants]
        results = [o.result for o in obtained if not isinstance(o, Unavailable)]
        made = [
            v
            for v, o in zip(example.variants, obtained, strict=True)
            if not isinstance(o, Unavailable)
        ]
        page = engine.repo_root / pages[0]
        link = f"[{page_title(page)}]({_url(here, page.relative_to(docs), engine.links)})"
        fresh = (
            bool(made) and build_id is not None and store.produced_by(example, made[0]) == build_id
        )
        rows.append(ReportRow(path, link, results, fresh))
    return _convert(md, engine, render_report(rows, engine.lang), "execution-report")


def _report_page(docs: Path) -> Path:
    """The page (relative to `docs`) that holds the report fence."""
    for page in sorted(docs.rglob("*.md")):
        if any(f.language == REPORT_FENCE for f in fences_in(page.read_text(encoding="utf-8"))):
            return page.relative_to(docs)
    return Path("index.md")


def _url(here: Path, page: Path, links: str = "url") -> str:
    """The link from one page to another, as the builder needs it in the block's HTML.

    MkDocs does not rewrite links in a block's own HTML, so with ``links: url`` they are
    written as the built site needs them (directory URLs): "pools.md" seen from
    "report.md" is "../pools/". Zensical rewrites every relative link of a page's HTML
    as a path from the page's source file, so with ``links: source`` it is "pools.md".
    """
    if links == "source":
        return PurePosixPath(os.path.relpath(page, here.parent)).as_posix()

    def folder(p: Path) -> PurePosixPath:
        parts = PurePosixPath(p.as_posix()).with_suffix("")
        return parts.parent if parts.name == "index" else parts

    target, origin = folder(page), folder(here)
    up = len(origin.parts)
    return "../" * up + (f"{target.as_posix()}/" if target.parts else "") or "./"


def _page_option_problem(options: dict) -> str | None:
    extra = options.get("extra", {})
    for name in extra:
        return f'the option {name}="{extra[name]}" is not one an example fence takes (id, tabs)'
    for name, default in _DEFAULTS.items():
        if options.get(name, default) != default:
            where = _WHERE.get(
                name, f"not for example fences (they take {', '.join(sorted(_PAGE_OPTIONS))})"
            )
            return f"the option {name} is {where}"
    return None


def _failure(
    engine: PageEngine, example: Example, variant: Variant, result: RunResult
) -> list[str]:
    docs = [engine.repo_root / "docs" / lang for lang in ("zh", "en")]
    pages = pages_by_example(docs, engine.repo_root).get(example.path, [])
    log.warning(
        "example %s (shown on %s): %s\n%s",
        example.run_name(variant),
        ", ".join(pages) or "no page",
        result.problem(),
        result.excerpt(),
    )
    return render_failure(result, pages, engine.lang)


def _problem_box(message: str, lang: str) -> list[str]:
    log.warning("example fence: %s", message)
    title = "示例写法有误" if lang == "zh" else "This example fence is wrong"
    return [f'!!! failure example-problem "{title}"', "", f"    {message}", ""]


class _Stash:
    """Raw HTML kept out of the Markdown conversion: a token on its own line stands for it."""

    def __init__(self) -> None:
        self.html: dict[str, str] = {}
        self._prefix = "examplestash" + uuid.uuid4().hex[:12]

    def __call__(self, raw: str) -> str:
        token = f"{self._prefix}x{len(self.html)}"
        self.html[token] = raw
        return token

    def restore(self, converted: str) -> str:
        for token, raw in self.html.items():
            converted = converted.replace(f"<p>{token}</p>", raw).replace(token, raw)
        return converted


def _convert(
    md: Markdown, engine: PageEngine, lines: list[str], name: str, stash: _Stash | None = None
) -> str:
    """The block's Markdown as HTML, with the page's extensions and its own HTML ids."""
    converter = MarkdownConverter(md, update_toc=False)
    html = str(converter.convert("\n".join(lines), id_prefix=engine.id_prefix(name)))
    return _without_plain_tokens(stash.restore(html) if stash else html)


# Pygments wraps every name (class "n") and every run of whitespace ("w") in a span of its
# own, yet the theme gives names the code's own colour (--md-code-hl-name-color is
# --md-code-fg-color, light and dark) and whitespace no style: about a fifth of a code
# page's elements, each styled and laid out by the reader's browser for nothing.
_PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')


def _without_plain_tokens(html: str) -> str:
    return _PLAIN_TOKEN.sub(r"\1", html)


class ExampleExtension(Extension):
    def __init__(self, **kwargs: object) -> None:
        self.config = {
            "lang": ["zh", "Language of the labels: zh or en"],
            "repo_root": ["", "Folder that holds examples/ and docs/ (default: this checkout)"],
            "links": ["url", "Relative links in HTML: url (MkDocs) or source (Zensical)"],
        }
        super().__init__(**kwargs)
        root = str(self.getConfig("repo_root")) or _default_root()
        links = str(self.getConfig("links"))
        if links not in ("url", "source"):
            raise ValueError(f"example_engine: links is url or source, not {links!r}")
        self.engine = PageEngine(str(self.getConfig("lang")), Path(root).resolve(), links)

    def extendMarkdown(self, md: Markdown) -> None:
        # markdown-exec's inner converters register this instance again: same engine.
        md.example_engine = self.engine  # type: ignore[attr-defined]
        md.registerExtension(self)

    def reset(self) -> None:
        self.engine.ids.clear()  # a new page: ids may be used again


def _default_root() -> str:
    """The checkout the engine lives in, else the folder the builder runs in."""
    return str(ENGINE_ROOT if (ENGINE_ROOT / "examples").is_dir() else Path.cwd())


def makeExtension(**kwargs: object) -> ExampleExtension:
    return ExampleExtension(**kwargs)
