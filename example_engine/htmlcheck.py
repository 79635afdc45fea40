"""A small checker over the built HTML: broken links, missing anchors, foreign requests.

The build driver runs it on every assembled site, whichever builder made it: a broken
link or anchor fails a Zensical build exactly as it fails a MkDocs one (where `mkdocs
build --strict` stops first on most of them), and links that the builders do not check
(those in the HTML that the example engine writes, the theme's, the language switch
between the two separately built languages) are checked too."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Tags and attributes that make the browser fetch something (not plain <a> links).
RESOURCE_ATTRS = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
}
RESOURCE_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}
# The class of the box the example engine shows instead of an example that failed or a
# fence it cannot read (example_engine/render.py): a preview shows it, a build must not.
PROBLEM_CLASS = "example-problem"
CSS_URL = re.compile(r"""url\(\s*['"]?(https?:)?//|@import\s+['"]?(https?:)?//""")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.lang = ""  # <html lang>
        self.canonical = ""  # <link rel="canonical" href>
        self.engine_problems: list[str] = []  # the text of each box where the engine says
        # an example failed or its fence is wrong
        self._inside_problem = 0  # <div> depth inside such a box

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "div" and self._inside_problem:
            self._inside_problem += 1
        elif tag == "div" and PROBLEM_CLASS in a.get("class", "").split():
            self._inside_problem = 1
            self.engine_problems.append("")
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href", "")
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "link" and set(a.get("rel", "").split()) & RESOURCE_LINK_RELS:
            self.resources.append(a.get("href", ""))
        elif tag in RESOURCE_ATTRS and a.get(RESOURCE_ATTRS[tag]):
            self.resources.append(a[RESOURCE_ATTRS[tag]])

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._inside_problem:
            self._inside_problem -= 1

    def handle_data(self, data: str) -> None:
        if self._inside_problem:
            self.engine_problems[-1] = " ".join(f"{self.engine_problems[-1]} {data}".split())


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def target_file(site: Path, page: Path, href: str) -> Path:
    path = unquote(urlsplit(href).path)
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve() if path else page
    return target / "index.html" if target.is_dir() else target


def parse_site(site: Path) -> dict[Path, Page]:
    """Every page of the site, parsed: by its resolved path."""
    return {p: parse(p) for p in site.resolve().rglob("*.html")}


def check_site(site: Path, pages: dict[Path, Page] | None = None) -> list[str]:
    """Every problem found, as 'page: message' lines (`pages`: parse_site(site), if made)."""
    site = site.resolve()
    pages = parse_site(site) if pages is None else pages
    problems: list[str] = []
    for path, page in pages.items():
        where = path.relative_to(site).as_posix()
        for problem in page.engine_problems:
            problems.append(f"{where}: {problem}")
        for res in page.resources:
            if urlsplit(res).scheme or res.startswith("//"):
                problems.append(f"{where}: loads {res} from another host")
            elif not target_file(site, path, res).is_file():
                problems.append(f"{where}: missing resource {res}")
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue  # links out of the site are the reader's choice, not a load
            target = target_file(site, path, href)
            if not target.exists():
                problems.append(f"{where}: broken link {href}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if fragment not in ids:
                    problems.append(f"{where}: missing anchor {href}")
    for css in site.rglob("*.css"):
        if CSS_URL.search(css.read_text(encoding="utf-8")):
            problems.append(f"{css.relative_to(site)}: CSS loads from another host")
    return problems
