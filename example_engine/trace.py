"""Record what an example's processes and threads did, and when, from outside its code.

The runner asks for a trace by setting ``EXAMPLE_TRACE_DIR`` (where to write) and
``EXAMPLE_TRACE_SCRIPT`` (the example's path). ``inject/sitecustomize.py`` then loads this
file in every Python process of the run and calls :func:`install`: the main process,
spawn and forkserver children (fresh interpreters that inherit ``PYTHONPATH``) and fork
children (which inherit the hooks; ``os.register_at_fork`` gives them their own file).

Each process appends one JSON object per line to ``<dir>/<pid>.jsonl``. Every event has
``ev`` (its kind), ``t`` (``time.monotonic_ns()``: one system-wide clock on Linux, macOS
and Windows, so times of different processes compare), ``pid`` and ``tid``:

- ``proc``: an interpreter started or a fork child began (``ppid``, ``kind``: "python",
  "spawn", "fork" or "forkserver"); ``proc_name``: multiprocessing named it ("Process-1",
  "ForkPoolWorker-2"; ``target``); ``proc_end`` (``holds_dropped``); ``proc_start``: the
  parent called ``Process.start()`` for the child of that ``name``.
- ``thread`` / ``thread_end``: a thread's life (``name``; ``user``: its target or ``run``
  is the example's own code).
- ``task``: one unit of work (``name``, ``t0``, ``t1``): a thread's or a process's target
  (or ``run``) from the example, one task of a ``multiprocessing`` pool (a ``map`` chunk of
  several items is one task, named ``square ×3``), one call an executor ran. They are timed
  where the library hands the work over (the pool worker's queues, ``_WorkItem.run``), not
  by a profiler: ``sys.setprofile`` slows pure-Python code by a quarter on 3.11, which turns
  off the specialising interpreter while it is set.
- ``lock_new`` / ``lock``: a lock the example created (``lock``: its key; ``kind``
  "thread" or "process"), and one hold of it (``tw`` acquire called, ``t0`` acquired,
  ``t1`` released); past ``HOLD_LIMIT`` holds in one process they are only counted.
- ``queue_new`` / ``put`` / ``get``: a queue the example created, and an item put in or
  taken out (``queue``; ``item``: a short repr).

Only this module's own imports run at start-up; multiprocessing and queue are patched when
the example imports them, so a run that never uses them pays nothing for them. The tracer
writes nothing to stdout or stderr and swallows its own errors: a trace may miss events,
an example must never behave differently. One known difference: when a traced lock or
queue call raises (releasing an unlocked lock, ``get(timeout=...)`` running out), the
traceback shows one extra frame from this file.
"""

from __future__ import annotations

import _thread
import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and collections.abc cost milliseconds in every process of a run
    from collections.abc import Callable
    from types import FrameType, ModuleType
    from typing import Any

TRACE_DIR_ENV = "EXAMPLE_TRACE_DIR"
TRACE_SCRIPT_ENV = "EXAMPLE_TRACE_SCRIPT"
ITEM_CHARS = 20
HOLD_BUFFER = 256
HOLD_LIMIT = 5000  # per process: beyond it holds are only counted (a timeline cannot show more)

_now = time.monotonic_ns
# The kernel's thread id: get_ident() is the thread's pthread handle, which the next thread
# started often gets again, and two threads that did not overlap in time would share a lane.
_thread_id = _thread.get_native_id


def _encode(event: dict[str, Any]) -> str:
    """JSON without importing json (and re) into every process of the run."""
    from _json import encode_basestring_ascii as quote

    parts = []
    for key, value in event.items():
        if value is None:
            text = "null"
        elif value is True:
            text = "true"
        elif value is False:
            text = "false"
        elif isinstance(value, int):
            text = str(value)
        else:
            text = quote(str(value))
        parts.append(f'"{key}":{text}')
    return "{" + ",".join(parts) + "}\n"


