"""The two site builders: Zensical (the default) and MkDocs 1.6 + Material 9.8.

Both build the same pages with the same configuration, ``mkdocs.yml`` (the Chinese site
and everything shared) and ``mkdocs.en.yml`` (the English site; ``INHERIT: mkdocs.yml``),
and the same Python-Markdown extension (``example_engine.markdown``). MkDocs reads the two
files as they are. Zensical 0.0.73 reads them too, but differs from MkDocs in five ways,
and this module is the whole layer that makes up for them:

1. Its ``INHERIT`` appends lists where MkDocs replaces them: the English palette and
   language list would come after the Chinese ones. The driver merges the two files as
   MkDocs does (dictionaries key by key, anything else replaced) and hands Zensical the
   result, custom tags (``!ENV``, ``!!python/name``) kept for Zensical to resolve.
2. It has no option for the output folder, and ``docs_dir`` and ``site_dir`` must lie
   inside the folder of the config file: the merged config names both.
3. Its cache of rendered pages is ``.cache/`` beside the config file, one slot per page
   path. Both languages have the same page paths: sharing one folder, each language's
   build would throw the other's pages out of the cache (a rebuild then costs 1.5 s, not
   0.2 s). So each language has its own project folder, the only two folders that hold
   its pages: the repository root for Chinese, ``docs/`` for English.
4. It caches a page's HTML by its Markdown text and the config, and the text does not
   change when an example or its result does. The merged config carries ``extra.
   examples_state``, which Zensical computes each time it loads the config (each build,
   and each time ``zensical serve`` reloads because a watched file changed):
   ``examples_state()`` below.
5. It rewrites every relative link in a page's HTML as a path from the page's source
   file, the links the engine writes into its blocks included, which MkDocs leaves as
   they are: the merged config tells the engine so (``example_engine: links: source``).

Each merged config is a generated file, ``.zensical-<purpose>-<id>.yml`` in that
project folder (git ignores it), removed when the build or preview ends.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
# The builders this interpreter can run, the default first: Zensical needs Python 3.11
# (requirements.txt installs it from there on); on 3.10 MkDocs is the only one.
BUILDERS = ("zensical", "mkdocs") if sys.version_info >= (3, 11) else ("mkdocs",)
DEFAULT_BUILDER = BUILDERS[0]
# language -> its config, and where it goes in the assembled site.
LANGUAGES = {"zh": ("mkdocs.yml", ""), "en": ("mkdocs.en.yml", "en")}
# language -> Zensical's project folder for it (see point 3 above).
ZENSICAL_ROOTS = {"zh": Path("."), "en": Path("docs")}
EXAMPLES_STATE = "tag:yaml.org,2002:python/object/apply:example_engine.builders.examples_state"


# --- reading the configuration as MkDocs does -------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """A value under a custom YAML tag, kept as written for the builder to resolve."""

    tag: str
    value: object


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _tagged(loader: yaml.Loader, suffix: str, node: yaml.Node, prefix: str = "") -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: object = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return Tagged(prefix + suffix, value)


def _represent_tagged(dumper: yaml.Dumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


for _prefix in ("!", "tag:yaml.org,2002:python/"):
    _Loader.add_multi_constructor(
        _prefix, lambda loader, suffix, node, p=_prefix: _tagged(loader, suffix, node, p)
    )
_Dumper.add_representer(Tagged, _represent_tagged)


def _merge(parent: dict, child: dict) -> dict:
    """MkDocs' INHERIT: mappings merged key by key, every other value replaced."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(path: Path) -> dict:
    """A config file with what it INHERITs merged in, as MkDocs merges it."""
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    parent = config.pop("INHERIT", None)
    if parent:
        config = _merge(load_config(path.parent / parent), config)
    return config


# --- the builders ------------------------------------------------------------------------


