"""Settings: each examples.toml parsed once, every mistake one line naming file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from example_engine.catalog import (
    Catalog,
    Example,
    ExampleSettings,
    SettingsError,
    Variant,
    examples_in,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "examples" / "topic"
    folder.mkdir(parents=True)
    for name in ("ex01.py", "ex02.py"):
        (folder / name).write_text('print("hi")\n')
    return tmp_path


def settings(project: Path, text: str) -> Path:
    path = project / "examples" / "topic" / "examples.toml"
    path.write_text(text)
    return path


def error(project: Path, text: str) -> str:
    settings(project, text)
    with pytest.raises(SettingsError) as raised:
        Catalog(project).example("examples/topic/ex01.py")
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_settings_are_read_with_their_types(project):
    settings(
        project,
        '["ex01.py"]\nexit_code = 1\ntimeout = 5\nstart_methods = ["spawn", "fork"]\n'
        'pythons = ["3.11", "3.13"]\nrequires = ["dask.distributed"]\noutput_limit = 4096\n',
    )
    example = Catalog(project).example("examples/topic/ex01.py")
    assert example.settings == ExampleSettings(
        exit_code=1,
        timeout_s=5.0,
        start_methods=("spawn", "fork"),
        pythons=("3.11", "3.13"),
        requires=("dask.distributed",),
        output_limit=4096,
    )
    assert example.variants == [
        Variant("3.11", "spawn"),
        Variant("3.11", "fork"),
        Variant("3.13", "spawn"),
        Variant("3.13", "fork"),
    ]
    assert example.run_name(example.variants[2]) == "examples/topic/ex01.py [3.13 · spawn]"
    assert Catalog(project).example("examples/topic/ex02.py").variants == [Variant()]


def test_each_file_is_parsed_once_until_it_changes(project):
    path = settings(project, '["ex01.py"]\ntimeout = 5\n')
    catalog = Catalog(project)
    for _ in range(3):
        catalog.example("examples/topic/ex01.py")
        catalog.example("examples/topic/ex02.py")
    assert catalog.parses == 1
    path.write_text('["ex01.py"]\ntimeout = 7\n')
    assert catalog.example("examples/topic/ex01.py").settings.timeout_s == 7.0
    assert catalog.parses == 2


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('["ex01.py"]\ntimeout = \n', "examples/topic/examples.toml:2: Invalid value"),
        ('["ex01.py"]\nexit_code = 1\ntimout = 5\n', ":3: ex01.py: timout is not a setting"),
        ('["ex01.py"]\ntimeout = -1\n', ":2: ex01.py: timeout must be a positive number"),
        ('["ex01.py"]\ntimeout = "5"\n', ":2: ex01.py: timeout must be a positive number"),
        ('["ex01.py"]\nexit_code = true\n', ":2: ex01.py: exit_code must be a whole number"),
        ('["ex01.py"]\nalone = "yes"\n', ":2: ex01.py: alone must be true or false"),
        ('["ex01.py"]\nstart_methods = ["vfork"]\n', "names 'vfork', which is not one of fork"),
        ('["ex01.py"]\npythons = ["3.9"]\n', "names '3.9', which is not one of 3.10"),
        ('["ex01.py"]\npythons = ["3.12t"]\n', "names '3.12t', which is not one of"),
        ('["ex01.py"]\npythons = []\n', "pythons must be a non-empty list of strings"),
        ('["ex01.py"]\nrequires = ["no such"]\n', "which is not a module name"),
        ('["ex01.py"]\ndepends_on = ["data.txt"]\n', "'data.txt', which is not a file beside"),
        ('["ex01.py"]\noutput_limit = 0\n', "output_limit must be a positive number of bytes"),
        ('["ex01.py"]\nfigure = "pie"\n', "figure must be one of benchmark"),
        ('\n["ex09.py"]\ntimeout = 5\n', ':2: ["ex09.py"] names no file in examples/topic/'),
        ('["ex01.py"]\nchooses_start_method = true\nstart_methods = ["fork"]\n', ":3: ex01"),
    ],
)
def test_a_bad_setting_is_one_line_naming_file_line_and_problem(project, text, needle):
    message = error(project, text)
    assert message.startswith("examples/topic/examples.toml:"), message
    assert needle in message, message


def test_the_build_reports_a_bad_settings_file_in_one_line(repo_root, tmp_path):
    """The whole path through the build driver: exit 1, one line, no traceback."""
    broken = repo_root / "tests/engine/fixtures/bad_settings"
    page = tmp_path / "page.md"
    page.write_text('```example exec="on"\ntests/engine/fixtures/bad_settings/ex.py\n```\n')
    proc = subprocess.run(
        [sys.executable, "-m", "example_engine.build", "--examples-only", "--docs", str(page)],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"error: {broken.relative_to(repo_root).as_posix()}/examples.toml:3: ex.py: "
        "timeout must be a positive number of seconds, not 0"
    ]


def test_local_imports_and_declared_files_are_dependencies(project):
    folder = project / "examples" / "topic"
    (folder / "helper.py").write_text("VALUE = 1\n")
    (folder / "words.txt").write_text("a b\n")
    (folder / "ex01.py").write_text("import json\nimport helper\nfrom helper import VALUE\n")
    settings(project, '["ex01.py"]\ndepends_on = ["words.txt"]\n')
    example = Catalog(project).example("examples/topic/ex01.py")
    assert example.dependencies(project) == [folder / "words.txt", folder / "helper.py"]
    assert Example("examples/topic/ex02.py").dependencies(project) == []


def test_examples_are_found_in_fences_in_page_order():
    page = (
        '```example exec="on"\nexamples/a/ex01.py\n```\n\n'
        '!!! note\n\n    ```example exec="on"\n    examples/a/ex02.py\n    ```\n\n'
        '````markdown\n```example exec="on"\nexamples/shown/as/text.py\n```\n````\n\n'
        '```example-report exec="on"\n```\n'
    )
    assert examples_in(page) == ["examples/a/ex01.py", "examples/a/ex02.py"]


@pytest.mark.parametrize(
    ("page", "needle"),
    [
        (
            "text\n\n```example\nexamples/a/ex01.py\n```\n",
            'docs/p.md:3: an example fence needs exec="on"',
        ),
        (
            '```example exec="on"\nrun this.py and that.py\n```\n',
            "docs/p.md:1: an example fence holds one path",
        ),
    ],
)
def test_a_malformed_fence_is_named(page, needle):
    with pytest.raises(SettingsError, match=needle):
        examples_in(page, "docs/p.md")


def test_min_python_keeps_older_versions_from_running(project):
    settings(project, '["ex01.py"]\nmin_python = "3.14"\n')
    example = Catalog(project).example("examples/topic/ex01.py")
    assert example.settings.min_python == "3.14"
    assert "older than min_python 3.14" in error(
        project, '["ex01.py"]\nmin_python = "3.14"\npythons = ["3.13", "3.14t"]\n'
    )
    assert "min_python must be one of" in error(project, '["ex01.py"]\nmin_python = "3.14t"\n')
