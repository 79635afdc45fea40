"""The on-disk cache of example runs, shared by every process of one build.

A result is keyed by a hash of the example's source, settings and dependencies (files
it imports or declares it reads), the variant (interpreter and start method), the
interpreter itself and the runner. Both language builds (separate processes) and the
build driver ask for results through ``obtain``: a file lock per key makes sure that
an example runs once even when several processes want it at the same moment.

``build_id`` makes a build fresh: a result counts only if it was produced by the
same build, so ``make build`` executes every example again while ``mkdocs serve``
(no build id) reuses any result whose key still matches.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from example_engine.catalog import DEFAULT, Example, Variant
from example_engine.interpreters import Unavailable, resolve
from example_engine.runner import RunResult, engine_fingerprint, run_example

BUILD_ID_ENV = "EXAMPLES_BUILD_ID"
CACHE_DIR_ENV = "EXAMPLES_CACHE_DIR"


@dataclass(frozen=True)
class Obtained:
    result: RunResult
    cached: bool  # True when no process was started for it


class ResultStore:
    def __init__(self, repo_root: Path, cache_dir: Path | None = None) -> None:
        self.repo_root = repo_root.resolve()
        default = os.environ.get(CACHE_DIR_ENV) or self.repo_root / ".cache" / "examples"
        self.dir = Path(cache_dir or default)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._fingerprint = engine_fingerprint()

    def key(self, example: Example, variant: Variant, python_key: str) -> str:
        digest = hashlib.sha256()
        for path in [self.repo_root / example.path, *example.dependencies(self.repo_root)]:
            digest.update(b"\0" + path.read_bytes() if path.is_file() else b"\0<missing>")
        parts = (example.path, repr(example.settings), repr(variant), python_key)
        for part in (*parts, self._fingerprint):
            digest.update(b"\0" + part.encode())
        return digest.hexdigest()[:32]

    def load(self, key: str, build_id: str | None) -> RunResult | None:
        record = self._record(key)
        if record is None or (build_id is not None and record.get("build_id") != build_id):
            return None
        return RunResult.from_json(record["result"])

    def _record(self, key: str) -> dict | None:
        try:
            return json.loads((self.dir / f"{key}.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def produced_by(self, example: Example, variant: Variant = DEFAULT) -> str | None:
        """The build id that produced the stored result (None: a preview, a plain run, none)."""
        python = resolve(example, variant)
        if isinstance(python, Unavailable):
            return None
        record = self._record(self.key(example, variant, python.key()))
        return record.get("build_id") if record else None

    def last_duration(self, example: Example, variant: Variant = DEFAULT) -> float | None:
        """How long the stored run of this very source took, whichever build made it."""
        python = resolve(example, variant)
        if isinstance(python, Unavailable):
            return None
        record = self._record(self.key(example, variant, python.key()))
        return record["result"]["duration_s"] if record else None

    def save(self, key: str, result: RunResult, build_id: str | None) -> None:
        path = self.dir / f"{key}.json"
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        payload = {"build_id": build_id, "result": result.to_json()}
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    def record_execution(self, run: str, build_id: str | None) -> None:
        """Append one line per real execution: `make bench` counts them per build."""
        line = json.dumps({"build_id": build_id, "example": run}) + "\n"
        with open(self.dir / "executions.jsonl", "a", encoding="utf-8") as log:
            log.write(line)

    def executions(self, build_id: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        log = self.dir / "executions.jsonl"
        if log.is_file():
            for line in log.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                if entry["build_id"] == build_id:
                    counts[entry["example"]] = counts.get(entry["example"], 0) + 1
        return counts

    def obtain(
        self, example: Example, build_id: str | None = None, variant: Variant = DEFAULT
    ) -> Obtained | Unavailable:
        """The result of one run: from the cache when valid, else from a fresh run.

        An interpreter, start method or module this machine lacks gives `Unavailable`:
        the page says so rather than borrow another run's output.
        """
        python = resolve(example, variant)
        if isinstance(python, Unavailable):
            return python
        key = self.key(example, variant, python.key())
        with FileLock(str(self.dir / f"{key}.lock")):
            cached = self.load(key, build_id)
            if cached is not None:
                return Obtained(cached, cached=True)
            settings = example.settings
            result = run_example(
                example.path,
                self.repo_root,
                timeout_s=settings.timeout_s,
                expected_exit_code=settings.exit_code,
                start_method=variant.start_method,
                trace=settings.timeline,
                python=python,
                output_limit=settings.output_limit,
            )
            self.record_execution(example.run_name(variant), build_id)
            if not result.missing:
                self.save(key, result, build_id)
            return Obtained(result, cached=False)
