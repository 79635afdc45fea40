"""Find and kill every process of one example run, wherever it went, and reap what we adopted.

A run's processes are its leader and all its descendants, including those that left the
leader's process group or session (``os.setsid()``, a double fork: any daemonising code).
Several runs go on at once in threads of one build process, beside the processes of
``mkdocs build``; a run kills only its own processes.

How a run's processes are recognised (the design, and why):

- **A token in the environment.** Every run gets a random ``EXAMPLE_RUN_TOKEN``; every
  descendant inherits it, whatever group or session it moves to, and it is read from
  outside (``/proc/<pid>/environ``; psutil elsewhere). This works unprivileged, in
  containers, on macOS and on Windows. A cgroup would also catch a process that drops its
  environment, but needs delegation (systemd, root) that a developer's machine or a
  container does not always grant, and macOS has none. A process reads as having no
  environment while it is in execve: such a read is made again (``_environment``).
- **The session.** The leader starts a new session, and the leader is reaped last, so its
  pid names that session for the whole kill: a process still in it belongs to the run
  even if it emptied its environment. The session's first process group is killed at
  once (``killpg``, which the kernel makes atomic against a concurrent ``fork``).
- **Linux: the build process is a child subreaper** (``prctl(PR_SET_CHILD_SUBREAPER)``,
  as ``tini -s`` and systemd's user manager are). An orphan is then re-parented to the
  build process instead of init, so that every process of every run stays in the build's
  own process tree: finding them means walking that small tree
  (``/proc/<pid>/task/*/children``) rather than every process of the machine, and their
  zombies are ours to reap. Processes are signalled through a pidfd opened before
  checking that they are the run's, so a recycled pid is never signalled.
- **Kill until nothing is left.** A process may fork, or exit and hand its children
  over, while it is being killed; so the kill walks again until a walk, made after every
  process it killed has exited, finds none of the run's processes alive (and a walk reads
  the build's own children again until none is new: see ``_descendants``). A walk that
  finds none is confirmed by looks at every process born after the build process (the
  older ones are held by pidfd and not read again: ``_OlderProcesses``).
- Elsewhere (macOS, Windows, a Linux without pidfds or ``children`` files, or one that
  refused the subreaper) the same loop scans every process with psutil, reading only
  those born after the leader; psutil's ``kill()`` checks that the pid was not reused.
  On Windows, which has no process groups to kill, the leader's tree is killed first
  (``kill_tree``), as before.

What stays out of reach, honestly: a process that both empties its environment and
leaves the session, and on macOS a process whose environment the system refuses to show
(hardened binaries).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

RUN_TOKEN_ENV = "EXAMPLE_RUN_TOKEN"
KILL_DEADLINE_S = 10.0  # a SIGKILLed process exits in microseconds; this is a safety net
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>
# A run is over only when two looks at every process, a moment apart, find none of it.
# Each look is careful (pids listed again until none is new), yet in full test sessions
# under load a chain forking in new sessions outlived a single empty look; the
# second look costs a few milliseconds per run and catches whatever the first missed.
CONFIRMING_LOOKS = 2
CONFIRMING_PAUSE_S = 0.002
EMPTY_ENVIRON_WAIT_S = 0.05  # how long a process may read as having no environment
_LINUX = sys.platform.startswith("linux")
_WINDOWS = sys.platform == "win32"

# Held while a leader is started and registered, and while adopted zombies are reaped, so
# that a sweep never reaps a leader that its own thread is about to wait for.
_LOCK = threading.Lock()
_LEADERS: set[int] = set()  # pids of the leaders of runs going on in this process
_subreaper_pid: int | None = None  # the process that became a subreaper (not its forks)


def _undo_ignored_sigint() -> None:
    """Let examples receive SIGINT as a terminal program does.

    A process started in the background by a non-interactive shell (`make test &`, some
    CI runners) has SIGINT ignored, and an ignored signal stays ignored across exec: every
    example would inherit it, and one that shows Ctrl+C (raise_signal(SIGINT)) would go on
    as if nothing happened. A handled signal is reset to its default at exec instead, so
    handling it here gives every run the default disposition. Only the main thread may set
    a handler, and the engine's modules are imported there.
    """
    if (
        hasattr(signal, "SIGINT")
        and signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        and threading.current_thread() is threading.main_thread()
    ):
        signal.signal(signal.SIGINT, signal.default_int_handler)


_undo_ignored_sigint()


def become_subreaper() -> bool:
    """Make this process a child subreaper (Linux): orphans of its descendants come to it.

    True when this process is one. Harmless to call again; a forked child is not one.
    """
    global _subreaper_pid
    with _LOCK:
        if _subreaper_pid != os.getpid() and _LINUX:
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0:
                    _subreaper_pid = os.getpid()
            except (OSError, AttributeError):
                pass
        return _subreaper_pid == os.getpid()


def _is_subreaper() -> bool:
    return _subreaper_pid == os.getpid()


@dataclass(frozen=True)
class _Stat:
    pid: int
    state: str  # "R", "S", "D", "Z" (zombie), ...
    ppid: int
    session: int
    started: int  # when it was born, in clock ticks after boot (the kernel's starttime)


def _stat(pid: int) -> _Stat | None:
    """What /proc/<pid>/stat says, or None if the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    # The command name is in parentheses and may hold anything, parentheses included.
    fields = data[data.rindex(b")") + 2 :].split()
    return _Stat(pid, fields[0].decode(), int(fields[1]), int(fields[3]), int(fields[19]))


