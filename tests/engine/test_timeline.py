"""Timelines: lanes in a reader's order, and an SVG that is valid, accessible and bilingual."""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from example_engine.runner import run_example
from example_engine.timeline import Timeline, build_timeline, nice_step, render_svg

REPO_ROOT = Path(__file__).resolve().parents[2]
TRACE = "tests/engine/fixtures/trace"
SVG = "{http://www.w3.org/2000/svg}"
MS = 1_000_000  # nanoseconds


def ev(event: str, t: float, pid: int, tid: int = 1, **fields: Any) -> dict[str, Any]:
    return {"ev": event, "t": int(t * MS), "pid": pid, "tid": tid, **fields}


def span(event: str, t0: float, t1: float, pid: int, tid: int = 1, **fields: Any) -> dict:
    return ev(event, t1, pid, tid, t0=int(t0 * MS), t1=int(t1 * MS), **fields)


# A main process (pid 10) with a worker thread and a machinery thread, a forkserver, and two
# children that the main process started in the order 30, 20 but that began in the order 20, 30.
EVENTS = [
    ev("proc", 1000, 10, ppid=1, kind="python"),
    ev("proc", 1001, 99, ppid=10, kind="forkserver"),
    ev("thread", 1002, 10, tid=2, name="Thread-1 (loop)", user=True),
    ev("thread", 1002, 10, tid=3, name="QueueFeederThread", user=False),
    ev("proc_start", 1003, 10, name="Process-1"),
    ev("proc_start", 1004, 10, name="Process-2"),
    ev("proc", 1005, 20, ppid=10, kind="fork"),
    ev("proc_name", 1005, 20, name="Process-2", target="work"),
    ev("proc", 1006, 30, ppid=10, kind="fork"),
    ev("proc_name", 1006, 30, name="Process-1", target="work"),
    ev("thread", 1007, 30, tid=5, name="Thread-1 (helper)", user=True),
    span("task", 1010, 1030, 20, name="work"),
    span("task", 1011, 1020, 30, name="work"),
    ev("lock_new", 1001, 10, lock="10-1", kind="thread", line=3),
    ev(
        "lock",
        1012,
        10,
        tid=2,
        lock="10-1",
        tw=int(1008 * MS),
        t0=int(1009 * MS),
        t1=int(1012 * MS),
    ),
    ev("queue_new", 1001, 10, queue="q", kind="process"),
    ev("put", 1015, 20, queue="q", item="'ant'"),
    ev("get", 1025, 10, queue="q", item="'ant'"),
    ev("thread_end", 1040, 10, tid=2, name="Thread-1 (loop)"),
    ev("proc_end", 1031, 20),
    ev("proc_end", 1050, 10),
]


@functools.cache
def timeline_of(name: str, method: str | None = None) -> Timeline:
    result = run_example(f"{TRACE}/{name}.py", REPO_ROOT, start_method=method, trace=True)
    assert result.ok and result.trace is not None, result.output
    return build_timeline(result.trace)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element, cls: str | None = None) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text") if cls in (None, el.get("class"))]


def test_lanes_in_reading_order():
    timeline = build_timeline(EVENTS)
    assert [(lane.pid, lane.tid, lane.role) for lane in timeline.lanes] == [
        (10, None, "main"),
        (10, 2, "thread"),  # the feeder thread did nothing of the example's: no lane
        (30, None, "child"),  # started first, began second
        (30, 5, "thread"),
        (20, None, "child"),
    ]
    assert [lane.label("zh") for lane in timeline.lanes] == [
        "主进程",
        "Thread-1 (loop)",
        "Process-1",
        "Thread-1 (helper)",
        "Process-2",
    ]


def test_a_reused_thread_id_is_a_new_lane():
    """The OS gives an ended thread's id to the next one: two threads, two lanes."""
    events = [
        ev("proc", 0, 10, ppid=1, kind="python"),
        ev("thread", 1, 10, tid=7, name="producer", user=True),
        span("task", 1, 3, 10, tid=7, name="make"),
        ev("thread_end", 4, 10, tid=7, name="producer"),
        ev("thread", 5, 10, tid=7, name="consumer", user=True),
        span("task", 6, 8, 10, tid=7, name="use"),
        ev("thread_end", 9, 10, tid=7, name="consumer"),
        ev("proc_end", 10, 10),
    ]
    lanes = build_timeline(events).lanes
    assert [(lane.label("en"), [t.label for t in lane.tasks]) for lane in lanes[1:]] == [
        ("producer", ["make"]),
        ("consumer", ["use"]),
    ]
    assert (lanes[1].end, lanes[2].start) == (4.0, 5.0)


