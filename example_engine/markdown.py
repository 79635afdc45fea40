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

from example_engine.catalog import (
    EXAMPLE_LINE,
    REPORT_LINE,
    page_title,
    pages_by_example,
    settings_for,
)
from example_engine.render import ReportRow, render_example, render_failure, render_report
from example_engine.runner import RunResult
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
            if REPORT_LINE.match(line):
                out += ["", *self.report(), ""]
                continue
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
        build_id = os.environ.get(BUILD_ID_ENV)
        settings = settings_for(example, self.repo_root)
        available = settings.variants()
        runs: list[tuple[str | None, RunResult | None]] = []
        for method in settings.start_methods or [None]:
            if method is None or method in available:
                result = self.store.obtain(example, build_id, method).result
                if not result.ok:
                    return self.failure(example, result)
                runs.append((method, result))
            else:
                runs.append((method, None))
        source = (self.repo_root / example).read_text(encoding="utf-8")
        stash = self.md.htmlStash.store
        return render_example(example, source, runs, self.lang, stash, settings)

    def report(self) -> list[str]:
        """Every example that any page shows, with what its runs in this build took."""
        store = self.store = self.store or ResultStore(self.repo_root)
        build_id = os.environ.get(BUILD_ID_ENV)
        docs = self.repo_root / "docs" / self.lang
        rows = []
        for example, pages in sorted(pages_by_example([docs], self.repo_root).items()):
            methods = settings_for(example, self.repo_root).variants()
            results = [store.obtain(example, build_id, m).result for m in methods]
            page = self.repo_root / pages[0]
            link = f"[{page_title(page)}]({page.relative_to(docs).as_posix()})"
            fresh = build_id is not None and store.produced_by(example, methods[0]) == build_id
            rows.append(ReportRow(example, link, results, fresh))
        return render_report(rows, self.lang)

    def failure(self, example: str, result: RunResult) -> list[str]:
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
