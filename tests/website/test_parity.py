"""Both languages: the same pages, the same anchors, the same examples, the right words."""

from __future__ import annotations

import re

import pytest
import yaml
from sites import REPO_ROOT

from example_engine.catalog import examples_in
from example_engine.htmlcheck import parse

DOCS = {lang: REPO_ROOT / "docs" / lang for lang in ("zh", "en")}
PAGES = sorted(p.relative_to(DOCS["zh"]).as_posix() for p in DOCS["zh"].rglob("*.md"))
HEADING_ID = re.compile(r'<h([1-6]) id="([^"]+)"')


def test_same_pages_in_both_languages():
    en = sorted(p.relative_to(DOCS["en"]).as_posix() for p in DOCS["en"].rglob("*.md"))
    assert en == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_same_examples_in_the_same_order(page):
    zh, en = ((DOCS[lang] / page).read_text(encoding="utf-8") for lang in ("zh", "en"))
    assert examples_in(zh) == examples_in(en)


@pytest.mark.parametrize("page", PAGES)
def test_every_heading_has_the_same_explicit_anchor(page):
    headings = {}
    for lang in ("zh", "en"):
        text = (DOCS[lang] / page).read_text(encoding="utf-8")
        text = re.sub(r"^(`{3,}|~{3,}).*?^\1", "", text, flags=re.S | re.M)  # skip code
        lines = [line for line in text.splitlines() if re.match(r"#{1,6} ", line)]
        missing = [line for line in lines if not re.search(r"\{ ?#[\w-]+ ?\}\s*$", line)]
        assert not missing, f"{lang}/{page}: headings without an explicit anchor: {missing}"
        headings[lang] = [re.search(r"#([\w-]+) ?\}\s*$", line)[1] for line in lines]
    assert headings["zh"] == headings["en"]


def test_built_pages_have_the_same_heading_ids(any_built):
    for page, zh_html, en_html in any_built.page_pairs():
        zh_ids = HEADING_ID.findall(zh_html)
        assert zh_ids, page
        assert zh_ids == HEADING_ID.findall(en_html), page
        assert parse(any_built.pages("zh")[page]).ids >= {i for _, i in zh_ids}


def test_every_page_is_in_the_nav():
    config = yaml.safe_load(
        "\n".join(
            line
            for line in (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
            if "!" not in line  # custom tags (!ENV, !relative) are not needed here
        )
    )
    nav = [next(iter(item.values())) if isinstance(item, dict) else item for item in config["nav"]]
    assert sorted(nav) == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_each_page_has_a_description(page):
    for lang in ("zh", "en"):
        text = (DOCS[lang] / page).read_text(encoding="utf-8")
        assert re.match(r"---\n(.*\n)*?description: \S.+\n(.*\n)*?---\n", text), f"{lang}/{page}"


@pytest.mark.parametrize("page", PAGES)
def test_python_docs_links_match_the_language(page):
    zh = (DOCS["zh"] / page).read_text(encoding="utf-8")
    en = (DOCS["en"] / page).read_text(encoding="utf-8")
    assert not re.findall(r"docs\.python\.org/3/", zh), f"zh/{page} links the English docs"
    assert not re.findall(r"docs\.python\.org/zh-cn/", en), f"en/{page} links the Chinese docs"


@pytest.mark.parametrize("page", [p for p in PAGES if p != "errata.md"])
def test_child_processes_are_never_called_threads(page):
    """The 2017 post called child processes 子线程: a page may quote that word (“子线程”),
    and the errata page quotes the post, but no page uses it."""
    text = (DOCS["zh"] / page).read_text(encoding="utf-8").replace("“子线程”", "")
    assert "子线程" not in text, f"zh/{page}: 子进程 is a child process; 子线程 is wrong here"
