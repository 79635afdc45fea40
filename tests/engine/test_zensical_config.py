"""The Zensical layer (example_engine/builders.py): the config it generates from
mkdocs.yml and mkdocs.en.yml, and the token that keeps Zensical's page cache honest."""

from __future__ import annotations

import os

import pytest
import yaml
from mkdocs.config import load_config as mkdocs_load_config

from example_engine import builders
from example_engine.builders import LANGUAGES, REPO_ROOT, ZensicalConfig, examples_state


class ZensicalLoader(yaml.Loader):
    """How Zensical 0.0.73 reads a mkdocs.yml (zensical/config.py, _yaml_load): PyYAML's
    full loader, which resolves !!python tags, plus !ENV."""


def _env(loader, node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else []
    *names, default = names or [loader.construct_scalar(node), None]
    return next((os.environ[n] for n in names if n in os.environ), default)


ZensicalLoader.add_constructor("!ENV", _env)


@pytest.fixture(params=sorted(LANGUAGES))
def generated(request):
    config = ZensicalConfig.write(request.param, "test")
    yield config
    config.remove()
    assert not config.path.exists()


def test_zensical_reads_what_mkdocs_reads(generated, tmp_path):
    """Lists replaced, not appended, as MkDocs merges INHERIT; the same pages, theme,
    language switch and extensions; only the folders and Zensical's own keys differ."""
    source = LANGUAGES[generated.lang][0]
    mkdocs = mkdocs_load_config(str(REPO_ROOT / source), site_dir=str(tmp_path / "m"))
    zensical = yaml.load(generated.path.read_text(encoding="utf-8"), Loader=ZensicalLoader)
    assert "INHERIT" not in zensical
    for key in ("site_name", "site_url", "site_description", "copyright", "nav", "strict"):
        assert zensical[key] == mkdocs[key], key
    root = generated.path.parent
    assert (root / zensical["docs_dir"]).resolve() == REPO_ROOT / mkdocs["docs_dir"]
    assert (root / zensical["theme"]["custom_dir"]).resolve() == REPO_ROOT / "docs" / "theme"
    assert (root / zensical["site_dir"]).resolve() == generated.site_dir
    theme = zensical["theme"]
    assert theme["language"] == mkdocs["theme"]["language"]
    assert theme["variant"] == "classic"
    assert theme["palette"] == mkdocs["theme"]["palette"]  # two entries, this language's
    assert theme["features"] == mkdocs["theme"]["features"]
    assert zensical["extra"]["alternate"] == mkdocs["extra"]["alternate"]
    assert zensical["plugins"] == [{"search": {"lang": mkdocs["theme"]["language"][:2]}}]
    extensions = zensical["markdown_extensions"]
    assert extensions["example_engine"] == {
        **mkdocs["mdx_configs"]["example_engine"],
        "links": "source",
    }
    fences = extensions["pymdownx.superfences"]["custom_fences"]
    assert fences == mkdocs["mdx_configs"]["pymdownx.superfences"]["custom_fences"]
    assert len(zensical["extra"]["examples_state"]) == 16


def test_each_language_has_its_own_zensical_project_folder():
    """Zensical's page cache is `.cache/` beside the config: one folder per language."""
    folders = {lang: ZensicalConfig.write(lang, "test") for lang in LANGUAGES}
    try:
        assert len({config.path.parent for config in folders.values()}) == len(LANGUAGES)
        for lang, config in folders.items():
            docs = REPO_ROOT / "docs" / lang
            assert docs.is_relative_to(config.path.parent)
            assert config.site_dir.is_relative_to(config.path.parent)
    finally:
        for config in folders.values():
            config.remove()


@pytest.fixture
def project(tmp_path, monkeypatch):
    for lang in LANGUAGES:
        (tmp_path / "docs" / lang).mkdir(parents=True)
        (tmp_path / "docs" / lang / "index.md").write_text("# Home { #home }\n")
    (tmp_path / "examples" / "t").mkdir(parents=True)
    (tmp_path / "examples" / "t" / "ex01.py").write_text('print("a")\n')
    monkeypatch.setattr(builders, "REPO_ROOT", tmp_path)
    monkeypatch.setenv("EXAMPLES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EXAMPLES_BUILD_ID", raising=False)
    return tmp_path


def test_examples_state_changes_when_a_page_may_show_other_output(project, monkeypatch):
    state = examples_state()
    assert examples_state() == state  # nothing changed: Zensical keeps its pages

    example = project / "examples" / "t" / "ex01.py"
    stat = example.stat()
    example.write_text('print("b")\n')  # same size; its time changes, even within a second
    os.utime(example, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert examples_state() != state
    state = examples_state()

    monkeypatch.setenv("EXAMPLES_BUILD_ID", "fresh")  # a fresh build: every example ran again
    assert examples_state() != state
    monkeypatch.delenv("EXAMPLES_BUILD_ID")

    (project / "cache").mkdir()
    (project / "cache" / "executions.jsonl").write_text('{"example": "x"}\n')  # one ran
    assert examples_state() != state
    state = examples_state()

    page = project / "docs" / "en" / "index.md"
    page.write_text("# Start { #home }\n")  # the report links pages by their titles
    assert examples_state() != state
    state = examples_state()

    page.write_text('# Start { #home }\n\n```example exec="on"\nexamples/t/ex01.py\n```\n')
    assert examples_state() != state  # a page shows another example

    page.write_text('# Start { #home }\n\n```example exec="on"\nnot a path\n```\n')
    assert examples_state()  # a malformed fence: the page itself says so when it renders
