"""The site as one real, fresh, strict build produces it (see conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
LANGS = {"zh": "", "en": "en"}
HTML_LANG = {"zh": "zh-Hans", "en": "en"}


@dataclass(frozen=True)
class Build:
    site: Path
    cache_dir: Path
    build_id: str
    output: str
    seconds: float
    builder: str

    def lang_root(self, lang: str) -> Path:
        return self.site / LANGS[lang] if LANGS[lang] else self.site

    def pages(self, lang: str) -> dict[str, Path]:
        """Page source path (e.g. "pools.md") -> its built HTML file."""
        docs = REPO_ROOT / "docs" / lang
        pages = {}
        for md in docs.rglob("*.md"):
            rel = md.relative_to(docs).with_suffix("")
            html = rel / "index.html" if rel.name != "index" else rel.with_suffix(".html")
            pages[md.relative_to(docs).as_posix()] = self.lang_root(lang) / html
        return pages

    def search_locations(self, lang: str) -> list[str]:
        """The page locations in this language's search index, as the builder wrote it."""
        root = self.lang_root(lang)
        if self.builder == "mkdocs":
            index = json.loads((root / "search" / "search_index.json").read_text())
            assert index["config"]["lang"] == [lang]
            return [doc["location"] for doc in index["docs"]]
        index = json.loads((root / "search.json").read_text())
        assert index["config"]["lang"] == [HTML_LANG[lang]]
        return [item["location"] for item in index["items"]]

    def page_pairs(self) -> list[tuple[str, str, str]]:
        """Each page with its built HTML in Chinese and in English."""
        en = self.pages("en")
        return [
            (page, zh.read_text(encoding="utf-8"), en[page].read_text(encoding="utf-8"))
            for page, zh in self.pages("zh").items()
        ]
