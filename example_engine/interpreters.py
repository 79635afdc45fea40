"""The interpreters an example can run under: the build's own, and the others on this machine.

An interpreter is named as the site names it: ``3.13``, or ``3.14t`` for a free-threaded
build. For each name the engine looks, in this order, at:

1. ``EXAMPLES_PYTHONS``, which names them explicitly, separated by spaces or commas:
   ``EXAMPLES_PYTHONS="3.13=/opt/py313/bin/python3.13 3.14t=/usr/local/bin/python3.14t"``;
2. ``.venvs/<name>/``, the project's environment for that interpreter, made by
   ``make pythons`` with the examples' own requirements (requirements-examples.txt);
3. ``python<name>`` on PATH (``python3.13``, ``python3.14t``), pyenv's shims skipped;
4. pyenv's ``versions/<name>.*`` (the newest patch release), when pyenv is installed
   (``$PYENV_ROOT``, ``pyenv root``, or ``~/.pyenv``).

A candidate counts only if it really is that version and build: each is probed once per
process (its version, GIL, default start method and the paths that must not leak into
outputs). The build's own interpreter (``sys.executable``) stands for its own name.

    python -m example_engine.interpreters           # which interpreters this machine has
    python -m example_engine.interpreters --venvs   # make or refresh .venvs/<name>/
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from example_engine.catalog import PYTHONS, Example, Variant, older
from example_engine.runner import Interpreter, Python, current_python, example_environment

PYTHONS_ENV = "EXAMPLES_PYTHONS"
REQUIRED_ENV = "EXAMPLES_REQUIRE_PYTHONS"  # CI: these must be found, or the tests fail
REPO_ROOT = Path(__file__).resolve().parent.parent
VENVS_DIR = REPO_ROOT / ".venvs"
EXAMPLE_REQUIREMENTS = REPO_ROOT / "requirements-examples.txt"
_PROBE_TIMEOUT_S = 30

_PROBE = r"""
import json, multiprocessing, platform, sys, sysconfig
paths = sysconfig.get_paths()
print(json.dumps({
    "implementation": platform.python_implementation(),
    "version": platform.python_version(),
    "gil_enabled": bool(getattr(sys, "_is_gil_enabled", lambda: True)()),
    "free_threaded_build": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "system": {"Darwin": "macOS"}.get(platform.system(), platform.system()),
    "default_start_method": multiprocessing.get_start_method(),
    "executable": sys.executable,
    "paths": {
        "<site-packages>": [paths["purelib"], paths["platlib"]],
        "<stdlib>": [paths["stdlib"], paths["platstdlib"]],
        "<venv>": [sys.prefix] if sys.prefix != sys.base_prefix else [],
        "<python>": [sys.base_prefix],
    },
}))
"""


def name_of(interpreter: Interpreter) -> str:
    """The site's name for an interpreter: "3.11", "3.14t"."""
    major_minor = ".".join(interpreter.version.split(".")[:2])
    return major_minor + ("t" if interpreter.free_threaded_build else "")


def own_name() -> str:
    return name_of(current_python().interpreter)