def _children(pid: int) -> list[int]:
    """The children of every thread of `pid` (an adopted orphan goes to one of them)."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found: list[int] = []
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
                found += map(int, f.read().split())
        except OSError:
            continue
    return found


def _descendants(pid: int) -> list[_Stat]:
    """Every process under `pid` (a subreaper: this process), zombies included.

    A walk is not atomic: a process whose parent exits while we walk moves to `pid`
    (possibly after we read its old parent's children, before we read `pid`'s). So
    the children of `pid` are read again after the walk, until no new one appeared: a
    process that moved meanwhile is found then.
    """
    found: list[_Stat] = []
    seen: set[int] = set()
    while new := [child for child in _children(pid) if child not in seen]:
        stack = new
        while stack:
            parent = stack.pop()
            seen.add(parent)
            if (info := _stat(parent)) is not None:
                found.append(info)
                stack += [child for child in _children(parent) if child not in seen]
    return found


class _OlderProcesses:
    """The processes born before this one, held by pidfd: a scan skips them unread.

    No process of a run is older than the build process that started its leader, so a
    scan need not read the stat of the machine's other processes, which costs about as
    much as the rest of the kill (0.1 ms a file under load, a hundred files). A pidfd
    tells when its process exited, after which its pid may name a new process: that
    pid is read again. At most `LIMIT` are held, well under the usual 1024 open files.
    """

    LIMIT = 512

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner = 0  # the pid of the process that holds the pidfds (not its forks)
        self._born = 0  # when the owner was born (starttime)
        self._fds: dict[int, int] = {}  # pid -> pidfd

    def born(self) -> int:
        """When this process was born; a fork starts afresh with its own birth."""
        if self._owner != os.getpid():
            info = _stat(os.getpid())
            self._owner, self._born, self._fds = os.getpid(), info.started if info else 0, {}
        return self._born

    def alive(self) -> set[int]:
        """The pids held whose processes have not exited; the others are let go."""
        with self._lock:
            self.born()
            if self._fds:
                _wait_for_exits(self._fds, timeout_ms=0)
            return set(self._fds)

    def hold(self, info: _Stat) -> None:
        """Hold an older process by pidfd, if it still is the process `info` describes."""
        with self._lock:
            if info.pid in self._fds or len(self._fds) >= self.LIMIT:
                return
            try:
                fd = os.pidfd_open(info.pid)
            except OSError:
                return
            again = _stat(info.pid)  # read with the pidfd held: the pid is not reused now
            if again is None or again.started != info.started:
                os.close(fd)
                return
            self._fds[info.pid] = fd


_OLDER = _OlderProcesses()


def _every_process() -> list[_Stat]:
    """Every process on the machine born after this one (no older one can be a run's).

    Listing /proc is not atomic either: a process born while it is read (its parent read
    before its birth, or gone by then) is missing from the first list, so pids are listed
    again until none is new.
    """
    born = _OLDER.born()
    older = _OLDER.alive()
    found: list[_Stat] = []
    seen: set[int] = set()
    while new := {int(p) for p in os.listdir("/proc") if p.isdigit()} - seen:
        seen |= new
        for pid in sorted(new - older):
            if (info := _stat(pid)) is None:
                continue
            if info.started < born:
                _OLDER.hold(info)
            else:
                found.append(info)
    return found


def _fast_path_available() -> bool:
    """Linux with pidfds and /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN)."""
    if not (_LINUX and hasattr(os, "pidfd_open") and hasattr(signal, "pidfd_send_signal")):
        return False
    return os.path.exists(f"/proc/{os.getpid()}/task/{threading.get_native_id()}/children")


_FAST_PATH = _fast_path_available()


def _alive(proc: Any) -> bool:
    """A psutil.Process that still runs (a zombie has ended; a reused pid is not it)."""
    import psutil

    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def kill_tree(pid: int, deadline_s: float = KILL_DEADLINE_S) -> list[int]:
    """Kill `pid` and every descendant that psutil links to it by parent id.

    What the runner does first on Windows, where there are no process groups. Deepest
    first, while their parents still link them to `pid`, and again until no descendant
    is left alive (one may fork meanwhile); `pid` last. Returns the pids it killed.
    A descendant whose parent had already exited is not linked any more: the run's token
    finds it (RunProcesses.kill).
    """
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return []
    killed: dict[int, psutil.Process] = {}
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            tree = [p for p in root.children(recursive=True) if _alive(p)]
        except psutil.NoSuchProcess:
            break
        if not tree:
            break
        for proc in reversed(tree):  # children() lists parents before their children
            if killed.get(proc.pid) == proc:
                continue  # killed already, not dead yet
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                proc.kill()
                killed[proc.pid] = proc
        time.sleep(0.001)
    with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
        root.kill()
        killed[pid] = root
    return list(killed)


def reap_adopted() -> list[int]:
    """Reap the zombies this process adopted as a subreaper; returns their pids.

    Our only children in another session than ours are run leaders (registered, and
    waited for by their own thread) and processes that came to us as orphans: the
    runner starts each leader in a session of its own, every process of a run stays in
    that session or moves to a new one, and nothing else in the engine starts a child
    in a new session. Children in our session (mkdocs builds) are never touched.
    """
    if not _is_subreaper():
        return []
    reaped = []
    own_session = os.getsid(0)
    with _LOCK:
        for pid in _children(os.getpid()):
            info = _stat(pid)
            if info is None or info.state != "Z" or info.session == own_session:
                continue
            if pid in _LEADERS:
                continue
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    reaped.append(pid)
    return reaped


class RunProcesses:
    """The processes of one example run: started by `start`, all ended by `kill`."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(16)
        self._marker = f"\0{RUN_TOKEN_ENV}={self.token}\0".encode()
        self.proc: subprocess.Popen | None = None
        self.killed: set[int] = set()  # every pid this run killed itself (not by group)

    def start(self, args: Sequence[str], *, env: dict[str, str], **popen: Any) -> subprocess.Popen:
        """Start the leader in a new session (POSIX) or process group (Windows)."""
        become_subreaper()
        if _WINDOWS:
            popen["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            popen["start_new_session"] = True
        with _LOCK:
            self.proc = subprocess.Popen(args, env={**env, RUN_TOKEN_ENV: self.token}, **popen)
            _LEADERS.add(self.proc.pid)
        if _LINUX:
            keep_priority(self.proc.pid)
        return self.proc

    def kill(self) -> None:
        """Kill every process of the run until none is left, and reap the adopted ones.

        The leader is killed but not reaped (`wait` does it): while it is a zombie, its
        pid cannot name another process, group or session.
        """
        assert self.proc is not None
        leader = self.proc.pid
        if _WINDOWS:
            kill_tree(leader)
        else:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(leader, signal.SIGKILL)
        # Our own tree holds every process of the run only if we are a subreaper.
        if _FAST_PATH and _is_subreaper():
            self._kill_walking_own_tree(leader)
        else:
            self._kill_scanning_everything(leader)
        reap_adopted()

    def wait(self) -> int:
        """Reap the leader (after `kill`) and return its exit code."""
        assert self.proc is not None
        with _LOCK:
            code = self.proc.wait()
            _LEADERS.discard(self.proc.pid)
        return code

    def _carries_token(self, pid: int) -> bool:
        def read() -> bytes:
            with open(f"/proc/{pid}/environ", "rb") as f:
                return f.read()

        def ended() -> bool:
            info = _stat(pid)
            return info is None or info.state in ("Z", "X")

        environ = _environment(read, ended)
        return environ is not None and self._marker in b"\0" + environ

    def _is_ours(self, info: _Stat, leader: int, born: int) -> bool:
        if info.state in ("Z", "X"):  # a zombie has ended: nothing to kill
            return False
        # Born before the leader: not the run's, whatever it inherited, even in a session
        # whose id is the leader's pid (an older session whose own leader's pid was
        # reused). This also spares reading the environment of nearly every process.
        if info.started < born:
            return False
        return info.session == leader or self._carries_token(info.pid)

    def _kill_walking_own_tree(self, leader: int) -> None:
        """Linux, as a subreaper: every process of the run is in our own tree."""
        pending: dict[int, int] = {}  # pid -> pidfd of a killed process that has not exited
        deadline = time.monotonic() + KILL_DEADLINE_S
        # A walk that finds nothing is confirmed by looks at every process: the
        # kernel's children lists can miss a process that moves between them while they
        # are read (an orphan passed from one of our threads to another as it exits,
        # seen under load with many threads): rare, but a process must never escape.
        leader_stat = _stat(leader)  # not reaped yet, so readable even if it has exited
        born = leader_stat.started if leader_stat is not None else 0
        everything = False
        empty_looks = 0  # looks at every process in a row that found none of the run
        try:
            while True:
                # Alive in the walk: even if it exits before it is killed, it may have
                # forked meanwhile, so it takes another walk to be sure.
                found = []
                looked_at = _every_process() if everything else _descendants(os.getpid())
                for info in looked_at:
                    if info.pid in pending or not self._is_ours(info, leader, born):
                        continue
                    found.append(info.pid)
                    try:
                        fd = os.pidfd_open(info.pid)
                    except OSError:
                        continue  # gone already
                    # Checked again once the pidfd holds the process: a pid recycled
                    # since the walk names another process, which fails this check.
                    again = _stat(info.pid)
                    if again is None or not self._is_ours(again, leader, born):
                        os.close(fd)
                        continue
                    try:
                        signal.pidfd_send_signal(fd, signal.SIGKILL)
                    except OSError:
                        os.close(fd)
                        continue
                    pending[info.pid] = fd
                    self.killed.add(info.pid)
                if not found and not pending:
                    if everything:
                        empty_looks += 1
                        if empty_looks == CONFIRMING_LOOKS:
                            return  # every killed process exited, and none alive anywhere
                        time.sleep(CONFIRMING_PAUSE_S)
                    everything = True
                    continue
                everything = False
                empty_looks = 0
                if time.monotonic() > deadline:
                    raise RuntimeError(self._survivors(sorted({*pending, *found})))
                if pending:
                    _wait_for_exits(pending, timeout_ms=10)
        finally:
            for fd in pending.values():
                os.close(fd)

    def _kill_scanning_everything(self, leader: int) -> None:
        """Any OS: scan every process with psutil; its kill() checks for a reused pid."""
        import psutil

        killed: dict[int, psutil.Process] = {}
        deadline = time.monotonic() + KILL_DEADLINE_S
        # Every process of the run was born after its leader: older ones are not read.
        try:
            born = psutil.Process(leader).create_time()
        except psutil.Error:
            born = 0.0
        empty_looks = 0
        while True:
            found = []
            # A scan is not atomic: a process born while it goes on (its parent checked
            # before its birth, or after its parent's death) is missing from the list of
            # pids it started with. So pids are listed again until none is new.
            seen: set[int] = set()
            while new := set(psutil.pids()) - seen:
                seen |= new
                for pid in new:
                    if pid in killed and _alive(killed[pid]):
                        continue  # killed, not exited yet
                    try:
                        proc = psutil.Process(pid)
                        if proc.create_time() < born:
                            continue
                    except psutil.Error:
                        continue
                    if not self._psutil_is_ours(proc, leader):
                        continue
                    found.append(pid)  # even if it exits before it is killed (see above)
                    with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                        proc.kill()
                        killed[pid] = proc
                        self.killed.add(pid)
            left = [pid for pid, proc in killed.items() if _alive(proc)]
            if not found and not left:
                empty_looks += 1
                if empty_looks == CONFIRMING_LOOKS:
                    return
                time.sleep(CONFIRMING_PAUSE_S)
                continue
            empty_looks = 0
            if time.monotonic() > deadline:
                raise RuntimeError(self._survivors(sorted({*left, *found})))
            time.sleep(0.002)

    def _psutil_is_ours(self, proc: Any, leader: int) -> bool:
        import psutil

        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                return False
        except psutil.Error:
            return False
        if not _WINDOWS:
            with contextlib.suppress(OSError):
                if os.getsid(proc.pid) == leader:
                    return True
        environ = _environment(proc.environ, lambda: not _alive(proc))
        return environ is not None and environ.get(RUN_TOKEN_ENV) == self.token

    def _survivors(self, pids: list[int]) -> str:
        assert self.proc is not None
        return (
            f"processes of the run {self.proc.args!r} still alive {KILL_DEADLINE_S:g} s "
            f"after being killed: pid(s) {', '.join(map(str, pids))}"
        )


E = TypeVar("E", bytes, dict)  # /proc's raw environ, or psutil's


def keep_priority(leader: int, nice: int | None = None) -> None:
    """Give the new session of `leader` the nice value of the thread that started it
    (or `nice`).

    With the kernel's autogroups (``sched_autogroup_enabled``, on by default in Debian's
    and most distributions' kernels), each session is a scheduling group of its own, and
    the groups share the CPU by the group's nice value, 0 for a new one, not by the nice
    values of the processes in it. A run started at nice 10 (the test suite's background
    work: tests/background.py) would otherwise take the CPU from everything at nice 0 as
    much as any of them. Raising a group's nice value needs no privilege; a run started
    at nice 0, as a build starts them, is left as it is.
    """
    if nice is None:
        nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    if nice <= 0:
        return
    group = autogroup(leader)
    own = autogroup("self")
    if group is None or (own is not None and group[0] == own[0]):
        return  # no group of its own: writing would lower this process's group
    # OSError: the leader ended meanwhile.
    with contextlib.suppress(OSError), open(f"/proc/{leader}/autogroup", "w") as f:
        f.write(str(nice))


def autogroup(pid: int | str) -> tuple[str, int] | None:
    """The scheduling group of `pid`'s session and its nice value ("/autogroup-42", 0).

    None: no autogroups (not Linux, or a kernel built without them), the process is gone,
    or it is in no autogroup: the kernel prints nothing for a process of the root group
    (seen on CI, for the test session itself), while the new sessions it starts are
    groups of their own all the same.
    """
    try:
        with open(f"/proc/{pid}/autogroup") as f:
            fields = f.read().split()
    except OSError:
        return None
    if len(fields) != 3:
        return None
    return fields[0], int(fields[2])


def _environment(read: Callable[[], E], ended: Callable[[], bool]) -> E | None:
    """The environment a process started with, by `read`; None if it cannot be read.

    A process reads as having no environment at all while it is in execve (between
    installing its new address space and laying out its new stack: seen here for tens
    of microseconds after `Popen` returned) and while it exits. A run's process that
    left the session and is exec'ing would pass for a stranger; so an empty environment
    is read again until it is not, the process has ended, or `EMPTY_ENVIRON_WAIT_S`
    passed (a process really started with none).
    """
    deadline = time.monotonic() + EMPTY_ENVIRON_WAIT_S
    while True:
        try:
            environ = read()
        except Exception:  # OSError, or psutil.Error (psutil is imported where it is used)
            return None
        if environ or ended() or time.monotonic() > deadline:
            return environ
        time.sleep(0.0002)


def _wait_for_exits(pending: dict[int, int], timeout_ms: int) -> None:
    """Wait until a pidfd in `pending` says its process exited; forget those that did."""
    poller = select.poll()
    for fd in pending.values():
        poller.register(fd, select.POLLIN)
    ready = {fd for fd, _ in poller.poll(timeout_ms)}
    for pid, fd in list(pending.items()):
        if fd in ready:
            os.close(fd)
            del pending[pid]