class LanguageBuild:
    """One language's build, started as its own process; `finish` leaves it in `out`."""

    def __init__(self, command: list[str], out: Path, env: dict[str, str]) -> None:
        self.out = out
        self.proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def finish(self) -> tuple[bool, str]:
        output, _ = self.proc.communicate()
        return self.proc.returncode == 0, output

    def kill(self) -> None:
        """Stop it if it still runs and remove what it generated (again: harmless)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
        self.cleanup()

    def cleanup(self) -> None:
        pass


class MkDocs:
    name = "mkdocs"

    def start(self, lang: str, out: Path, env: dict[str, str]) -> LanguageBuild:
        config = LANGUAGES[lang][0]
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config]
        return LanguageBuild([*command, "-d", str(out)], out, env)

    def serve_command(self, lang: str, address: str) -> tuple[list[str], ZensicalConfig | None]:
        config = LANGUAGES[lang][0]
        return [sys.executable, "-m", "mkdocs", "serve", "-f", config, "-a", address], None


class _ZensicalBuild(LanguageBuild):
    def __init__(self, config: ZensicalConfig, out: Path, env: dict[str, str]) -> None:
        self.config = config
        command = [sys.executable, "-m", "zensical", "build", "--strict"]
        super().__init__([*command, "-f", str(config.path)], out, env)

    def finish(self) -> tuple[bool, str]:
        ok, output = super().finish()
        try:
            if ok:
                shutil.move(self.config.site_dir, self.out)
        finally:
            self.cleanup()
        return ok, output

    def cleanup(self) -> None:
        self.config.remove()


class Zensical:
    name = "zensical"

    def start(self, lang: str, out: Path, env: dict[str, str]) -> LanguageBuild:
        return _ZensicalBuild(ZensicalConfig.write(lang, "build"), out, env)

    def serve_command(self, lang: str, address: str) -> tuple[list[str], ZensicalConfig]:
        config = ZensicalConfig.write(lang, "serve")
        command = [sys.executable, "-m", "zensical", "serve", "-f", str(config.path)]
        return [*command, "-a", address], config


@dataclass
class ZensicalConfig:
    """The generated config of one language for Zensical (see the module's docstring)."""

    lang: str
    path: Path
    site_dir: Path

    @classmethod
    def write(cls, lang: str, purpose: str) -> ZensicalConfig:
        root = REPO_ROOT / ZENSICAL_ROOTS[lang]
        name = f"{purpose}-{lang}-{uuid.uuid4().hex[:8]}"
        made = cls(lang, root / f".zensical-{name}.yml", root / ".cache" / "zensical" / name)
        made.path.write_text(made.render(), encoding="utf-8")
        return made

    def render(self) -> str:
        source = REPO_ROOT / LANGUAGES[self.lang][0]
        config = load_config(source)
        root = self.path.parent

        def here(path: str) -> str:
            return os.path.relpath(REPO_ROOT / path, root).replace(os.sep, "/")

        config["docs_dir"] = here(config["docs_dir"])
        config["site_dir"] = os.path.relpath(self.site_dir, root).replace(os.sep, "/")
        config["theme"] = dict(config["theme"], custom_dir=here(config["theme"]["custom_dir"]))
        config["watch"] = [here(path) for path in config.get("watch", [])]
        extensions = dict(config["markdown_extensions"])
        extensions["example_engine"] = dict(extensions["example_engine"], links="source")
        config["markdown_extensions"] = extensions
        extra = dict(config.get("extra") or {})
        extra["examples_state"] = Tagged(EXAMPLES_STATE, [])
        config["extra"] = extra
        header = (
            f"# Generated from {source.name} by example_engine/builders.py for Zensical,\n"
            "# merged as MkDocs merges INHERIT; removed after the build. Edit the source.\n"
        )
        return header + yaml.dump(
            config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
        )

    def refresh(self) -> None:
        """Write it again from its sources (Zensical's preview reloads when it changes)."""
        text = self.render()
        if self.path.read_text(encoding="utf-8") != text:
            self.path.write_text(text, encoding="utf-8")

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
        shutil.rmtree(self.site_dir, ignore_errors=True)


def builder(name: str) -> MkDocs | Zensical:
    if name == "zensical" and sys.version_info < (3, 11):
        raise SystemExit("Zensical needs Python 3.11 or newer: use --builder mkdocs")
    return {"zensical": Zensical, "mkdocs": MkDocs}[name]()


# --- what Zensical's page cache must not miss ---------------------------------------------


def examples_state() -> str:
    """A token that changes whenever a page's example output may have changed without its
    Markdown changing: a fresh build (its build id), an example or a file beside it edited
    (every file under examples/, by size and time to the nanosecond), an example run
    (the store's log of executions grows), or a page title or page's examples changed
    (the execution report links every page). Zensical keys its page cache on the config,
    and so on this token; MkDocs renders every page on every build and never reads it."""
    from example_engine.catalog import page_title, pages_by_example
    from example_engine.store import BUILD_ID_ENV, CACHE_DIR_ENV

    digest = hashlib.sha256(os.environ.get(BUILD_ID_ENV, "").encode())
    for folder, _, files in sorted(os.walk(REPO_ROOT / "examples")):
        for file in sorted(files):
            stat = os.stat(os.path.join(folder, file))
            digest.update(f"\0{folder}/{file} {stat.st_size} {stat.st_mtime_ns}".encode())
    store = Path(os.environ.get(CACHE_DIR_ENV) or REPO_ROOT / ".cache" / "examples")
    log = store / "executions.jsonl"
    digest.update(f"\0log {log.stat().st_size if log.is_file() else 0}".encode())
    docs = [REPO_ROOT / "docs" / lang for lang in LANGUAGES]
    try:
        digest.update(repr(sorted(pages_by_example(docs, REPO_ROOT).items())).encode())
    except ValueError:  # a malformed fence: the page says so when it renders
        digest.update(b"\0malformed")
    for page in sorted(p for d in docs for p in d.rglob("*.md")):
        digest.update(f"\0{page} {page_title(page)}".encode())
    return digest.hexdigest()[:16]
