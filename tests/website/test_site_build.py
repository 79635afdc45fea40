"""The real site: a strict fresh build, each example run once, the same output in both languages."""

from __future__ import annotations

import html
import json
import re

from sites import REPO_ROOT

from example_engine.build import runs_of
from example_engine.catalog import catalog, examples_in, pages_by_example
from example_engine.interpreters import Unavailable, resolve
from example_engine.render import unavailable_text
from example_engine.store import Obtained, ResultStore
from example_engine.timeline import build_timeline, render_svg

CODE_BLOCK = re.compile(r'<div class="tabbed-block">\s*<div class="highlight">(.*?)</div>', re.S)


def unavailable(example, variant) -> bool:
    return isinstance(resolve(example, variant), Unavailable)


def shown_examples() -> dict[str, list[str]]:
    return pages_by_example([REPO_ROOT / "docs" / "zh", REPO_ROOT / "docs" / "en"], REPO_ROOT)


def test_every_example_ran_exactly_once_in_the_build(built):
    """Once per example, or once per variant (interpreter, start method) shown side by
    side; never for a variant this machine cannot run."""
    executions = ResultStore(REPO_ROOT, built.cache_dir).executions(built.build_id)
    runs = runs_of(sorted(shown_examples()), REPO_ROOT)
    assert runs, "no page shows an example"
    possible = [(e, v) for e, v in runs if not unavailable(e, v)]
    assert executions == {example.run_name(variant): 1 for example, variant in possible}


def test_both_languages_show_the_very_same_output(any_built):
    shown = 0
    for page, zh_html, en_html in any_built.page_pairs():
        assert CODE_BLOCK.findall(zh_html) == CODE_BLOCK.findall(en_html), page
        shown += len(CODE_BLOCK.findall(zh_html))
    assert shown >= len(shown_examples())


def test_output_tab_holds_the_real_output(built):
    store = ResultStore(REPO_ROOT, built.cache_dir)
    shown = shown_examples()
    for example, variant in runs_of(sorted(shown), REPO_ROOT):
        obtained = store.obtain(example, built.build_id, variant)
        for page in shown[example.path]:
            lang, name = page.split("/")[1:3]
            text = html.unescape(re.sub(r"<[^>]+>", "", built.pages(lang)[name].read_text()))
            assert f"python {example.path}" in text, (page, example)
            if isinstance(obtained, Unavailable):  # said so, never faked
                assert unavailable_text(obtained, lang) in text, (page, example, variant)
                continue
            assert isinstance(obtained, Obtained) and obtained.cached, (
                f"{example.run_name(variant)} was not run by the build"
            )
            output = obtained.result.output
            first_line = output.splitlines()[0] if output else ""
            assert first_line in text, (page, example)


PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S)


def test_source_tab_holds_the_example_file_in_light_markup(built):
    """Each example's source tab shows the file exactly, and without the spans that the
    theme does not style (names and whitespace: markdown.py, _without_plain_tokens)."""
    code_on: dict[str, list[str]] = {}  # page -> the text of each code block on it
    for path, pages in shown_examples().items():
        source = (REPO_ROOT / path).read_text(encoding="utf-8").strip("\n")
        for page in pages:
            if page not in code_on:
                lang, name = page.split("/")[1:3]
                page_html = built.pages(lang)[name].read_text(encoding="utf-8")
                assert '<span class="n">' not in page_html, page
                assert '<span class="w">' not in page_html, page
                assert '<span class="k">' in page_html, page  # still highlighted
                code = [html.unescape(re.sub(r"<[^>]+>", "", b)) for b in PRE.findall(page_html)]
                code_on[page] = [text.strip("\n") for text in code]
            assert source in code_on[page], (page, path)


def test_each_language_has_its_own_search_index(any_built):
    for lang, other in (("zh", "en/"), ("en", None)):
        locations = any_built.search_locations(lang)
        names = [page.removesuffix(".md") for page in any_built.pages(lang)]
        pages = {"" if name == "index" else f"{name}/" for name in names}
        assert {loc.split("#")[0] for loc in locations} == pages
        if other:
            assert not [loc for loc in locations if loc.startswith(other)]


def test_mkdocs_chinese_index_is_segmented_so_words_are_found(built_by):
    """Material's search needs jieba's segmentation to find a Chinese word (Zensical's
    matches inside Chinese text without it: tests/browser/test_reader.py searches both)."""
    index = json.loads((built_by("mkdocs").site / "search" / "search_index.json").read_text())
    text = " ".join(doc["text"] + " " + doc["title"] for doc in index["docs"])
    # jieba splits runs of Chinese into words that the search can match on their own.
    assert re.search(r"(^|[\s\u200b])进程([\s\u200b]|$)", text), "进程 is not a separate token"


def test_html_lang_and_pages_per_language(any_built):
    for lang, expected in (("zh", 'lang="zh-Hans"'), ("en", 'lang="en"')):
        for page in any_built.pages(lang).values():
            assert expected in page.read_text(encoding="utf-8")[:300], page


def test_every_promised_figure_is_drawn(built):
    """A timeline or benchmark figure for each run of each example that asks for one."""
    for lang in ("zh", "en"):
        for page, html_file in built.pages(lang).items():
            text = (REPO_ROOT / "docs" / lang / page).read_text(encoding="utf-8")
            promised = 0
            for path in examples_in(text):
                example = catalog(REPO_ROOT).example(path)
                made = [v for v in example.variants if not unavailable(example, v)]
                # A timeline under each run; one benchmark from all runs, side by side.
                promised += int(example.settings.timeline) * len(made)
                promised += int(example.settings.figure is not None and bool(made))
            figures = re.findall(
                r'<figure class="example-figure[^"]*"><svg[^>]*role="img"',
                html_file.read_text(encoding="utf-8"),
            )
            assert len(figures) == promised, f"{lang}/{page}"


def test_another_build_draws_a_different_timeline(built):
    """Timelines are measured, not drawn by hand: a new run gives a new figure."""
    example = catalog(REPO_ROOT).example("examples/pools/ex08_max_concurrency.py")
    assert example.settings.timeline
    page = built.pages("en")["pools.md"].read_text(encoding="utf-8")
    store = ResultStore(REPO_ROOT, built.cache_dir)
    again = store.obtain(example, build_id="another-build")
    assert not again.cached and again.result.trace
    svg = render_svg(build_timeline(again.result.trace), "en")
    assert 'class="example-figure example-timeline"' in page
    assert svg not in page