def short_repr(obj: object, limit: int = ITEM_CHARS) -> str:
    """A repr that never runs the example's own __repr__ (it could print or be slow)."""
    kind = type(obj)
    if obj is None or kind in (bool, int, float, str, bytes):  # exact types: no subclass repr
        text = repr(obj)
    elif kind is tuple or kind is list:
        items = list(obj)  # type: ignore[call-overload]
        parts = [short_repr(x, limit) for x in items[:4]] + (["…"] if len(items) > 4 else [])
        inner = ", ".join(parts) + ("," if kind is tuple and len(items) == 1 else "")
        text = f"({inner})" if kind is tuple else f"[{inner}]"
    else:
        text = f"<{type(obj).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Recorder:
    """One per process: classifies code as the example's, writes events to its file."""

    def __init__(self, directory: str, script: str) -> None:
        self.directory = directory
        self.script = os.path.realpath(script)
        self._is_script: dict[str, bool] = {}
        self._fd = -1
        self._counter = 0
        # Lock holds wait here, so that a loop taking a lock 100 000 times costs one write
        # per HOLD_BUFFER holds; any other event writes them out with itself at once.
        self._buffer: list[str] = []
        self._buffer_lock = _thread.allocate_lock()
        self.holds = self.holds_dropped = 0
        self.pid = os.getpid()
        self.ended = False
        self._open()

    def _open(self) -> None:
        self.pid = os.getpid()
        path = os.path.join(self.directory, f"{self.pid}.jsonl")
        # O_APPEND: each event is one write(), whole, even with several threads writing.
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def after_fork_in_child(self) -> None:
        ppid = self.pid
        with _suppress():
            os.close(self._fd)  # the parent's file, shared: the child writes its own
        self._open()
        self.ended = False
        # The parent's buffered holds are the parent's to write; its lock may be held.
        self._buffer, self._buffer_lock = [], _thread.allocate_lock()
        self.holds = self.holds_dropped = 0
        self.emit({"ev": "proc", "ppid": ppid, "kind": "fork"})

    def emit(self, event: dict[str, Any]) -> None:
        event.setdefault("t", _now())
        event["pid"] = self.pid
        event.setdefault("tid", _thread_id())
        line = _encode(event)
        with self._buffer_lock:
            lines, self._buffer = self._buffer, []
        lines.append(line)
        self._write("".join(lines))

    def hold(self, key: str, tid: int, tw: int, t0: int, t1: int) -> None:
        """The hot path: one lock hold, formatted directly (keys are ours: no escaping)."""
        line = (
            f'{{"ev":"lock","t":{t1},"pid":{self.pid},"tid":{tid},"lock":"{key}",'
            f'"tw":{tw},"t0":{t0},"t1":{t1}}}\n'
        )
        with self._buffer_lock:
            if self.holds >= HOLD_LIMIT:
                self.holds_dropped += 1
                return
            self.holds += 1
            self._buffer.append(line)
            if len(self._buffer) < HOLD_BUFFER:
                return
            lines, self._buffer = self._buffer, []
        self._write("".join(lines))

    def _write(self, text: str) -> None:
        data = text.encode()
        try:
            os.write(self._fd, data)
        except OSError:
            # The example closed our descriptor (os.closerange): open it again once.
            with _suppress():
                self._open()
                os.write(self._fd, data)

    def end_process(self) -> None:
        if not self.ended:
            self.ended = True
            self.emit({"ev": "proc_end", "holds_dropped": self.holds_dropped})

    def new_key(self) -> str:
        self._counter += 1
        return f"{self.pid}-{self._counter}"

    def is_script(self, filename: str) -> bool:
        known = self._is_script.get(filename)
        if known is None:
            known = self._is_script[filename] = os.path.realpath(filename) == self.script
        return known

    def called_from_script(self, depth: int) -> FrameType | None:
        """The example's frame among the `depth` callers above the caller, if any."""
        frame = sys._getframe(2)
        for _ in range(depth):
            if frame is None:
                return None
            if self.is_script(frame.f_code.co_filename):
                return frame
            frame = frame.f_back
        return None

    def user_callable(self, func: object) -> bool:
        code = getattr(func, "__code__", None)
        return code is not None and self.is_script(code.co_filename)

    def unit_name(self, worker: Any) -> str | None:
        """The example's target or run() of a Thread or Process, if it has one."""
        target = getattr(worker, "_target", None)
        if self.user_callable(target):
            return str(getattr(target, "__qualname__", "?"))
        run = type(worker).run
        if self.user_callable(run):
            return str(run.__qualname__)
        return None

    def task(self, name: str, t0: int, t1: int) -> None:
        with _suppress():
            self.emit({"ev": "task", "name": name, "t0": t0, "t1": t1})


