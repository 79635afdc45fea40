"""The page syntax: an example fence becomes Source / Output tabs and a stamp, per language."""

from __future__ import annotations

import logging
from pathlib import Path

import markdown
import markdown_exec
import pytest

from example_engine.catalog import PYTHONS, older
from example_engine.interpreters import find, found_pythons, own_name
from example_engine.markdown import ExampleExtension, format_example, format_report
from example_engine.store import ResultStore

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
    report = '# Report { #report }\n\n```example-report exec="on"\n```\n'
    (docs / "report.md").write_text(report)
    monkeypatch.setenv("EXAMPLES_BUILD_ID", "report-build")
    html = render(report, project, "en")
    rows = html.split("<tr>")[2:]
    assert len(rows) == 2
    hello = next(r for r in rows if "examples/hello.py" in r)
    # Linked as the built site needs it: report/ -> hello/ (directory URLs).
    assert '<a href="../hello/">Saying hello</a>' in hello
    assert 'right;">0</td>' in hello and "CPython" in hello and "this build" in hello
    assert "2 examples, 2 runs" in html
    # A preview (no build id) reuses those results and says so.
    monkeypatch.delenv("EXAMPLES_BUILD_ID")
    html = render(report, project, "en")
    assert html.count("<td>cache</td>") == 2


def other_python() -> str:
    """A second CPython of this machine (pyenv gives 3.10, 3.12 and 3.13 here and on CI)."""
    others = [name for name in found_pythons() if name != own_name()]
    assert others, "these tests need a second CPython: see EXAMPLES_PYTHONS in README.md"
    return others[-1]


def missing_python() -> str:
    return next(name for name in PYTHONS if find(name) is None)


def test_one_tab_per_interpreter_each_with_its_own_run(project, monkeypatch):
    own, other, missing = own_name(), other_python(), missing_python()
    (project / "examples" / "version.py").write_text(
        "import platform\n\nprint('running', platform.python_version())\n"
    )
    (project / "examples" / "examples.toml").write_text(
        f'["version.py"]\npythons = ["{own}", "{other}", "{missing}"]\n'
    )
    monkeypatch.setenv("EXAMPLES_BUILD_ID", "tabs-build")
    html = render(fence("examples/version.py"), project, "en")
    for n, name in enumerate([own, other, missing], start=2):
        assert f'<label for="version-__tabbed_1_{n}">Output · {name}</label>' in html
    for name in (own, other):
        version = find(name).interpreter.version
        assert f"running {version}" in html and f"CPython {version}" in html
    assert f"Python {missing} is not on this build machine" in html
    # Each interpreter ran it once, however many languages show it.
    render(fence("examples/version.py"), project, "zh")
    runs = ResultStore(project).executions("tabs-build")
    assert runs == {f"examples/version.py [{own}]": 1, f"examples/version.py [{other}]": 1}


def test_a_missing_module_is_said_for_the_interpreter_that_lacks_it(project):
    (project / "examples" / "needs.py").write_text("import no_such_module_here\n")
    (project / "examples" / "examples.toml").write_text(
        f'["needs.py"]\nrequires = ["no_such_module_here"]\npythons = ["{other_python()}"]\n'
    )
    html = render(fence("examples/needs.py"), project, "zh")
    assert f"Python {other_python()} 缺少 no_such_module_here" in html
    assert "示例运行失败" not in html


def test_a_benchmark_from_several_interpreters_is_one_figure(project):
    own, other = own_name(), other_python()
    (project / "examples" / "bench.py").write_text(
        "print('cpu-bound  threads  0.25 s')\nprint('cpu-bound  processes  0.12 s')\n"
    )
    (project / "examples" / "examples.toml").write_text(
        f'["bench.py"]\npythons = ["{own}", "{other}"]\nfigure = "benchmark"\n'
    )
    html = render(fence("examples/bench.py"), project, "en")
    assert html.count('<figure class="example-figure">') == 1
    figure = html[html.index('<figure class="example-figure">') :]
    assert f"CPU-bound · {own}" in figure and f"CPU-bound · {other}" in figure
    assert figure.count("<rect") == 4


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        (' returncode="1"', "returncode is exit_code in the example's examples.toml"),
        (' session="s"', "the option session is not for example fences"),
        (' timeout="5"', 'the option timeout="5" is not one an example fence takes'),
    ],
)
def test_page_options_that_belong_elsewhere_are_refused(project, caplog, options, needle):
    with caplog.at_level(logging.WARNING, logger="mkdocs.example_engine"):
        html = render(fence("examples/hello.py", options), project, "en")
    assert needle in html and "hello &lt;world&gt;" not in html
    assert any(needle in r.getMessage() for r in caplog.records)


def test_page_options_id_and_tabs(project):
    html = render(fence("examples/hello.py", ' id="greeting" tabs="Code|Printed"'), project, "en")
    assert '<label for="greeting-__tabbed_1_1">Code</label>' in html
    assert '<label for="greeting-__tabbed_1_2">Printed</label>' in html
    twice = render(fence("examples/hello.py") + "\n" + fence("examples/hello.py"), project, "en")
    assert 'id="hello-__tabbed_1_1"' in twice and 'id="hello-2-__tabbed_1_1"' in twice


def test_an_example_for_newer_pythons_says_so_under_older_ones(project, monkeypatch):
    monkeypatch.setenv("EXAMPLES_BUILD_ID", "newer-build")
    (project / "examples" / "new.py").write_text("print('new' + ' enough')\n")
    (project / "examples" / "examples.toml").write_text('["new.py"]\nmin_python = "3.14"\n')
    html = render(fence("examples/new.py"), project, "en")
    if older(own_name(), "3.14"):  # this machine and CI: the page says why, runs nothing
        assert "This example needs Python 3.14 or newer" in html and "new enough" not in html
        assert ResultStore(project).executions("newer-build") == {}
    else:
        assert "new enough" in html


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
