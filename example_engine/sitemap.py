"""sitemap.xml for each language, with every page's hreflang alternates.

The driver writes it after assembling the site, the same for both builders (replacing
the plain sitemap each builder writes). It is where the site declares its languages to
search engines: the pages' <head> has no hreflang links (docs/theme/main.html says why).
Each page is listed by its canonical URL (the builder writes it from site_url), with the
same page in every language (both languages have the same page paths) by that page's
canonical URL and its <html lang>.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from example_engine.htmlcheck import Page

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def _pages(root: Path, others: list[Path], parsed: dict[Path, Page]) -> dict[str, tuple[str, str]]:
    """page path under its language root -> (canonical URL, html lang)."""
    pages = {}
    for html in sorted(root.rglob("*.html")):
        if any(html.is_relative_to(other) for other in others) or html.name == "404.html":
            continue
        page = parsed[html.resolve()]
        if page.canonical:
            pages[html.relative_to(root).as_posix()] = (page.canonical, page.lang)
    return pages


def write_sitemaps(roots: list[Path], parsed: dict[Path, Page]) -> None:
    """One sitemap.xml in each language root (roots nest: zh at site/, en at site/en/);
    `parsed`: every page of the site, as htmlcheck.parse_site() read them."""
    found = {
        root: _pages(root, [r for r in roots if r != root and r.is_relative_to(root)], parsed)
        for root in roots
    }
    for root, pages in found.items():
        lines = [HEADER]
        for path, (url, _) in pages.items():
            lines.append(f"  <url>\n    <loc>{_text(url)}</loc>\n")
            for other in roots:
                if path in found[other]:
                    href, lang = found[other][path]
                    lines.append(
                        f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)}'
                        f" href={quoteattr(href)}/>\n"
                    )
            lines.append("  </url>\n")
        lines.append("</urlset>\n")
        (root / "sitemap.xml").write_text("".join(lines), encoding="utf-8")
        # MkDocs also writes a gzipped copy of its own sitemap: it would still lack the
        # alternates, and nothing refers to it.
        (root / "sitemap.xml.gz").unlink(missing_ok=True)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