class _suppress:
    """contextlib.suppress(Exception) without importing contextlib at start-up."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> bool:
        return kind is not None and issubclass(kind, Exception)


_recorder: Recorder | None = None


def install(directory: str | None = None, script: str | None = None) -> bool:
    """Start tracing this process. True if it did; never raises."""
    global _recorder
    try:
        directory = directory or os.environ.get(TRACE_DIR_ENV)
        script = script or os.environ.get(TRACE_SCRIPT_ENV)
        if not directory or not script or _recorder is not None:
            return False
        kind = _process_kind()
        if kind == "resource_tracker":
            return False  # multiprocessing's bookkeeping process: nothing of the example
        rec = _recorder = Recorder(directory, script)
        rec.emit({"ev": "proc", "ppid": os.getppid(), "kind": kind})
        import atexit

        # Registered before multiprocessing's own exit handler, so it runs after it
        # (atexit is last in, first out): the main process ends once its children joined.
        atexit.register(_safe, rec.end_process)
        os.register_at_fork(after_in_child=lambda: _safe(rec.after_fork_in_child))
        _patch_os_exit(rec)
        import threading

        _patch_threading(rec, threading)
        _PatchOnImport.install(
            {
                "queue": _patch_queue,
                "multiprocessing.process": _patch_mp_process,
                "multiprocessing.synchronize": _patch_mp_synchronize,
                "multiprocessing.queues": _patch_mp_queues,
                "multiprocessing.pool": _patch_mp_pool,
                "concurrent.futures.process": _patch_process_pool_executor,
                "concurrent.futures.thread": _patch_thread_pool_executor,
            }
        )
        return True
    except Exception:
        return False


def _safe(func: Callable[[], object]) -> None:
    with _suppress():
        func()


def _process_kind() -> str:
    argv = list(getattr(sys, "orig_argv", sys.argv))
    if "--multiprocessing-fork" in argv:
        return "spawn"
    code = argv[argv.index("-c") + 1] if "-c" in argv[:-1] else ""
    if "resource_tracker" in code:
        return "resource_tracker"
    if "forkserver" in code:
        return "forkserver"
    return "python"


def _patch_os_exit(rec: Recorder) -> None:
    # multiprocessing children end with os._exit, which skips atexit.
    real_exit = os._exit

    def _exit(code: int) -> None:
        _safe(rec.end_process)
        real_exit(code)

    os._exit = _exit  # type: ignore[assignment]


def _patch_threading(rec: Recorder, threading: ModuleType) -> None:
    real_bootstrap_inner = threading.Thread._bootstrap_inner

    # Wraps _bootstrap_inner rather than run(): the frame that catches the thread's exception
    # stays the library's, so a traceback printed by threading.excepthook is unchanged.
    def _bootstrap_inner(self: Any) -> None:
        unit = None
        with _suppress():
            unit = rec.unit_name(self)
            rec.emit({"ev": "thread", "name": self.name, "user": unit is not None})
        started = _now()
        try:
            real_bootstrap_inner(self)
        finally:
            if unit is not None:
                rec.task(unit, started, _now())
            with _suppress():
                rec.emit({"ev": "thread_end", "name": self.name})

    threading.Thread._bootstrap_inner = _bootstrap_inner
    real_lock, real_rlock = threading.Lock, threading.RLock

    def Lock() -> Any:
        lock = real_lock()
        frame = rec.called_from_script(1)
        return lock if frame is None else _traced(rec, _TracedLock, lock, frame)

    def RLock(*args: Any, **kwargs: Any) -> Any:
        lock = real_rlock(*args, **kwargs)
        frame = rec.called_from_script(1)
        return lock if frame is None else _traced(rec, _TracedRLock, lock, frame)

    threading.Lock, threading.RLock = Lock, RLock


def _traced(rec: Recorder, cls: type[_TracedLock], lock: Any, frame: FrameType) -> _TracedLock:
    key = rec.new_key()
    rec.emit({"ev": "lock_new", "lock": key, "kind": "thread", "line": frame.f_lineno})
    return cls(rec, lock, key)


class _TracedLock:
    """A threading.Lock that reports each hold; everything else is the real lock's."""

    __slots__ = ("_depth", "_key", "_lock", "_rec", "_t0", "_tid", "_tw")

    def __init__(self, rec: Recorder, lock: Any, key: str) -> None:
        self._rec, self._lock, self._key = rec, lock, key
        self._depth = self._t0 = self._tw = self._tid = 0

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        waited = _now()
        got = self._lock.acquire(blocking, timeout)
        if got:
            self._depth += 1
            if self._depth == 1:
                self._tw, self._t0, self._tid = waited, _now(), _thread_id()
        return got

    __enter__ = acquire

    def release(self) -> None:
        released = _now()
        # Read the hold before releasing: the next holder overwrites it at once.
        depth, tw, t0, tid = self._depth, self._tw, self._t0, self._tid
        self._depth = depth - 1 if depth > 0 else 0
        try:
            self._lock.release()
        except BaseException:
            self._depth = depth
            raise
        if depth == 1:
            self._report(tw, t0, released, tid)

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _report(self, tw: int, t0: int, t1: int, tid: int) -> None:
        with _suppress():
            self._rec.hold(self._key, tid, tw, t0, t1)

    def locked(self) -> bool:
        return self._lock.locked()

    def _at_fork_reinit(self) -> None:
        self._lock._at_fork_reinit()
        self._depth = 0

    def __repr__(self) -> str:
        return repr(self._lock)


