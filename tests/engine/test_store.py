"""The result cache: hits and misses, fresh builds, and one run per example per build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from example_engine.catalog import Example, catalog
from example_engine.store import ResultStore


def example(project: Path, path: str = "examples/ex.py") -> Example:
    """The example with its settings, as a page hands it to the store."""
    return catalog(project).example(path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny repository with one example, so that tests can edit it."""
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "ex.py").write_text('print("one")\n')
    return tmp_path


def test_second_request_is_a_cache_hit(project):
    store = ResultStore(project)
    first = store.obtain(example(project))
    second = ResultStore(project).obtain(example(project))
    assert (first.cached, second.cached) == (False, True)
    assert second.result == first.result


def test_changed_source_is_a_miss(project):
    store = ResultStore(project)
    store.obtain(example(project))
    (project / "examples" / "ex.py").write_text('print("two")\n')
    again = store.obtain(example(project))
    assert not again.cached
    assert again.result.output == "two\n"


def test_changed_settings_are_a_miss(project):
    store = ResultStore(project)
    store.obtain(example(project))
    (project / "examples" / "examples.toml").write_text('["ex.py"]\ntimeout = 5\n')
    assert not store.obtain(example(project)).cached


def test_a_fresh_build_runs_again_then_reuses_its_own_result(project):
    store = ResultStore(project)
    store.obtain(example(project))  # a result from an earlier build (or mkdocs serve)
    assert not store.obtain(example(project), build_id="b1").cached
    assert store.obtain(example(project), build_id="b1").cached
    assert not store.obtain(example(project), build_id="b2").cached
    assert store.executions("b1") == {"examples/ex.py": 1}


def test_missing_example_is_never_cached(project):
    store = ResultStore(project)
    assert store.obtain(example(project, "examples/nope.py")).result.missing
    assert not store.obtain(example(project, "examples/nope.py")).cached


def test_concurrent_threads_run_an_example_once(project):
    store = ResultStore(project)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: store.obtain(example(project), "b"), range(8)))
    assert sum(not r.cached for r in results) == 1
    assert store.executions("b") == {"examples/ex.py": 1}


def test_concurrent_processes_run_an_example_once(project):
    """What the two language builds do: separate processes asking for the same result."""
    (project / "examples" / "ex.py").write_text('import time\ntime.sleep(0.3)\nprint("x")\n')
    code = (
        "import sys; from pathlib import Path; from example_engine.store import ResultStore; "
        "from example_engine.catalog import catalog; "
        "root = Path(sys.argv[1]); ex = catalog(root).example('examples/ex.py'); "
        "o = ResultStore(root).obtain(ex, 'shared-build'); "
        "print(o.cached, o.result.output.strip())"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(project)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = sorted(p.communicate()[0].strip() for p in procs)
    assert outputs == ["False x", "True x", "True x"]
    assert ResultStore(project).executions("shared-build") == {"examples/ex.py": 1}


def test_runner_change_invalidates_the_cache(project, monkeypatch):
    store = ResultStore(project)
    store.obtain(example(project))
    monkeypatch.setattr("example_engine.store.engine_fingerprint", lambda: "changed")
    assert not ResultStore(project).obtain(example(project)).cached


def test_cache_survives_a_corrupt_file(project):
    store = ResultStore(project)
    store.obtain(example(project))
    for path in store.dir.glob("*.json"):
        path.write_text("{not json")
    assert not store.obtain(example(project)).cached
    shutil.rmtree(store.dir)


def test_saved_results_are_json(project):
    store = ResultStore(project)
    store.obtain(example(project), "b")
    (saved,) = store.dir.glob("*.json")
    data = json.loads(saved.read_text())
    assert data["build_id"] == "b"
    assert data["result"]["output"] == "one\n"


def test_a_change_to_a_file_it_imports_or_reads_is_a_miss(project):
    """What serve relies on: an edited helper module or data file reruns the example."""
    examples = project / "examples"
    (examples / "helper.py").write_text("WORD = 'one'\n")
    (examples / "words.txt").write_text("alpha\n")
    (examples / "uses.py").write_text(
        "from pathlib import Path\nimport helper\n\n"
        "print(helper.WORD, Path(__file__).with_name('words.txt').read_text().strip())\n"
    )
    (examples / "examples.toml").write_text('["uses.py"]\ndepends_on = ["words.txt"]\n')
    store = ResultStore(project)
    assert store.obtain(example(project, "examples/uses.py")).result.output == "one alpha\n"
    assert store.obtain(example(project, "examples/uses.py")).cached
    (examples / "helper.py").write_text("WORD = 'two'\n")
    again = store.obtain(example(project, "examples/uses.py"))
    assert not again.cached and again.result.output == "two alpha\n"
    (examples / "words.txt").write_text("beta\n")
    again = store.obtain(example(project, "examples/uses.py"))
    assert not again.cached and again.result.output == "two beta\n"
