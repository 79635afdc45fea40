"""What a reader does, in both languages, in a real Chromium: open every page, switch
language, search, read an example, copy it, change the colour scheme, use a phone."""

from __future__ import annotations

import re
import shutil
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from background import LATER_NICE, job
from browsing import (
    HTML_LANG,
    LANGS,
    PHONE,
    REPO_ROOT,
    SCREENSHOTS,
    Reader,
    front_matter,
    nav_order,
    open_reader,
    page_names,
    page_path,
)
from sites import Sites
from survey import read_every_page

from example_engine.builders import BUILDERS, DEFAULT_BUILDER
from example_engine.catalog import examples_in

pytestmark = pytest.mark.browser

PAGES = page_names()
OTHER = {"zh": "en", "en": "zh"}
SEARCHES = [
    ("zh", "进程", "processes"),
    ("zh", "线程", "threads"),
    ("zh", "锁", "locks"),
    ("zh", "进程池", "pools"),
    ("en", "process", "processes"),
    ("en", "lock", "locks"),
    ("en", "pool", "pools"),
]
EXAMPLE_PAGE = "processes"  # its first example is the one the tab and copy tests read


def example_count(lang: str, name: str) -> int:
    return len(examples_in((REPO_ROOT / "docs" / lang / f"{name}.md").read_text(encoding="utf-8")))


def admonition_count(lang: str, name: str) -> int:
    text = (REPO_ROOT / "docs" / lang / f"{name}.md").read_text(encoding="utf-8")
    return len(re.findall(r"^ *!!! \w+", text, re.M))


