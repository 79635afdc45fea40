"""Every run the example tests read, made once per session (tests/examples/conftest.py).

- "shown": each run a page shows, taken from the fresh build of the site (the build made
  it, with measurements alone, exactly as the published page shows it);
- "buffered": the same runs without PYTHONUNBUFFERED;
- a start method: the default run of every example that starts processes, with that
  start method forced as the default;
- an interpreter name ("3.13"): the version matrix, each committed run made under it.

Everything but the shown runs is made in one pool, at once, by this file run as a
script (`made_elsewhere`): in a process of its own, so that it can start with the
session (the engine's tests patch the engine's globals in the test process) and its
hundreds of runs do not take the test process's GIL from the tests. Most examples wait
(sleep, join, I/O) more than they compute, so many run side by side. There only the
normalised output is compared, so the examples declared `alone` run beside the others
too. Behaviour tests that only read a run's output take it from here
(`shared_run`); a test that needs runs of its own (repeated, or alone) makes them.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from elsewhere import records_from

from example_engine.catalog import DEFAULT, Variant, catalog
from example_engine.expectations import (
    REPO_ROOT,
    collect,
    example_at,
    matrix_runs,
    planned_runs,
    run_for_expectation,
)
from example_engine.interpreters import Unavailable, found_pythons, own_name, resolve
from example_engine.runner import RunResult
from example_engine.store import Obtained, ResultStore

EXAMPLES = collect(["examples"])
STARTS_PROCESSES = re.compile(r"\bmultiprocessing\b|ProcessPoolExecutor|\bos\.fork\b")
OTHER_METHODS = [m for m in mp.get_all_start_methods() if m != mp.get_start_method()]
OTHER_PYTHONS = [name for name in found_pythons() if name != own_name()]
WORKERS = max(6, 3 * (os.cpu_count() or 2))

Run = tuple[str, Variant]
Job = tuple[str, str, Variant]  # (mode, example, variant)


def process_examples() -> list[str]:
    """Examples that start processes and leave the start method to the default."""
    return [
        e
        for e in EXAMPLES
        if STARTS_PROCESSES.search((REPO_ROOT / e).read_text(encoding="utf-8"))
        and not (s := catalog(REPO_ROOT).example(e).settings).chooses_start_method
        and not s.start_methods
        and not s.pythons
    ]


def possible(runs: list[Run]) -> list[Run]:
    """The runs this machine can make (an interpreter it lacks is reported, not run)."""
    return [(e, v) for e, v in runs if not isinstance(resolve(example_at(e), v), Unavailable)]


SHOWN = possible(planned_runs(EXAMPLES, None))
MATRIX = [(name, *run) for name in OTHER_PYTHONS for run in matrix_runs(EXAMPLES, name)]


def jobs() -> list[Job]:
    """(mode, example, variant) of every run the pool makes."""
    made = [("buffered", e, v) for e, v in SHOWN]
    made += [(m, e, Variant(start_method=m)) for m in OTHER_METHODS for e in process_examples()]
    made += [(python, e, v) for python, e, v in MATRIX]
    return made


def run_all() -> dict[Job, RunResult]:
    def one(job: Job) -> RunResult:
        mode, example, variant = job
        return run_for_expectation(example, variant=variant, unbuffered=mode != "buffered")

    planned = jobs()
    with ThreadPoolExecutor(WORKERS) as pool:
        return dict(zip(planned, pool.map(one, planned), strict=True))


def made_elsewhere(env: dict[str, str], out: Path) -> dict[Job, RunResult]:
    """run_all() in a process of its own (this file as a script), read back from `out`."""
    return {
        (r["mode"], r["example"], Variant(**r["variant"])): RunResult.from_json(r["result"])
        for r in records_from(__file__, out, env=env)
    }


@dataclass
class Sweep:
    store: ResultStore  # the store of the session's fresh build
    build_id: str
    made: dict[Job, RunResult]  # the sweep's own runs (made_elsewhere)

    def get(self, mode: str, example: str, variant: Variant = DEFAULT) -> RunResult:
        if mode == "shown":
            obtained = self.store.obtain(example_at(example), self.build_id, variant)
            assert isinstance(obtained, Obtained) and obtained.cached, (
                f"{example} [{variant.label}] was not run by the session's build: {obtained}"
            )
            return obtained.result
        if mode in OTHER_METHODS:
            variant = Variant(start_method=mode)
        return self.made[mode, example, variant]

    def shared_run(self, example: str, start_method: str | None = None) -> RunResult:
        """The run a page shows, or with `start_method` forced as the default."""
        if start_method in (None, mp.get_start_method()):
            pythons = example_at(example).settings.pythons
            # An example shown under several interpreters: this one's tab.
            return self.get("shown", example, Variant(own_name()) if pythons else DEFAULT)
        assert example in process_examples(), f"{example} is not re-run under start methods"
        return self.get(start_method, example)


if __name__ == "__main__":
    # python tests/examples/sweep.py OUT.json: every run of jobs(), as JSON records.
    records = [
        {"mode": mode, "example": e, "variant": asdict(v), "result": result.to_json()}
        for (mode, e, v), result in run_all().items()
    ]
    Path(sys.argv[1]).write_text(json.dumps(records), encoding="utf-8")