class _TracedRLock(_TracedLock):
    """Adds what threading.Condition uses of an RLock (wait() releases it completely)."""

    __slots__ = ()

    def _is_owned(self) -> bool:
        return self._lock._is_owned()

    def _release_save(self) -> Any:
        released, tw, t0, tid = _now(), self._tw, self._t0, self._tid
        state = self._lock._release_save()
        self._depth = 0
        self._report(tw, t0, released, tid)
        return state

    def _acquire_restore(self, state: Any) -> None:
        waited = _now()
        self._lock._acquire_restore(state)
        self._depth = state[0]
        self._tw, self._t0, self._tid = waited, _now(), _thread_id()


def _patch_queue(rec: Recorder, module: ModuleType) -> None:
    queue_class = module.Queue  # LifoQueue and PriorityQueue inherit put and get
    real_init, real_put, real_get = queue_class.__init__, queue_class.put, queue_class.get

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        with _suppress():
            if rec.called_from_script(1) is not None:
                self._example_trace_key = key = rec.new_key()
                rec.emit({"ev": "queue_new", "queue": key, "kind": "thread"})

    def put(self: Any, item: Any, *args: Any, **kwargs: Any) -> None:
        real_put(self, item, *args, **kwargs)
        key = getattr(self, "_example_trace_key", None)
        if key is not None:
            _queue_event(rec, "put", key, item)

    def get(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = real_get(self, *args, **kwargs)
        key = getattr(self, "_example_trace_key", None)
        if key is not None:
            _queue_event(rec, "get", key, item)
        return item

    queue_class.__init__, queue_class.put, queue_class.get = __init__, put, get


def _queue_event(rec: Recorder, kind: str, key: str, item: object) -> None:
    with _suppress():
        rec.emit({"ev": kind, "queue": key, "item": short_repr(item)})


def semlock_key(lock: Any) -> str:
    """Names the same multiprocessing lock in every process: spawn and forkserver children
    rebuild it from its name; fork children share the parent's handle (no name)."""
    semlock = lock._semlock
    return semlock.name or f"h{semlock.handle}"


def _patch_mp_process(rec: Recorder, module: ModuleType) -> None:
    real_bootstrap = module.BaseProcess._bootstrap

    def _bootstrap(self: Any, *args: Any, **kwargs: Any) -> int:
        unit = None
        with _suppress():
            unit = rec.unit_name(self)
            rec.emit({"ev": "proc_name", "name": self.name, "target": unit})
        started = _now()
        try:
            return real_bootstrap(self, *args, **kwargs)
        finally:
            if unit is not None:
                rec.task(unit, started, _now())
            with _suppress():
                rec.end_process()

    real_cleanup = module._cleanup

    def _cleanup() -> None:
        # BaseProcess.start() calls _cleanup() first: the moment the parent asked for the
        # child (the gap to the child's first event is its start-up cost). Wrapping start()
        # itself would add a frame to the traceback of a start() that fails.
        real_cleanup()
        with _suppress():
            caller = sys._getframe(1)
            process = caller.f_locals.get("self") if caller.f_code.co_name == "start" else None
            if isinstance(process, module.BaseProcess):
                rec.emit({"ev": "proc_start", "name": process.name})

    module.BaseProcess._bootstrap = _bootstrap
    module._cleanup = _cleanup


def _patch_mp_synchronize(rec: Recorder, module: ModuleType) -> None:
    for cls in (module.Lock, module.RLock):
        _patch_semlock_class(rec, cls)


def _patch_semlock_class(rec: Recorder, cls: type) -> None:
    real_init = cls.__init__
    real_make_methods = cls._make_methods  # type: ignore[attr-defined]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        with _suppress():
            # mp.Lock() -> context.Lock -> here: the example is at most two frames up.
            frame = rec.called_from_script(2)
            if frame is not None:
                key = semlock_key(self)
                rec.emit({"ev": "lock_new", "lock": key, "kind": "process", "line": frame.f_lineno})

    def _make_methods(self: Any) -> None:
        # Runs on creation and again on unpickling in a spawn child: every copy reports.
        real_make_methods(self)
        with _suppress():
            key = semlock_key(self)
            self.acquire, self.release = _semlock_methods(rec, key, self.acquire, self.release)

    def __enter__(self: Any) -> bool:
        return self.acquire()

    def __exit__(self: Any, *exc: object) -> None:
        return self.release()

    cls.__init__, cls._make_methods = __init__, _make_methods  # type: ignore[attr-defined]
    cls.__enter__, cls.__exit__ = __enter__, __exit__  # type: ignore[attr-defined]


def _semlock_methods(
    rec: Recorder, key: str, acquire: Callable[..., bool], release: Callable[[], None]
) -> tuple[Callable[..., bool], Callable[[], None]]:
    # A process-local hold: which thread of this process holds it and since when. A forked
    # copy starts with its own state, like the closure it inherits.
    hold = [0, 0, 0, 0]  # depth, tw, t0, tid

    def traced_acquire(*args: Any, **kwargs: Any) -> bool:
        waited = _now()
        got = acquire(*args, **kwargs)
        if got:
            hold[0] += 1
            if hold[0] == 1:
                hold[1:] = [waited, _now(), _thread_id()]
        return got

    def traced_release() -> None:
        released = _now()
        depth, tw, t0, tid = hold
        release()
        hold[0] = depth - 1 if depth > 0 else 0
        if depth == 1:
            with _suppress():
                rec.hold(key, tid, tw, t0, released)

    return traced_acquire, traced_release


def _patch_mp_queues(rec: Recorder, module: ModuleType) -> None:
    # Every copy of a queue reports (a spawn child cannot know who created it);
    # load_events() keeps only the queues whose creation the example's code made.
    queue_class = module.Queue
    real_init, real_put, real_get = queue_class.__init__, queue_class.put, queue_class.get
    real_joinable_put = module.JoinableQueue.put

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        with _suppress():
            if rec.called_from_script(2) is not None:
                rec.emit({"ev": "queue_new", "queue": semlock_key(self._rlock), "kind": "process"})

    def put(self: Any, obj: Any, *args: Any, **kwargs: Any) -> None:
        real_put(self, obj, *args, **kwargs)
        with _suppress():
            _queue_event(rec, "put", semlock_key(self._rlock), obj)

    def joinable_put(self: Any, obj: Any, *args: Any, **kwargs: Any) -> None:
        real_joinable_put(self, obj, *args, **kwargs)
        with _suppress():
            _queue_event(rec, "put", semlock_key(self._rlock), obj)

    def get(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = real_get(self, *args, **kwargs)
        with _suppress():
            _queue_event(rec, "get", semlock_key(self._rlock), item)
        return item

    queue_class.__init__, queue_class.put, queue_class.get = __init__, put, get
    module.JoinableQueue.put = joinable_put


def _patch_mp_pool(rec: Recorder, module: ModuleType) -> None:
    # The worker loop gets a task from its inbound queue, runs it, puts the result on its
    # outbound queue: timing between the two sees each task without a frame of ours between
    # the worker and the example's function (its tracebacks are sent to the parent).
    real_worker = module.worker
    chunked = (module.mapstar, module.starmapstar)

    def name_of(task: Any) -> str:
        _job, _i, func, args, _kwargs = task
        if func in chunked:
            func, chunk = args[0]
            return _callable_name(func, len(chunk))
        return _callable_name(func)

    def worker(inqueue: Any, outqueue: Any, *args: Any, **kwargs: Any) -> None:
        inbox, outbox = _handover_queues(rec, inqueue, outqueue, name_of)
        return real_worker(inbox, outbox, *args, **kwargs)

    # Pickled by reference when a spawn child is started: it must be found under this name.
    worker.__module__, worker.__qualname__ = real_worker.__module__, real_worker.__qualname__
    module.worker = worker


def _patch_process_pool_executor(rec: Recorder, module: ModuleType) -> None:
    real_worker = module._process_worker

    def name_of(call_item: Any) -> str:
        func = call_item.fn
        if getattr(func, "func", None) is module._process_chunk:  # map(): a chunk of calls
            return _callable_name(func.args[0], len(call_item.args[0]))
        return _callable_name(func)

    def _process_worker(call_queue: Any, result_queue: Any, *args: Any, **kwargs: Any) -> None:
        inbox, outbox = _handover_queues(rec, call_queue, result_queue, name_of)
        return real_worker(inbox, outbox, *args, **kwargs)

    _process_worker.__module__ = real_worker.__module__
    _process_worker.__qualname__ = real_worker.__qualname__
    module._process_worker = _process_worker


def _patch_thread_pool_executor(rec: Recorder, module: ModuleType) -> None:
    # _WorkItem.run catches the task's exception in its own frame: wrapping it from outside
    # leaves the traceback that future.result() raises unchanged.
    real_run = module._WorkItem.run

    def run(self: Any) -> None:
        started = _now()
        try:
            real_run(self)
        finally:
            rec.task(_callable_name(self.fn), started, _now())

    module._WorkItem.run = run


def _callable_name(func: object, chunk: int = 1) -> str:
    name = getattr(func, "__qualname__", None) or type(func).__name__
    return f"{name} ×{chunk}" if chunk > 1 else str(name)


def _handover_queues(
    rec: Recorder, inbound: Any, outbound: Any, name_of: Callable[[Any], str]
) -> tuple[_Inbox, _Outbox]:
    pending: list[Any] = []  # [started, name] of the task being run
    return _Inbox(inbound, pending, name_of), _Outbox(outbound, pending, rec)


class _Inbox:
    """A worker's task queue, noting when each task was taken."""

    def __init__(self, queue: Any, pending: list[Any], name_of: Callable[[Any], str]) -> None:
        self._queue, self._pending, self._name_of = queue, pending, name_of

    def get(self, *args: Any, **kwargs: Any) -> Any:
        task = self._queue.get(*args, **kwargs)
        with _suppress():
            self._pending[:] = [] if task is None else [_now(), self._name_of(task)]
        return task

    def __getattr__(self, name: str) -> Any:
        return getattr(self._queue, name)


class _Outbox:
    """A worker's result queue, reporting the task whose result it carries."""

    def __init__(self, queue: Any, pending: list[Any], rec: Recorder) -> None:
        self._queue, self._pending, self._rec = queue, pending, rec

    def put(self, *args: Any, **kwargs: Any) -> None:
        # Reported before the result leaves: once the parent has the last result it may
        # terminate() the worker (Pool.__exit__ does), and the report would be lost.
        if self._pending:
            started, name = self._pending
            self._pending.clear()
            self._rec.task(name, started, _now())
        self._queue.put(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._queue, name)


class _PatchOnImport:
    """A meta-path finder that patches a module right after its first import."""

    def __init__(self, patches: dict[str, Callable[[Recorder, ModuleType], None]]) -> None:
        self.patches = patches

    @classmethod
    def install(cls, patches: dict[str, Callable[[Recorder, ModuleType], None]]) -> None:
        finder = cls(dict(patches))
        for name in list(finder.patches):
            if name in sys.modules:  # imported before us (sitecustomize's start method)
                finder.apply(name, sys.modules[name])
        sys.meta_path.insert(0, finder)  # type: ignore[arg-type]

    def apply(self, name: str, module: ModuleType) -> None:
        patch = self.patches.pop(name, None)
        if patch is not None and _recorder is not None:
            with _suppress():
                patch(_recorder, module)

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in self.patches:
            return None
        try:
            from importlib.machinery import PathFinder

            spec = PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return None
            real_exec = spec.loader.exec_module

            def exec_module(module: ModuleType) -> None:
                real_exec(module)
                self.apply(name, module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec
        except Exception:
            return None


def load_events(directory: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every event of a trace, in time order, keeping only the locks and queues that the
    example itself created. A line cut short by a killed process is skipped."""
    import json
    from pathlib import Path

    events: list[dict[str, Any]] = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and "ev" in event and "t" in event:
                events.append(event)
    locks = {e["lock"] for e in events if e["ev"] == "lock_new"}
    queues = {e["queue"] for e in events if e["ev"] == "queue_new"}
    kept = [
        e
        for e in events
        if (e["ev"] != "lock" or e.get("lock") in locks)
        and (e["ev"] not in ("put", "get") or e.get("queue") in queues)
    ]
    kept.sort(key=lambda e: (e["t"], e["pid"]))
    return kept
