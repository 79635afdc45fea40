"""Import an example file as a module, for tests that call its functions directly."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[2]


def load_example(path: str) -> ModuleType:
    """Import an example file as a module (its `__main__` block does not run).

    The module is registered in sys.modules so that functions defined in it can be
    pickled by name; only use this for thread examples or fork-free code.
    """
    file = REPO_ROOT / path
    name = "example_" + "_".join(Path(path).with_suffix("").parts[1:])
    spec = importlib.util.spec_from_file_location(name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
