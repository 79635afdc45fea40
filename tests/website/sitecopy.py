"""A small copy of the project in a temporary folder: the engine, the theme and both
configs as they are, with pages and examples of the test's own. Building or serving it
runs the real driver and builders (the copy's engine is imported, through PYTHONPATH,
so everything is resolved inside the copy) without touching the real pages or examples."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from sites import REPO_ROOT

from example_engine.runner import environ_copy


def make_copy(root: Path, pages: dict[str, str], examples: dict[str, str]) -> dict[str, str]:
    """Write the copy in `root`; return the environment that runs the driver on it.

    `pages` maps a page (e.g. "index.md") to its Markdown, the same in both languages;
    `examples` maps a path under the copy (e.g. "examples/t/ex01_x.py") to its source."""
    shutil.copytree(REPO_ROOT / "example_engine", root / "example_engine")
    shutil.copytree(REPO_ROOT / "docs" / "theme", root / "docs" / "theme")
    shutil.copy(REPO_ROOT / "mkdocs.en.yml", root)
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = "".join(f"  - {page}\n" for page in pages)
    config, found = re.subn(r"^nav:\n(?:  - .*\n)+", f"nav:\n{nav}", config, flags=re.M)
    assert found == 1, "mkdocs.yml has no nav to replace"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for lang in ("zh", "en"):
        for page, text in pages.items():
            target = root / "docs" / lang / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    (root / "examples").mkdir()
    for path, source in examples.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(source, encoding="utf-8")
    skip = ("EXAMPLES_CACHE_DIR", "EXAMPLES_BUILD_ID", "SITE_URL")
    env = {k: v for k, v in environ_copy().items() if k not in skip}
    env.pop("SITE_URL_EN", None)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    return env


def page(title: str, anchor: str, body: str = "") -> str:
    return f"---\ndescription: {title}\n---\n\n# {title} {{ #{anchor} }}\n\n{body}"
