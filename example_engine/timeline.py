"""Turn a trace (example_engine.trace) into a timeline and draw it as an inline SVG.

One lane per process and per thread that did something visible: the main process first,
then its threads, then the child processes in start order, each followed by its threads.
Times are milliseconds since the first event. The SVG takes its colours from Material's CSS
custom properties (with fallbacks), so it reads in the light and the dark palette, and it
carries a title and a one-sentence description in the page's language.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "这次运行的时间线",
        "main": "主进程",
        "child": "子进程",
        "pool_worker": "进程池工作进程",
        "thread": "线程",
        "alive": "运行中",
        "task": "任务",
        "lock": "持有锁",
        "wait": "等待锁",
        "put": "放入",
        "get": "取出",
        "ms": "毫秒",
        "desc": "{lanes} 条泳道，共 {ms} 毫秒，{tasks} 个任务。",
        "dropped": "另有 {n} 次持锁未画出。",
    },
    "en": {
        "title": "Timeline of this run",
        "main": "main process",
        "child": "child process",
        "pool_worker": "pool worker process",
        "thread": "thread",
        "alive": "running",
        "task": "task",
        "lock": "lock held",
        "wait": "waiting for the lock",
        "put": "put",
        "get": "get",
        "ms": "ms",
        "desc": "{lanes} lanes over {ms} ms, {tasks} tasks.",
        "dropped": " {n} more lock holds are not drawn.",
    },
}


@dataclass(frozen=True)
class Span:
    start: float  # ms since the first event
    end: float
    label: str = ""


@dataclass(frozen=True)
class LockHold:
    waited: float  # when acquire() was called
    start: float  # when it returned
    end: float  # when release() was called
    lock: str


@dataclass(frozen=True)
class Mark:
    at: float
    kind: str  # "put" or "get"
    item: str


@dataclass
class Lane:
    pid: int
    tid: int | None  # None: the process itself (and what its main thread did)
    name: str | None  # "Process-1", "Thread-1 (add)"; None for the main process
    role: str  # "main", "child", "pool_worker" or "thread"
    start: float
    end: float
    asked: float | None = None  # when the parent called Process.start(), if it did
    tasks: list[Span] = field(default_factory=list)
    locks: list[LockHold] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)

    def label(self, lang: str = "en", ordinal: int = 0) -> str:
        words = LABELS[lang]
        if self.role == "main":
            return words["main"]
        if self.name:
            return self.name
        return f"{words['child']} {ordinal}" if ordinal else words["child"]


@dataclass
class Timeline:
    lanes: list[Lane]
    duration_ms: float
    holds_dropped: int = 0  # lock holds beyond trace.HOLD_LIMIT per process: not drawn

    @property
    def task_count(self) -> int:
        return sum(len(lane.tasks) for lane in self.lanes)

    def count(self, kind: str) -> int:
        """How many queue marks of `kind` ("put" or "get") the run made."""
        return sum(1 for lane in self.lanes for mark in lane.marks if mark.kind == kind)

    def lane(self, name: str) -> Lane:
        return next(lane for lane in self.lanes if lane.name == name)


def load_timeline(directory: str | Path) -> Timeline:
    from example_engine.trace import load_events

    return build_timeline(load_events(directory))


def build_timeline(events: Iterable[Mapping[str, Any]]) -> Timeline:
    events = sorted(events, key=lambda e: (e["t"], e["pid"], e.get("tid", 0)))
    if not events:
        return Timeline([], 0.0)
    zero = min(min(e.get("tw", e["t"]), e.get("t0", e["t"]), e["t"]) for e in events)

    def ms(ns: int) -> float:
        return round((ns - zero) / 1e6, 3)

    procs: dict[int, dict[str, Any]] = {}
    dropped = 0
    asked: dict[tuple[int, str], list[int]] = {}  # (parent, child's name) -> start() calls
    # A thread is (pid, tid, n): the OS reuses an ended thread's id for a new thread,
    # which is then the id's next generation n, with a lane of its own.
    threads: dict[tuple[int, int, int], dict[str, Any]] = {}
    generations: dict[tuple[int, int], list[int]] = {}  # (pid, tid) -> start of each
    for e in events:
        info = procs.setdefault(e["pid"], {"first": e["t"], "last": e["t"], "order": len(procs)})
        info["last"] = max(info["last"], e.get("t1", e["t"]), e["t"])
        kind = e["ev"]
        if kind == "proc":
            info.setdefault("kind", e.get("kind"))
            info.setdefault("ppid", e.get("ppid"))
            info["first"] = min(info["first"], e["t"])
        elif kind == "proc_name":
            info["name"] = e.get("name")
        elif kind == "proc_start":
            asked.setdefault((e["pid"], str(e.get("name"))), []).append(e["t"])
        elif kind == "proc_end":
            info["end"] = e["t"]
            dropped += int(e.get("holds_dropped") or 0)
        elif kind == "thread":
            starts = generations.setdefault((e["pid"], e["tid"]), [])
            starts.append(e["t"])
            threads[(e["pid"], e["tid"], len(starts) - 1)] = {
                "name": e.get("name"),
                "start": e["t"],
                "user": e.get("user"),
            }
        elif kind == "thread_end" and (e["pid"], e["tid"]) in generations:
            thread = threads[(e["pid"], e["tid"], len(generations[e["pid"], e["tid"]]) - 1)]
            thread["end"] = e["t"]
            thread["name"] = e.get("name") or thread["name"]  # a thread may rename itself

    roots = [pid for pid, info in procs.items() if info.get("ppid") not in procs]
    candidates = [pid for pid in roots if procs[pid].get("kind") == "python"] or roots
    main_pid = min(candidates, key=lambda pid: (procs[pid]["first"], procs[pid]["order"]))

    process_lanes: dict[int, Lane] = {}
    for pid, info in procs.items():
        if info.get("kind") == "forkserver":
            continue  # multiprocessing's machinery, not the example's
        name = info.get("name")
        role = "main" if pid == main_pid else "child"
        if name and "PoolWorker" in name:
            role = "pool_worker"
        end = info.get("end", info["last"])
        lane = Lane(pid, None, name, role, ms(info["first"]), ms(end))
        calls = asked.get((info.get("ppid"), str(name)))
        if calls:  # a name given twice by the example: its children matched in start order
            lane.asked = ms(calls.pop(0))
        process_lanes[pid] = lane
    thread_lanes: dict[tuple[int, int, int], Lane] = {}
    for (pid, tid, n), info in threads.items():
        if pid not in process_lanes:
            continue
        end = info.get("end", procs[pid].get("end", procs[pid]["last"]))
        thread_lanes[(pid, tid, n)] = Lane(
            pid, tid, info["name"], "thread", ms(info["start"]), ms(end)
        )

    def lane_of(e: Mapping[str, Any]) -> Lane | None:
        # An event of a thread without a lane (the main thread) belongs to its process;
        # an event of a reused thread id, to the generation running when it began.
        starts = generations.get((e["pid"], e.get("tid", 0)), [])
        began = e.get("tw", e.get("t0", e["t"]))
        n = max((i for i, start in enumerate(starts) if start <= began), default=0)
        return thread_lanes.get((e["pid"], e.get("tid", 0), n)) or process_lanes.get(e["pid"])

    for e in events:
        kind = e["ev"]
        if kind not in ("task", "lock", "put", "get"):
            continue
        lane = lane_of(e)
        if lane is None:
            continue
        if kind == "task":
            lane.tasks.append(Span(ms(e["t0"]), ms(e["t1"]), str(e.get("name", ""))))
        elif kind == "lock":
            hold = LockHold(ms(e["tw"]), ms(e["t0"]), ms(e["t1"]), str(e.get("lock", "")))
            lane.locks.append(hold)
        else:
            lane.marks.append(Mark(ms(e["t"]), kind, str(e.get("item", ""))))

    def shown(key: tuple[int, int, int]) -> bool:
        lane = thread_lanes[key]
        return bool(threads[key].get("user") or lane.tasks or lane.locks or lane.marks)

    lanes: list[Lane] = []
    # Start order is the order the parent started them: children may begin out of order.
    ordered = sorted(
        process_lanes.values(),
        key=lambda lane: (lane.pid != main_pid, _first(lane.asked, lane.start), lane.pid),
    )
    for proc_lane in ordered:
        lanes.append(proc_lane)
        mine = [
            lane for key, lane in thread_lanes.items() if key[0] == proc_lane.pid and shown(key)
        ]
        lanes.extend(sorted(mine, key=lambda lane: (lane.start, lane.tid or 0)))
    for lane in lanes:
        lane.tasks.sort(key=lambda s: (s.start, s.end))
        lane.locks.sort(key=lambda h: (h.start, h.end))
        lane.marks.sort(key=lambda m: (m.at, m.kind))
    duration = max([lane.end for lane in lanes] + [0.0])
    return Timeline(lanes, round(duration, 3), dropped)


def _first(asked: float | None, start: float) -> float:
    return start if asked is None else min(asked, start)


# Drawing ------------------------------------------------------------------------------

WIDTH = 720
LABEL_WIDTH = 176
RIGHT_PAD = 24
TOP = 8
LANE_HEIGHT = 26
FONT_PX = 11

# Colours are Material's custom properties when the SVG is inline in a page; the fallbacks
# serve the SVG on its own. The lock, put and get colours read on white and on slate.
STYLE = """
.tl text{font-family:var(--md-text-font-family,system-ui,sans-serif);font-size:11px;\
fill:var(--md-default-fg-color,#222)}
.tl .tl-muted{fill:var(--md-default-fg-color--light,#666)}
.tl .tl-life{fill:var(--md-default-fg-color--lightest,rgba(0,0,0,.08))}
.tl .tl-task{fill:var(--md-primary-fg-color,#4051b5)}
.tl text.tl-task-label{fill:var(--md-primary-bg-color,#fff)}
.tl .tl-lock{fill:var(--tl-lock-color,#e8590c)}
.tl .tl-wait{stroke:var(--tl-lock-color,#e8590c);stroke-width:1.5;stroke-dasharray:2 2}
.tl .tl-put{fill:var(--tl-put-color,#0c8599)}
.tl .tl-get{fill:var(--tl-get-color,#9c36b5)}
.tl .tl-starting{stroke:var(--md-default-fg-color--light,#666);stroke-dasharray:1 3}
.tl .tl-grid{stroke:var(--md-default-fg-color--lightest,rgba(0,0,0,.08))}
.tl .tl-axis{stroke:var(--md-default-fg-color--light,#666)}
""".strip()


def render_svg(timeline: Timeline, lang: str = "zh", title: str | None = None) -> str:
    """The timeline as an SVG document fit to be inlined in a page of language `lang`."""
    words = LABELS[lang]
    duration = max(timeline.duration_ms, 1.0)
    plot = WIDTH - LABEL_WIDTH - RIGHT_PAD
    lanes_height = len(timeline.lanes) * LANE_HEIGHT
    axis_y = TOP + lanes_height + 4
    height = axis_y + 44
    scale = plot / duration

    def x(t: float) -> float:
        return LABEL_WIDTH + t * scale

    title = title or words["title"]
    desc = words["desc"].format(
        lanes=len(timeline.lanes), ms=_number(timeline.duration_ms), tasks=timeline.task_count
    )
    if timeline.holds_dropped:  # the lock bars stop early: say so rather than mislead
        desc += words["dropped"].format(n=timeline.holds_dropped)
    out = [f"<style>{STYLE}</style>"]
    step = nice_step(duration)
    ticks = [round(i * step, 6) for i in range(int(duration / step + 1e-9) + 1)]
    for tick in ticks:
        out.append(_line(x(tick), TOP, x(tick), axis_y, "tl-grid"))

    ordinal = 0
    for index, lane in enumerate(timeline.lanes):
        top = TOP + index * LANE_HEIGHT
        middle = top + LANE_HEIGHT / 2
        if lane.role == "child" and not lane.name:
            ordinal += 1
        label = lane.label(lang, ordinal)
        role = words["thread"] if lane.role == "thread" else words[lane.role]
        out.append(f"<g><title>{escape(f'{label} · {role}')}</title>")
        out.append(
            _text(LABEL_WIDTH - 8, middle + 4, _fit(label, LABEL_WIDTH - 12), "end", "tl-lane")
        )
        if lane.asked is not None and lane.asked < lane.start:
            # start() was called but the child's interpreter was not running yet
            out.append(_line(x(lane.asked), middle, x(lane.start), middle, "tl-starting"))
        out.append(_rect(x(lane.start), top + 4, x(lane.end) - x(lane.start), 18, "tl-life"))
        for start, end in _merged([(h.waited, h.start) for h in lane.locks], 1 / scale):
            if end > start:
                out.append(_line(x(start), top + 21, x(end), top + 21, "tl-wait"))
        for start, end in _merged([(h.start, h.end) for h in lane.locks], 1 / scale):
            out.append(_rect(x(start), top + 19, x(end) - x(start), 4, "tl-lock"))
        for span in lane.tasks:
            width = x(span.end) - x(span.start)
            out.append(_rect(x(span.start), top + 7, width, 11, "tl-task", span.label))
            if _text_width(span.label) + 6 <= width:
                out.append(_text(x(span.start) + 3, top + 16, span.label, "start", "tl-task-label"))
        for mark in lane.marks:
            out.append(_mark(x(mark.at), top, mark, words))
        out.append("</g>")

    out.append(_line(LABEL_WIDTH, axis_y, LABEL_WIDTH + plot, axis_y, "tl-axis"))
    for tick in ticks:
        out.append(_line(x(tick), axis_y, x(tick), axis_y + 4, "tl-axis"))
        out.append(_text(x(tick), axis_y + 16, f"{tick:g}", "middle", "tl-muted"))
    out.append(_text(LABEL_WIDTH - 8, axis_y + 16, words["ms"], "end", "tl-muted"))
    out.extend(_legend(timeline, words, axis_y + 36))
    body = "\n".join(out)
    # Ids from the drawing itself: stable for one trace, distinct for two figures on a page.
    uid = "tl-" + hashlib.sha1(f"{title}\n{desc}\n{body}".encode()).hexdigest()[:10]
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tl" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'style="max-width:100%;height:auto" aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    return "\n".join([*head, body, "</svg>"]) + "\n"


def nice_step(duration: float, target_ticks: int = 6) -> float:
    """1, 2 or 5 times a power of ten, giving about `target_ticks` ticks."""
    raw = max(duration, 1e-9) / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _legend(timeline: Timeline, words: Mapping[str, str], y: float) -> list[str]:
    present = {
        "alive": True,
        "task": timeline.task_count > 0,
        "lock": any(lane.locks for lane in timeline.lanes),
        "put": timeline.count("put") > 0,
        "get": timeline.count("get") > 0,
    }
    out, left = [], float(LABEL_WIDTH)
    for key, wanted in present.items():
        if not wanted:
            continue
        if key in ("put", "get"):
            out.append(_triangle(left + 5, y - 8, key))
        else:
            cls = {"alive": "tl-life", "task": "tl-task", "lock": "tl-lock"}[key]
            out.append(_rect(left, y - 9, 12, 8 if key != "lock" else 4, cls))
        out.append(_text(left + 16, y - 1, words[key], "start"))
        left += 16 + _text_width(words[key]) + 18
    return out


def _mark(x: float, top: float, mark: Mark, words: Mapping[str, str]) -> str:
    # put: a triangle pointing into the lane from above; get: pointing out from below.
    y = top + 3 if mark.kind == "put" else top + LANE_HEIGHT - 3
    tip = escape(f"{words[mark.kind]} {mark.item}")
    return f"<g><title>{tip}</title>{_triangle(x, y, mark.kind)}</g>"


def _triangle(x: float, y: float, kind: str) -> str:
    d = 4 if kind == "put" else -4
    points = f"{x - 4:.1f},{y:.1f} {x + 4:.1f},{y:.1f} {x:.1f},{y + d:.1f}"
    return f'<polygon class="tl-{kind}" points="{points}"/>'


def _merged(spans: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Joins spans closer than a pixel: thousands of short lock holds draw as a few bars."""
    merged: list[list[float]] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] < gap:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _rect(x: float, y: float, width: float, height: float, cls: str, tip: str = "") -> str:
    body = f"<title>{escape(tip)}</title>" if tip else ""
    attrs = f'x="{x:.1f}" y="{y:.1f}" width="{max(width, 1.0):.1f}" height="{height:.1f}"'
    if body:
        return f'<rect class="{cls}" {attrs} rx="2">{body}</rect>'
    return f'<rect class="{cls}" {attrs} rx="2"/>'


def _line(x1: float, y1: float, x2: float, y2: float, cls: str) -> str:
    return f'<line class="{cls}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


def _text(x: float, y: float, text: str, anchor: str, cls: str = "") -> str:
    klass = f" class={quoteattr(cls)}" if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{klass}>{escape(text)}</text>'


def _text_width(text: str) -> float:
    """A width estimate good enough to decide whether a label fits (no font metrics here)."""
    return sum(FONT_PX if ord(ch) > 0x2E80 else FONT_PX * 0.6 for ch in text)


def _fit(text: str, width: float) -> str:
    while text and _text_width(text) > width:
        text = text[:-2] + "…" if len(text) > 2 else text[:-1]
    return text


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
