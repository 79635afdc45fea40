"""The page syntax: an example fence becomes Source / Output tabs and a stamp, per language."""

from __future__ import annotations

import logging
from pathlib import Path

import markdown
import markdown_exec
import pytest

from example_engine.markdown import ExampleExtension, format_example, format_report

EXTENSIONS = ["admonition", "attr_list", "tables", "pymdownx.superfences", "pymdownx.tabbed"]
FENCES = [
    {"name": name, "class": name, "validator": markdown_exec.validator, "format": fmt}
    for name, fmt in (("example", format_example), ("example-report", format_report))
]
CONFIGS = {
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.superfences": {"custom_fences": FENCES},
}


def fence(path: str, options: str = "", indent: str = "") -> str:
    """The page syntax for one example."""
    lines = [f'```example exec="on"{options}', path, "```"]
    return "".join(f"{indent}{line}\n" for line in lines)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "hello.py").write_text('print("hello <world>")\n')
    (tmp_path / "examples" / "ticks.py").write_text('print("```")\nprint("````")\n')
    (tmp_path / "examples" / "fails.py").write_text('print("before")\nraise SystemExit(2)\n')
    return tmp_path


def render(text: str, project: Path, lang: str) -> str:
    ext = ExampleExtension(lang=lang, repo_root=str(project))
    md = markdown.Markdown(extensions=[*EXTENSIONS, ext], extension_configs=CONFIGS)
    return md.convert(text)


@pytest.mark.parametrize(
    ("lang", "source", "output", "run"),
    [("zh", "源代码", "输出", "自己运行："), ("en", "Source", "Output", "Run it yourself: ")],
)
def test_tabs_source_output_and_stamp(project, lang, source, output, run):
    html = render(f"Text.\n\n{fence('examples/hello.py')}\nMore.\n", project, lang)
    assert f'<label for="hello-__tabbed_1_1">{source}</label>' in html
    assert f'<label for="hello-__tabbed_1_2">{output}</label>' in html
    assert '<span class="filename">examples/hello.py</span>' in html
    assert "hello &lt;world&gt;" in html  # the real output, escaped
    assert f"{run}<code>python examples/hello.py</code>" in html
    assert "CPython" in html and "example-stamp" in html
    assert html.index("Text.") < html.index("tabbed-set") < html.index("More.")


def test_output_with_backticks_does_not_break_the_fence(project):
    html = render(fence("examples/ticks.py"), project, "en")
    assert "````" in html
    assert html.count('class="tabbed-block"') == 2


def test_example_inside_an_admonition(project):
    html = render('!!! note "N"\n\n' + fence("examples/hello.py", indent="    "), project, "en")
    admonition = html[html.index('class="admonition note"') :]
    assert "tabbed-set" in admonition


def test_a_failure_is_shown_and_logged(project, caplog):
    with caplog.at_level(logging.WARNING, logger="mkdocs.example_engine"):
        html = render(fence("examples/fails.py"), project, "zh")
    assert "示例运行失败" in html and "exited with code 2" in html and "before" in html
    (record,) = caplog.records
    assert "examples/fails.py" in record.getMessage()
    assert "exited with code 2" in record.getMessage()


def test_fences_that_merely_show_the_syntax_are_left_alone(project):
    text = "Write:\n\n````markdown\n" + fence("examples/hello.py") + "````\n"
    html = render(text, project, "en")
    assert "tabbed" not in html and "examples/hello.py" in html and "hello &lt;" not in html


def test_an_example_fence_without_exec_is_not_run(project):
    html = render("```example\nexamples/hello.py\n```\n", project, "en")
    assert "tabbed" not in html and "hello &lt;world&gt;" not in html


def test_start_methods_side_by_side(project, monkeypatch):
    (project / "examples" / "methods.py").write_text(
        "import multiprocessing as mp\n\nprint('default', mp.get_start_method())\n"
    )
    (project / "examples" / "examples.toml").write_text(
        '["methods.py"]\nstart_methods = ["fork", "spawn", "forkserver"]\n'
    )
    html = render(fence("examples/methods.py"), project, "en")
    for n, method in enumerate(["fork", "spawn", "forkserver"], start=2):
        assert f'<label for="methods-__tabbed_1_{n}">Output · {method}</label>' in html
        assert f"default {method}" in html
    assert html.count('class="example-stamp"') == 4  # one per run, one with the command

    # On an OS without fork and forkserver, those tabs say so instead of faking a run.
    monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["spawn"])
    html = render(fence("examples/methods.py"), project, "zh")
    assert "上没有 <code>fork</code> 启动方式" in html
    assert "上没有 <code>forkserver</code> 启动方式" in html
    assert "default spawn" in html and "default fork\n" not in html


def test_execution_report_lists_every_example_with_its_page(project, monkeypatch):
    docs = project / "docs" / "en"
    docs.mkdir(parents=True)
    (docs / "hello.md").write_text("# Saying hello { #hello }\n\n" + fence("examples/hello.py"))
    (docs / "ticks.md").write_text("# Backticks { #ticks }\n\n" + fence("examples/ticks.py"))
    monkeypatch.setenv("EXAMPLES_BUILD_ID", "report-build")
    html = render('```example-report exec="on"\n```\n', project, "en")
    rows = html.split("<tr>")[2:]
    assert len(rows) == 2
    hello = next(r for r in rows if "examples/hello.py" in r)
    assert '<a href="hello.md">Saying hello</a>' in hello
    assert 'right;">0</td>' in hello and "CPython" in hello and "this build" in hello
    assert "2 examples, 2 runs" in html
    # A preview (no build id) reuses those results and says so.
    monkeypatch.delenv("EXAMPLES_BUILD_ID")
    html = render('```example-report exec="on"\n```\n', project, "en")
    assert html.count("<td>cache</td>") == 2


@pytest.mark.parametrize(("links", "expected"), [("url", "../hello/"), ("source", "hello.md")])
def test_report_links_pages_as_the_builder_rewrites_them(project, links, expected):
    """MkDocs leaves links in a block's HTML as they are (url: the built URL); Zensical
    rewrites them as paths from the page's source file (source: the .md path)."""
    docs = project / "docs" / "en"
    docs.mkdir(parents=True)
    (docs / "hello.md").write_text("# Saying hello { #hello }\n\n" + fence("examples/hello.py"))
    report = '```example-report exec="on"\n```\n'
    (docs / "report.md").write_text("# Report { #report }\n\n" + report)
    ext = ExampleExtension(lang="en", repo_root=str(project), links=links)
    md = markdown.Markdown(extensions=[*EXTENSIONS, ext], extension_configs=CONFIGS)
    assert f'<a href="{expected}">Saying hello</a>' in md.convert(report)


def test_links_setting_is_checked():
    with pytest.raises(ValueError, match="links is url or source"):
        ExampleExtension(lang="en", links="absolute")