@job("page_facts", nice=LATER_NICE)
def read_the_site(sites: Sites) -> dict:
    """Every page of both languages, read once at desktop and phone size (survey.py);
    screenshots in test-results/screenshots/{desktop,phone}/{zh,en}/<page>.jpeg."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    return read_every_page(sites.get(DEFAULT_BUILDER), LANGS, PAGES)


@pytest.fixture(scope="session")
def page_facts(background) -> dict:
    return background.result("page_facts")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_page_loads_cleanly(site, page_facts, lang, name):
    """No console error, no request to another host, the right lang and description, a
    readable run command under every example, previous/next links in the nav's order,
    no wider than a phone."""
    facts = page_facts[lang, name]
    seen = facts.desktop
    assert seen["lang"] == HTML_LANG[lang]
    assert seen["title"]
    assert seen["h1"] == 1
    assert seen["description"] == front_matter(lang, name).get("description"), (
        "the page's `description:` front matter is its <meta name=description>"
    )

    # Under every example, the command to run it yourself: shown, readable, and real.
    commands = seen["commands"]
    assert len(commands) == example_count(lang, name)
    for command in commands:
        text = command["text"]
        assert re.fullmatch(r"python examples/[\w/]+\.py", text), text
        assert (REPO_ROOT / text.removeprefix("python ")).is_file(), text
        assert command["shown"], f"{text} is hidden"
        assert command["size"] >= 12, f"{text}: {command['size']}px is too small to read"
        assert command["contrast"] >= 4.5, f"{text}: contrast {command['contrast']:.2f}:1"

    # Admonitions (the pitfalls are warnings): each one rendered, with its title shown.
    assert len(seen["admonitions"]) == admonition_count(lang, name)
    assert all(seen["admonitions"]), seen["admonitions"]

    # Previous / next, in the order of the nav.
    order = nav_order()
    assert name in order, f"{name} is not in mkdocs.yml's nav"
    i = order.index(name)
    neighbours = {"prev": order[i - 1] if i else None, "next": order[i + 1 : i + 2] or None}
    neighbours["next"] = neighbours["next"] and neighbours["next"][0]
    for direction, neighbour in neighbours.items():
        expected = neighbour and site.page_url(lang, neighbour)
        assert seen[direction] == expected, f"{direction} on {name}"

    assert facts.overflow <= 0, f"the page is {facts.overflow}px wider than a phone"
    assert not facts.problems, "\n".join(facts.problems)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_language_switch_points_at_the_same_page(site, page_facts, lang, name):
    """On every page the switch leads to this very page in the other language (the
    script sets it; test_language_switch_keeps_the_page follows it for real)."""
    switch = page_facts[lang, name].desktop["switch"]
    assert switch == {
        HTML_LANG[lang]: site.page_url(lang, name),
        HTML_LANG[OTHER[lang]]: site.page_url(OTHER[lang], name),
    }


def test_chinese_text_takes_one_font_from_the_list(page_facts):
    """On the Chinese pages, a paragraph mixing Chinese and Latin letters is drawn in one
    font, a CJK one from the stylesheet's list, not in a Latin UI font with the Chinese
    found by fallback (on Linux that doubled the layout time of a long page:
    docs/theme/assets/stylesheets/site.css)."""
    measured = {name: fonts for name in PAGES if (fonts := page_facts["zh", name].mixed_text_fonts)}
    assert len(measured) >= len(PAGES) // 2, f"too few pages with such a paragraph: {measured}"
    assert all(len(fonts) == 1 for fonts in measured.values()), measured


def switch_language(reader, to: str) -> None:
    page = reader.page
    page.locator(".md-select").hover()
    link = page.locator(f'a.md-select__link[hreflang="{HTML_LANG[to]}"]')
    with page.expect_navigation(wait_until="load"):
        link.click()


# On each builder, one page of each kind is switched for real, there and back (the
# switch is the same script on every page, and every page's links are checked above).
SWITCHED = [
    pytest.param(builder, name, id=f"{builder}-{name}")
    for builder in BUILDERS
    for name in ("index", "processes", "report")
]


@pytest.mark.parametrize(("site", "name"), SWITCHED, indirect=["site"])
def test_language_switch_keeps_the_page(tab, name):
    """zh -> en -> zh on every page: each switch lands on the same page."""
    site, page = tab.site, tab.page
    tab.goto(site.page_url("zh", name))
    switch_language(tab, "en")
    assert page.url == site.page_url("en", name)
    assert page.locator("html").get_attribute("lang") == "en"
    switch_language(tab, "zh")
    assert page.url == site.page_url("zh", name)
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    tab.assert_clean()


# Material's search box and results; Zensical's search is a dialog of its own (in a shadow
# root, which Playwright's CSS locators enter), opened by the header's search button.
SEARCH_UI = {
    "mkdocs": {
        "open": ".md-search__input",
        "open_phone": 'label.md-header__button[for="__search"]',
        "input": "input.md-search__input",
        "results": ".md-search-result__item > a",
        "status": ".md-search-result__meta",
    },
    "zensical": {
        "open": "button.md-search__button",
        "open_phone": 'label.md-header__button[for="__search"]',
        "input": 'dialog[open] input[role="combobox"]',
        "results": 'dialog[open] ol[role="listbox"] > li > a',
        "status": 'dialog[open] [role="status"]',
    },
}


def search_results(page, builder: str, query: str) -> list[str]:
    ui = SEARCH_UI[builder]
    # Results of an earlier query in the same box are marked, and must all be replaced:
    # never read as this query's.
    page.locator(ui["results"]).evaluate_all("links => links.forEach(a => a.dataset.stale = 1)")
    field = page.locator(ui["input"])
    field.fill(query)
    field.press("End")
    page.locator(f"{ui['results']}:not([data-stale])").first.wait_for(state="visible")
    page.locator(f"{ui['results']}[data-stale]").first.wait_for(state="detached")
    # The result count is shown, for this very query.
    page.wait_for_function(
        "([status, field, q]) => status.textContent.trim() !== '' && field.value === q",
        arg=[page.locator(ui["status"]).element_handle(), field.element_handle(), query],
    )
    # Without the fragment and the ?h= highlight query: the pages found.
    return page.locator(ui["results"]).evaluate_all(
        "links => links.map(a => a.origin + a.pathname)"
    )


@pytest.fixture(scope="session")
def search_boxes(browsing_contexts) -> Iterator[dict]:
    """(builder, lang) -> a tab on that home page with its search open, kept for every
    query in that language: a reader searching again, without loading the page again."""
    boxes: dict[tuple[str, str], Reader] = {}
    yield boxes
    for box in boxes.values():
        box.page.close()


@pytest.fixture
def search_box(search_boxes, browsing_contexts, site, lang) -> Reader:
    if (site.builder, lang) not in search_boxes:
        box = open_reader(browsing_contexts["desktop"], site)
        box.goto(site.page_url(lang, "index"))
        box.page.locator(SEARCH_UI[site.builder]["open"]).click()
        search_boxes[site.builder, lang] = box
    return search_boxes[site.builder, lang]


@pytest.mark.parametrize("site", BUILDERS, indirect=True)
@pytest.mark.parametrize(("lang", "query", "teacher"), SEARCHES)
def test_search_stays_in_its_language(search_box, lang, query, teacher):
    """Only pages of the reader's language, and among them the one that teaches it."""
    site, tab = search_box.site, search_box
    found = search_results(tab.page, site.builder, query)
    assert found
    other_root = site.url + "en/" if lang == "zh" else site.url
    for href in found:
        if lang == "zh":
            assert not href.startswith(other_root), f"{query!r} on a zh page found {href}"
        else:
            assert href.startswith(other_root), f"{query!r} on an en page found {href}"
    assert site.page_url(lang, teacher) in found, f"{query!r} did not find {teacher}: {found}"
    tab.assert_clean()


