"""Behaviour of the start-method examples that their printed output alone does not prove."""

from __future__ import annotations

import re

from loader import load_example


def test_a_spawned_child_sees_the_module_as_imported_not_the_parents_changes(shared_run):
    example = "examples/start_methods/ex01_spawn_fresh_start.py"
    at_import = load_example(example).SETTING
    result = shared_run(example)
    assert result.ok, result.tail()
    parent = re.search(r"^parent sees SETTING = (.+)$", result.output, re.M)
    child = re.search(r"^child sees SETTING = (.+)$", result.output, re.M)
    assert parent and child
    assert child[1] == repr(at_import)
    assert parent[1] != child[1]
    assert "child start method: spawn" in result.output.splitlines()


def test_a_local_target_fails_in_the_parent_before_any_child_runs(shared_run):
    result = shared_run("examples/start_methods/ex03_spawn_breaks.py")
    assert result.ok, result.tail()  # declared exit code 1
    assert result.exit_code == 1
    # 3.10-3.12 "Can't pickle local object", 3.13 "Can't get local object" (AttributeError);
    # 3.14 raises _pickle.PicklingError "Can't pickle local object <function ...>".
    local = (
        r"^\S*(AttributeError|PicklingError): "
        r"Can't (pickle|get) local object .*main\.<locals>\.greet\b"
    )
    assert re.search(local, result.output, re.M), result.output
    assert "hello," not in result.output
    # The parent's own frames lead to p.start().
    assert re.search(r"^    p\.start\(\)$", result.output, re.M)


def test_module_level_targets_and_partials_run_under_spawn(shared_run):
    result = shared_run("examples/start_methods/ex04_picklable_targets.py")
    assert result.ok, result.tail()
    lines = result.output.splitlines()
    assert lines.index("hello, spawn") > lines.index("module-level function:")
    assert lines.index("hi, partial") > lines.index("functools.partial of it:")


def test_set_start_method_twice_is_refused_but_contexts_still_work(shared_run):
    result = shared_run("examples/start_methods/ex02_get_context.py")
    assert result.ok, result.tail()
    sent = [int(n) for n in re.findall(r"child sent (\d+)$", result.output, re.M)]
    assert sent == [36, 49]
    assert re.search(r"^second set_start_method\(\): RuntimeError", result.output, re.M)
