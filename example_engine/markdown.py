"""Python-Markdown extension: ``::example examples/<topic>/<file>.py`` on a line of its own.

It replaces the line with Source / Output tabs holding the file and its real output,
and a stamp. Built on Python-Markdown alone (no MkDocs hook or plugin), so the same
pages keep working under Zensical.

    markdown_extensions:
      example_engine:
        lang: zh              # labels: zh or en
        repo_root: !relative $config_dir
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from example_engine.catalog import EXAMPLE_LINE, pages_by_example
from example_engine.render import render_example, render_failure
from example_engine.store import BUILD_ID_ENV, ResultStore

# A child of the "mkdocs" logger, so that `mkdocs build --strict` stops on it.
log = logging.getLogger("mkdocs.example_engine")


class ExamplePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, lang: str, repo_root: Path) -> None:
        super().__init__(md)
        self.lang = lang
        self.repo_root = repo_root
        self.store: ResultStore | None = None

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            match = EXAMPLE_LINE.match(line)
            if match is None:
                out.append(line)
                continue
            block = self.expand(match["path"])
            out += ["", *(match["indent"] + b if b else b for b in block), ""]
        return out

    def expand(self, example: str) -> list[str]:
        if self.store is None:
            self.store = ResultStore(self.repo_root)
        result = self.store.obtain(example, os.environ.get(BUILD_ID_ENV)).result
        if not result.ok:
            docs = [self.repo_root / "docs" / lang for lang in ("zh", "en")]
            pages = pages_by_example(docs, self.repo_root).get(example, [])
            log.warning(
                "example %s (shown on %s): %s\n%s",
                example,
                ", ".join(pages) or "no page",
                result.problem(),
                result.tail(),
            )
            return render_failure(result, pages, self.lang)
        source = (self.repo_root / example).read_text(encoding="utf-8")
        lines, stamp = render_example(result, source, self.lang)
        return [*lines, self.md.htmlStash.store(stamp), ""]


class ExampleExtension(Extension):
    def __init__(self, **kwargs: object) -> None:
        self.config = {
            "lang": ["zh", "Language of the labels: zh or en"],
            "repo_root": [".", "Folder that holds examples/ and docs/"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        repo_root = Path(str(self.getConfig("repo_root"))).resolve()
        pre = ExamplePreprocessor(md, str(self.getConfig("lang")), repo_root)
        # After normalize_whitespace (30), before superfences (25) stashes the fences.
        md.preprocessors.register(pre, "example_engine", 29)


def makeExtension(**kwargs: object) -> ExampleExtension:
    return ExampleExtension(**kwargs)