def test_times_are_milliseconds_since_the_first_event():
    timeline = build_timeline(EVENTS)
    main, thread, first, _, second = timeline.lanes
    assert (main.start, main.end) == (0.0, 50.0)
    assert timeline.duration_ms == 50.0
    assert (thread.start, thread.end) == (2.0, 40.0)
    assert second.asked == 4.0 and second.start == 5.0 and second.end == 31.0
    assert [(s.start, s.end, s.label) for s in second.tasks] == [(10.0, 30.0, "work")]
    assert first.end == 20.0  # no proc_end: it ends with its last event
    (hold,) = thread.locks
    assert (hold.waited, hold.start, hold.end) == (8.0, 9.0, 12.0)
    assert [(m.kind, m.at, m.item) for m in second.marks] == [("put", 15.0, "'ant'")]
    assert [(m.kind, m.at) for m in main.marks] == [("get", 25.0)]
    assert timeline.task_count == 2 and timeline.count("put") == timeline.count("get") == 1


def test_empty_trace():
    timeline = build_timeline([])
    assert timeline.lanes == [] and timeline.duration_ms == 0.0
    parse(render_svg(timeline, "en"))


@pytest.mark.parametrize(
    ("lang", "words", "desc"),
    [
        (
            "zh",
            ["主进程", "毫秒", "任务", "持有锁", "放入", "取出"],
            "5 条泳道，共 50 毫秒，2 个任务。",
        ),
        (
            "en",
            ["main process", "ms", "task", "lock held", "put", "get"],
            "5 lanes over 50 ms, 2 tasks.",
        ),
    ],
)
def test_svg_is_accessible_and_in_the_pages_language(lang, words, desc):
    root = parse(render_svg(build_timeline(EVENTS), lang))
    assert root.get("role") == "img"
    title, description = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert description is not None and description.text == desc
    assert root.get("aria-labelledby") == f"{title.get('id')} {description.get('id')}"
    shown = texts(root)
    for word in words:
        assert word in shown
    other = {"zh": "main process", "en": "主进程"}[lang]
    assert other not in shown


def test_svg_draws_every_lane_task_hold_and_mark():
    svg = render_svg(build_timeline(EVENTS), "en")
    root = parse(svg)
    rects = [el.get("class") for el in root.iter(f"{SVG}rect")]
    assert rects.count("tl-life") == 5 + 1  # the lanes and the legend
    assert rects.count("tl-task") == 2 + 1
    assert rects.count("tl-lock") == 1 + 1
    polygons = [el.get("class") for el in root.iter(f"{SVG}polygon")]
    assert polygons.count("tl-put") == 1 + 1 and polygons.count("tl-get") == 1 + 1
    # colours come from the page's palette, with fallbacks for a standalone file
    assert "var(--md-default-fg-color" in svg and "var(--md-primary-fg-color" in svg
    assert "pid" not in "".join(texts(root)) and "99" not in texts(root)


def test_svg_says_when_lock_holds_were_left_out():
    events = [*EVENTS[:-1], ev("proc_end", 1050, 10, holds_dropped=7)]
    timeline = build_timeline(events)
    assert timeline.holds_dropped == 7
    desc = parse(render_svg(timeline, "en")).find(f"{SVG}desc")
    assert (
        desc is not None
        and desc.text == "5 lanes over 50 ms, 2 tasks. 7 more lock holds are not drawn."
    )


def test_svg_is_deterministic():
    assert render_svg(build_timeline(EVENTS), "zh") == render_svg(build_timeline(EVENTS), "zh")


def test_time_axis_ticks():
    assert [nice_step(d) for d in (1, 7, 50, 240, 1300)] == [0.2, 2, 10, 50, 500]
    shown = texts(parse(render_svg(build_timeline(EVENTS), "en")))
    assert [t for t in shown if t.isdigit()] == ["0", "10", "20", "30", "40", "50"]


@pytest.mark.parametrize(
    ("name", "lanes"),
    [
        ("process_join", ["Process-1", "Process-2"]),
        ("pool_tasks", ["ForkPoolWorker-1", "ForkPoolWorker-2"]),
        ("queue_sentinel", ["Process-1", "Process-2"]),
        ("thread_lock", ["Thread-1 (add)", "Thread-2 (add)"]),
        ("thread_pool", ["ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1"]),
    ],
)
def test_svg_of_a_real_run_has_one_lane_per_process_and_thread(name, lanes):
    timeline = timeline_of(name, "fork")
    assert [lane.label("en") for lane in timeline.lanes] == ["main process", *lanes]
    for lang in ("zh", "en"):
        shown = texts(parse(render_svg(timeline, lang)), "tl-lane")
        assert shown == [timeline.lanes[0].label(lang), *lanes]


def test_a_pool_timeline_never_shows_more_busy_workers_than_processes():
    timeline = timeline_of("pool_tasks", "spawn")
    edges = sorted(
        [(s.start, 1) for lane in timeline.lanes for s in lane.tasks]
        + [(s.end, -1) for lane in timeline.lanes for s in lane.tasks]
    )
    running = [sum(step for _, step in edges[: i + 1]) for i in range(len(edges))]
    assert max(running) <= 2 and timeline.task_count == 6


def test_two_runs_draw_two_timelines():
    first = render_svg(timeline_of("thread_pool"), "en")
    second = render_svg(
        build_timeline(run_example(f"{TRACE}/thread_pool.py", REPO_ROOT, trace=True).trace or []),
        "en",
    )
    assert first != second  # real timings, never the same twice