def probe(executable: str) -> Python | None:
    """What `executable` is, asked from itself; None if it does not run."""
    env = example_environment(None)
    try:
        proc = subprocess.run(
            [executable, "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=_PROBE_TIMEOUT_S,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        data = json.loads(proc.stdout)
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    if proc.returncode != 0:
        return None
    paths = data.pop("paths")
    executable_run = data.pop("executable") or executable
    interpreter = Interpreter(**data)
    labels = tuple((path, label) for label, found in paths.items() for path in found if path)
    return Python(name_of(interpreter), executable_run, interpreter, labels)


def _explicit() -> dict[str, str]:
    named: dict[str, str] = {}
    for item in re.split(r"[\s,]+", os.environ.get(PYTHONS_ENV, "").strip()):
        if not item:
            continue
        name, sep, path = item.partition("=")
        if not sep or not path:
            raise SystemExit(
                f"{PYTHONS_ENV}: {item!r} is not NAME=PATH, e.g. 3.13=/usr/bin/python3.13"
            )
        named[name] = path
    return named


def _pyenv_root() -> Path | None:
    root = os.environ.get("PYENV_ROOT")
    if root:
        return Path(root)
    pyenv = shutil.which("pyenv")
    if pyenv is None:  # installed but not on this shell's PATH: its default place
        default = Path.home() / ".pyenv"
        return default if (default / "versions").is_dir() else None
    try:
        out = subprocess.run([pyenv, "root"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.name)[:3])


def candidates(name: str) -> list[str]:
    """Where an interpreter of that name may be, in the order they are tried."""
    found: list[str] = []
    explicit = _explicit()
    if name in explicit:
        found.append(explicit[name])
    venv_python = VENVS_DIR / name / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if venv_python.is_file():
        found.append(str(venv_python))
    pyenv_root = _pyenv_root()
    on_path = shutil.which(f"python{name}")
    if on_path and not (pyenv_root and Path(on_path).parent == pyenv_root / "shims"):
        found.append(on_path)  # a shim only runs what pyenv selects: look at versions/
    if pyenv_root is not None:
        number, free_threaded = name.rstrip("t"), name.endswith("t")
        pattern = re.compile(rf"^{re.escape(number)}\.\d+{'t' if free_threaded else ''}$")
        versions = [
            p for p in (pyenv_root / "versions").glob(f"{number}.*") if pattern.match(p.name)
        ]
        for version in sorted(versions, key=_version_key, reverse=True):
            exe = version / "bin" / f"python{name}"
            if exe.is_file():
                found.append(str(exe))
    return list(dict.fromkeys(found))


@functools.cache
def find(name: str) -> Python | None:
    """The interpreter called `name` on this machine, or None."""
    own = current_python()
    if name == own.name:
        return own
    for executable in candidates(name):
        found = probe(executable)
        if found is not None and found.name == name:
            return found
    return None


def found_pythons() -> dict[str, Python]:
    """Every interpreter the site names that this machine has, the build's own included."""
    return {name: python for name in PYTHONS if (python := find(name)) is not None}


@functools.cache
def missing_modules(python: Python, modules: tuple[str, ...]) -> tuple[str, ...]:
    """Which of `modules` the interpreter cannot import."""
    if not modules:
        return ()
    if python == current_python():
        import importlib.util

        return tuple(m for m in modules if importlib.util.find_spec(m) is None)
    check = (
        "import importlib.util, sys; "
        "print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))"
    )
    proc = subprocess.run(
        [python.executable, "-c", check, *modules],
        capture_output=True,
        text=True,
        timeout=_PROBE_TIMEOUT_S,
        env=example_environment(None),
        stdin=subprocess.DEVNULL,
    )
    return tuple(proc.stdout.split()) if proc.returncode == 0 else modules


@dataclass(frozen=True)
class Unavailable:
    """Why a variant cannot run on this build machine (its tab says so instead of an output)."""

    missing: str  # "python", "newer_python", "start_method" or "modules"
    what: str  # the interpreter's name, the start method, or the modules
    python: str = ""  # the interpreter that lacks the modules


def resolve(example: Example, variant: Variant) -> Python | Unavailable:
    """The interpreter to run `variant` with, or why this machine cannot run it."""
    import multiprocessing

    oldest = example.settings.min_python
    if variant.python and oldest and older(variant.python, oldest):
        return Unavailable("newer_python", oldest)
    python = current_python() if variant.python is None else find(variant.python)
    if python is None:
        return Unavailable("python", str(variant.python))
    if oldest and older(python.name, oldest):
        return Unavailable("newer_python", oldest)
    if variant.start_method and variant.start_method not in multiprocessing.get_all_start_methods():
        return Unavailable("start_method", variant.start_method)
    if missing := missing_modules(python, example.settings.requires):
        return Unavailable("modules", ", ".join(missing), python.name)
    return python


# ---------------------------------------------------------------------------------------
# .venvs/<name>/: each other interpreter with the examples' own requirements.


def _stamp(venv: Path) -> Path:
    return venv / ".installed"


def venv_is_current(venv: Path) -> bool:
    stamp = _stamp(venv)
    return stamp.is_file() and stamp.read_text() == EXAMPLE_REQUIREMENTS.read_text()


def make_venvs(names: list[str] | None = None) -> list[str]:
    """Create or refresh .venvs/<name>/ for each other interpreter found; return their names."""
    own = own_name()
    made = []
    for name in names or [n for n in PYTHONS if n != own]:
        venv = VENVS_DIR / name
        if venv_is_current(venv):
            made.append(name)
            continue
        bases = (probe(exe) for exe in candidates(name) if not exe.startswith(str(venv)))
        base = next((python for python in bases if python and python.name == name), None)
        if base is None:
            continue
        shutil.rmtree(venv, ignore_errors=True)
        print(f"making {venv.relative_to(REPO_ROOT)} with {base.executable}", flush=True)
        python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        try:
            subprocess.run([base.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([*pip, "-r", str(EXAMPLE_REQUIREMENTS)], check=True)
        except subprocess.CalledProcessError as error:
            # Without its venv the interpreter still runs the examples that need nothing
            # else; the others say what it lacks (and the version matrix fails on them).
            shutil.rmtree(venv, ignore_errors=True)
            print(f"could not make {venv.relative_to(REPO_ROOT)}: {error}", file=sys.stderr)
            continue
        _stamp(venv).write_text(EXAMPLE_REQUIREMENTS.read_text())
        made.append(name)
    find.cache_clear()
    return made


def required_names() -> list[str]:
    """The interpreters that must be found (EXAMPLES_REQUIRE_PYTHONS), as CI asks."""
    return [n for n in re.split(r"[\s,]+", os.environ.get(REQUIRED_ENV, "").strip()) if n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--venvs", action="store_true", help="make or refresh .venvs/<name>/")
    args = parser.parse_args(argv)
    if args.venvs:
        make_venvs()
    found = found_pythons()
    own = own_name()
    for name in PYTHONS:
        python = found.get(name)
        where = python.executable if python else "not found"
        mark = " (this build's own)" if name == own else ""
        print(f"{name:<6} {where}{mark}")
    missing = [n for n in required_names() if n not in found]
    if missing:
        print(
            f"{REQUIRED_ENV} names {', '.join(missing)}, which this machine lacks", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
