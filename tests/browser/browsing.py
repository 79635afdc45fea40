"""What the browser tests share: the pages, their URLs, the sizes, the browser's flags."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
PREFIX = {"zh": "", "en": "en/"}
SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
PHONE_OPTIONS = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def page_names() -> list[str]:
    """Every page, by its path without .md ("index", "processes", ...), as in docs/zh."""
    return sorted(p.stem for p in (REPO_ROOT / "docs" / "zh").glob("*.md"))


def page_path(name: str) -> str:
    """The page's URL path under its language root: "" for the home page."""
    return "" if name == "index" else f"{name}/"


def front_matter(lang: str, name: str) -> dict[str, str]:
    text = (REPO_ROOT / "docs" / lang / f"{name}.md").read_text(encoding="utf-8")
    block = re.match(r"---\n(.*?)\n---\n", text, re.S)
    pairs = re.findall(r"^(\w+):\s*(.+)$", block[1], re.M) if block else []
    return {key: value.strip().strip("'\"") for key, value in pairs}


@dataclass
class Site:
    root: Path
    url: str
    builder: str

    def page_url(self, lang: str, name: str) -> str:
        return f"{self.url}{PREFIX[lang]}{page_path(name)}"


def nav_order() -> list[str]:
    """The page names in the order of mkdocs.yml's nav (its previous/next order)."""
    text = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.search(r"^nav:\n((?:  .*\n?)+)", text, re.M)
    return re.findall(r"^  - (?:[^:\n]*: )?([\w-]+)\.md$", nav[1], re.M) if nav else []
