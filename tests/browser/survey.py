"""Every page of both languages read once at desktop size, then at a phone's width, several
at a time.

Reading a page is mostly waiting (the server, the page's scripts, the renderer), so a
few Chromiums read the pages side by side, each in its own thread with its own
Playwright (Playwright objects belong to the thread that made them). What each reader
saw is kept as facts, and the per-page tests of test_reader.py assert on them: the
checks are the same as one test per page loading it, for a fraction of the time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from background import keep_sessions_niced
from browsing import (
    CHROMIUM_FLAGS,
    PHONE,
    READER_CHROMIUM,
    SCREENSHOTS,
    Site,
    missing_reader_browser,
    new_context,
    open_reader,
)

READERS = 3  # Chromiums reading side by side

# contrast(element): WCAG contrast ratio of its text colour on its first opaque background.
CONTRAST_JS = """
const rgb = s => s.match(/[\\d.]+/g).map(Number);
const lum = ([r, g, b]) => [r, g, b]
    .map(v => v / 255)
    .map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const background = e => {
    for (; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length < 4 || c[3] === 1) return c;
    }
    return [255, 255, 255];
};
const contrast = e => {
    const bg = background(e);
    const [r, g, b, a = 1] = rgb(getComputedStyle(e).color);
    const fg = [r, g, b].map((v, i) => v * a + bg[i] * (1 - a));
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
};
"""

FACTS_JS = (
    CONTRAST_JS
    + """() => {
    const shown = e => e.checkVisibility();
    // A footer link's target; "hidden" if it is there but not shown; null if absent.
    const link = sel => {
        const a = document.querySelector(sel);
        return a === null ? null : shown(a) ? a.href : "hidden";
    };
    return {
        lang: document.documentElement.getAttribute("lang"),
        title: document.title.trim(),
        h1: document.querySelectorAll("h1").length,
        description: document.querySelector('meta[name="description"]')?.content ?? null,
        commands: [...document.querySelectorAll(".example-stamp__run code")].map(c => ({
            text: c.innerText,
            shown: shown(c),
            size: parseFloat(getComputedStyle(c).fontSize),
            contrast: contrast(c),
        })),
        admonitions: [...document.querySelectorAll(".md-typeset .admonition > .admonition-title")]
            .map(t => shown(t) && t.innerText.trim()),
        prev: link("a.md-footer__link--prev"),
        next: link("a.md-footer__link--next"),
        switch: Object.fromEntries([...document.querySelectorAll("a.md-select__link[hreflang]")]
            .map(a => [a.getAttribute("hreflang"), a.href])),
    };
}"""
)
OVERFLOW_JS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


# The first paragraph of the article whose text mixes Chinese and Latin letters, with no
# code in it (code has a font of its own).
MIXED_PARAGRAPH_JS = """() => {
    const mixed = [...document.querySelectorAll("article p")]
        .filter(p => !p.querySelector("code, kbd, pre"))
        .find(p => /[\u4e00-\u9fff]/.test(p.textContent) && /[A-Za-z]/.test(p.textContent));
    if (!mixed) return false;
    mixed.setAttribute("data-survey-mixed", "");
    return true;
}"""


@dataclass
class PageFacts:
    desktop: dict[str, Any]  # FACTS_JS at desktop size
    overflow: int  # how much wider than a phone the page is, in CSS pixels
    problems: list[str] = field(default_factory=list)  # console errors, other hosts, ...
    # Chinese pages: the fonts that render a paragraph mixing Chinese and Latin letters
    # (family -> glyphs), as Chromium reports them; None where there is no such paragraph
    # (and on the English pages, where nothing reads it).
    mixed_text_fonts: dict[str, int] | None = None


def platform_fonts(page: Any) -> dict[str, int] | None:
    """The fonts (family -> glyphs) that render MIXED_PARAGRAPH_JS's paragraph: those the
    family list named and those found by fallback alike."""
    if not page.evaluate(MIXED_PARAGRAPH_JS):
        return None
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-survey-mixed]"})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    finally:
        cdp.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def screenshot(page: Any, size: str, lang: str, name: str) -> None:
    path = SCREENSHOTS / size / lang / f"{name}.jpeg"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), type="jpeg", quality=70)  # what a reader first sees


def _read(site: Site, pages: list[tuple[str, str]]) -> dict[tuple[str, str], PageFacts]:
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(READER_CHROMIUM), args=CHROMIUM_FLAGS
        )
        keep_sessions_niced()
        desktop = new_context(browser, "desktop")
        for lang, name in pages:
            reader = open_reader(desktop, site)
            reader.goto(site.page_url(lang, name))
            facts = reader.page.evaluate(FACTS_JS)
            screenshot(reader.page, "desktop", lang, name)
            fonts = platform_fonts(reader.page) if lang == "zh" else None
            # Then as wide as a phone: the same page laid out again at 375 CSS pixels
            # (what the stylesheet's media queries see on a phone), not loaded again.
            # The phone itself (touch, its drawer, its search) is test_reader.py's.
            reader.page.set_viewport_size(PHONE)
            overflow = reader.page.evaluate(OVERFLOW_JS)
            screenshot(reader.page, "phone", lang, name)
            reader.page.close()
            found[lang, name] = PageFacts(facts, overflow, reader.problems, fonts)
        browser.close()
    return found


def read_every_page(site: Site, langs: tuple[str, ...], names: list[str]) -> dict:
    """(lang, name) -> what a desktop and a phone reader saw on that page."""
    if problem := missing_reader_browser():
        raise FileNotFoundError(problem)
    pages = [(lang, name) for lang in langs for name in names]
    shares = [pages[i::READERS] for i in range(READERS)]
    with ThreadPoolExecutor(READERS) as pool:
        results = list(pool.map(lambda share: _read(site, share), shares))
    return {key: facts for result in results for key, facts in result.items()}