@pytest.mark.parametrize("site", BUILDERS, indirect=True)
def test_the_search_index_is_built_only_when_the_reader_searches(tab):
    """The bundles start the search worker at every page load, to build the whole site's
    index; lazy-search.js holds it back until the reader goes to search, and it must then
    find what it always found."""
    site, page = tab.site, tab.page
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    tab.goto(site.page_url("zh", "locks"))
    page.wait_for_load_state("networkidle")  # the bundle has set its search up by now
    assert workers == [], "the search worker started before the reader searched"
    page.locator(SEARCH_UI[site.builder]["open"]).click()
    found = search_results(page, site.builder, "进程池")
    assert site.page_url("zh", "pools") in found
    assert len(workers) == 1 and "/workers/search." in workers[0], workers
    tab.assert_clean()


@pytest.mark.parametrize("site", BUILDERS, indirect=True)
@pytest.mark.parametrize("lang", LANGS)
def test_example_tabs_and_copy(tab, lang):
    """Source and Output tabs switch; the copy button copies the example's exact source."""
    reader = tab
    site, page = reader.site, reader.page
    reader.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    reader.goto(site.page_url(lang, EXAMPLE_PAGE))
    tabs = page.locator(".tabbed-set").first
    source_label, output_label = tabs.locator(".tabbed-labels > label").all()
    source_block, output_block = tabs.locator(".tabbed-block").all()
    path = source_block.locator(".filename").inner_text()
    assert source_block.is_visible() and not output_block.is_visible()

    output_label.click()
    assert output_block.is_visible() and not source_block.is_visible()
    assert output_block.locator("code").inner_text().strip()

    source_label.click()
    assert source_block.is_visible() and not output_block.is_visible()
    source_block.hover()
    source_block.locator("button.md-code__button[data-clipboard-target]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    expected = (REPO_ROOT / path).read_text(encoding="utf-8")
    assert copied.rstrip("\n") == expected.rstrip("\n")
    reader.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_light_dark_toggle(reader, lang):
    site, page = reader.site, reader.page
    reader.goto(site.page_url(lang, "index"))
    body = page.locator("body")
    background = "getComputedStyle(document.body).backgroundColor"
    assert body.get_attribute("data-md-color-scheme") == "default"
    light = page.evaluate(background)
    page.locator('label[for="__palette_1"]').click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    dark = page.evaluate(background)
    assert dark != light
    page.reload(wait_until="load")  # the choice is remembered
    assert body.get_attribute("data-md-color-scheme") == "slate"
    page.locator('label[for="__palette_0"]').click()
    assert body.get_attribute("data-md-color-scheme") == "default"
    reader.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_phone_drawer_and_search(phone_reader, lang):
    site, page = phone_reader.site, phone_reader.page
    phone_reader.goto(site.page_url(lang, "index"))
    assert page.viewport_size == PHONE

    drawer = page.locator("nav.md-nav--primary")
    assert not drawer.is_visible() or drawer.bounding_box()["x"] < 0
    page.locator('label.md-header__button[for="__drawer"]').click()
    link = drawer.locator(f'a.md-nav__link[href$="{page_path("locks")}"]').first
    link.wait_for(state="visible")
    with page.expect_navigation(wait_until="load"):
        link.click()
    assert page.url == site.page_url(lang, "locks")

    page.locator(SEARCH_UI[site.builder]["open_phone"]).click()
    query = "锁" if lang == "zh" else "lock"
    found = search_results(page, site.builder, query)
    assert site.page_url(lang, "locks") in found
    with page.expect_navigation(wait_until="load"):
        page.locator(SEARCH_UI[site.builder]["results"]).first.click()
    assert page.url.split("?")[0].split("#")[0] == found[0]
    phone_reader.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_not_found_page(tab, lang):
    reader = tab
    site, page = reader.site, reader.page
    reader.goto(f"{site.url}{'en/' if lang == 'en' else ''}404.html")
    assert page.locator("html").get_attribute("lang") == HTML_LANG[lang]
    assert "404" in page.locator("h1").inner_text()
    reader.assert_clean()

    # A missing page answers 404 with the site's own page (GitHub Pages serves /404.html).
    reader.problems.clear()
    reader.goto(f"{site.url}{'en/' if lang == 'en' else ''}no-such-page/", status=404)
    assert "404" in page.locator("h1").inner_text()
    assert [p for p in reader.problems if "no-such-page" not in p] == []


def test_a_request_to_another_host_is_caught_and_goes_nowhere(tab):
    """What every browser test relies on: a page loading anything from another host is a
    problem, and the browser cannot reach that host."""
    tab.goto(tab.site.page_url("en", "index"))
    assert tab.problems == []
    # The test server itself under another name: reachable but for the browser's rules.
    elsewhere = tab.site.url.replace("127.0.0.1", "localhost") + "en/"
    outcome = tab.page.evaluate(
        "url => fetch(url, {mode: 'no-cors'}).then(() => 'reached', () => 'failed')", elsewhere
    )
    assert outcome == "failed"
    assert f"request to another host: {elsewhere}" in tab.problems
    assert any("ERR_NAME_NOT_RESOLVED" in p for p in tab.problems), tab.problems


@pytest.mark.parametrize("site", BUILDERS, indirect=True)
@pytest.mark.parametrize("lang", LANGS)
def test_sitemap_lists_every_page_with_its_other_language(site, lang):
    url = f"{site.url}{'en/' if lang == 'en' else ''}sitemap.xml"
    with urllib.request.urlopen(url) as response:
        tree = ET.fromstring(response.read())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {}
    for entry in tree.findall("s:url", ns):
        links = {
            link.get("hreflang"): link.get("href")
            for link in entry.findall("x:link[@rel='alternate']", ns)
        }
        entries[entry.findtext("s:loc", namespaces=ns)] = links
    expected = {site.page_url(lang, name) for name in PAGES}
    assert set(entries) == expected
    for loc, links in entries.items():
        name = loc.removeprefix(site.page_url(lang, "index")).strip("/") or "index"
        assert links == {
            HTML_LANG[lang]: loc,
            HTML_LANG[OTHER[lang]]: site.page_url(OTHER[lang], name),
        }
        for href in links.values():
            with urllib.request.urlopen(href) as response:
                assert response.status == 200, href
