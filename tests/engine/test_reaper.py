"""No process outlives its example, even one that left the group or session; nothing else dies.

Each escape fixture holds its run open (fixtures/rendezvous.py) until the test has seen,
with psutil, the escaped process alive in a session of its own; then the test lets the
run end and checks that this very process (pid and start time) is gone and reaped.
Each way of finding a run's processes is tested here on Linux: walking the build
process's own tree (Linux), scanning every process (macOS, Windows), and scanning without
a subreaper, orphans going to init (macOS, where only this one runs).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from example_engine import reaper
from example_engine.runner import RunResult, process_alive, run_example

FIXTURES = "tests/engine/fixtures"
REPO_ROOT = Path(__file__).resolve().parents[2]
POSIX_ONLY = pytest.mark.skipif(
    sys.platform == "win32", reason="os.fork and os.setsid exist on POSIX only"
)
LINUX_ONLY = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="child subreapers exist on Linux only"
)


@pytest.fixture(
    params=[
        pytest.param("own-tree", marks=LINUX_ONLY),
        pytest.param("scan", marks=LINUX_ONLY),
        "scan-no-subreaper",  # as on macOS: orphans go to init (or launchd)
    ]
)
def finder(request, monkeypatch) -> Iterator[str]:
    """Each way of finding a run's processes: the build's own tree, or every process."""
    if request.param != "own-tree":
        monkeypatch.setattr(reaper, "_FAST_PATH", False)
    if request.param == "scan-no-subreaper" and reaper.become_subreaper():
        ctypes.CDLL(None).prctl(reaper.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        monkeypatch.setattr(reaper, "_subreaper_pid", None)
        monkeypatch.setattr(reaper, "become_subreaper", lambda: False)
        yield request.param
        monkeypatch.undo()
        reaper._subreaper_pid = None  # so that the next call asks the kernel again
        assert reaper.become_subreaper()
        return
    yield request.param


def fixture_processes(name: str) -> list[psutil.Process]:
    """Live processes running fixture `name` (a fork keeps its parent's command line)."""
    return [proc for proc in psutil.process_iter() if runs_fixture(proc, name)]


def runs_fixture(proc: psutil.Process | int, name: str) -> bool:
    """`proc` (a process or a pid) is alive and runs fixture `name` (not a recycled pid)."""
    try:
        if isinstance(proc, int):
            proc = psutil.Process(proc)
        return proc.cmdline()[1:2] == [f"{FIXTURES}/{name}"] and process_alive(proc.pid)
    except psutil.Error:
        return False


def kill_leftovers(*names: str) -> list[int]:
    """What a failing runner left behind, killed so that the machine stays clean: looked
    for again until a look finds none, as a process that keeps forking needs."""
    pids: list[int] = []
    for _ in range(50):
        found = [proc for name in names for proc in fixture_processes(name)]
        if not found:
            break
        for proc in found:
            pids.append(proc.pid)
            with contextlib.suppress(psutil.Error):
                proc.kill()
        time.sleep(0.01)
    return pids


def gone(proc: psutil.Process, within_s: float = 2.0) -> bool:
    """It ended, and is no zombie of ours (is_running is False for a recycled pid)."""
    deadline = time.monotonic() + within_s
    while proc.is_running() and (_alive(proc) or proc.ppid() == os.getpid()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def adopted_zombies() -> list[int]:
    """Zombie children of this process in another session: orphans nobody reaped."""
    own = os.getsid(0)
    zombies = []
    for child in psutil.Process().children():
        try:
            if child.status() == psutil.STATUS_ZOMBIE and os.getsid(child.pid) != own:
                zombies.append(child.pid)
        except (psutil.Error, OSError):
            continue
    return zombies


def left_behind(name: str) -> dict[str, list[int]]:
    """What is left of fixture `name`'s processes: those alive, and the zombies of ours
    that nobody reaped; and 0.1 s later again, because a process that escaped the kill
    and keeps forking (the chain) is hard to catch in one look, but its links exit all
    the time, and on Linux each comes to this process as a zombie."""
    first = {"alive": [p.pid for p in fixture_processes(name)], "zombies": adopted_zombies()}
    time.sleep(0.1)
    later = {"alive later": [p.pid for p in fixture_processes(name)]}
    return {k: v for k, v in {**first, **later, "zombies later": adopted_zombies()}.items() if v}


def run_and_watch(name: str, tmp_path: Path, monkeypatch) -> tuple[RunResult, list]:
    """Run fixture `name`; while it holds, list its processes outside the leader's session
    (with the session each one was in)."""
    hold = tmp_path / "hold"
    monkeypatch.setenv("FIXTURE_HOLD", str(hold))
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(run_example, f"{FIXTURES}/{name}", REPO_ROOT, timeout_s=20)
        deadline = time.monotonic() + 10
        while not Path(f"{hold}.held").exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        procs = sorted(fixture_processes(name), key=lambda p: p.create_time())
        sessions = {p: os.getsid(p.pid) for p in procs}
        escaped = [(p, sid) for p, sid in sessions.items() if sid != sessions[procs[0]]]
        hold.touch()
        return future.result(), escaped


@POSIX_ONLY
@pytest.mark.parametrize(
    ("name", "leads_its_session"), [("setsid_grandchild.py", True), ("daemon.py", False)]
)
def test_a_process_that_left_the_session_dies_with_its_example(
    name, leads_its_session, finder, tmp_path, monkeypatch
):
    """A grandchild that called setsid() leads its session; a double-forked daemon is in
    the session its exited parent created."""
    try:
        result, escaped = run_and_watch(name, tmp_path, monkeypatch)
        assert result.ok, result.output
        assert len(escaped) == 1, "the fixture's process outside the session was not seen"
        ((proc, session),) = escaped
        assert (session == proc.pid) == leads_its_session
        assert f"{proc.pid}" in result.output
        assert gone(proc), f"pid {proc.pid} outlived its example"
        assert not left_behind(name)
    finally:
        kill_leftovers(name)


@POSIX_ONLY
@pytest.mark.parametrize("mode", ["chain", "fan"])
def test_processes_forking_while_being_killed_are_all_killed(mode, finder, tmp_path):
    """Kill, look again, until a look finds none: the chain keeps changing its pid, the
    fan keeps adding processes, each in a session of its own (out of the killed group).

    The fixture logs the pid of every process it forks, so the test knows them all
    without racing to see them alive (a link of the chain lives a few milliseconds)."""
    done, pid_log = tmp_path / "done", tmp_path / "pids"
    name = "forks_while_killed.py"
    run = reaper.RunProcesses()
    command = [sys.executable, f"{FIXTURES}/{name}", mode, str(done), str(pid_log)]
    proc = run.start(command, env=dict(os.environ), cwd=REPO_ROOT, stdout=subprocess.PIPE)
    killed = False
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"forking\n"
        run.kill()
        killed = True
        assert run.wait() == -signal.SIGKILL
        assert not done.exists(), "it stopped forking by itself before it was killed"
        logged = pid_log.read_text().split()
        assert len(logged) >= 21, logged  # the first fork, then at least 20 more
        time.sleep(0.1)  # a process that escaped the kill would go on forking, and log it
        assert pid_log.read_text().split() == logged, "it forked after it was killed"
        survivors = [p for p in map(int, logged) if runs_fixture(p, name)]
        assert not survivors, f"{survivors} outlived the kill"
        assert not left_behind(name)
        # Found and killed one by one, not by the group kill: at least the fan's 20 children.
        assert len(run.killed - {proc.pid}) >= (20 if mode == "fan" else 1)
    finally:
        if not killed:
            run.kill()
            run.wait()
        kill_leftovers(name)
        if proc.stdout is not None:
            proc.stdout.close()


@POSIX_ONLY
def test_concurrent_runs_kill_only_their_own_processes(finder):
    """Four escaping examples at once, beside a child in our session (as mkdocs builds are)
    and one in a session of its own: each run kills its own processes, nothing else."""
    sleep = [sys.executable, "-c", "import time; time.sleep(30)"]
    beside = [subprocess.Popen(sleep), subprocess.Popen(sleep, start_new_session=True)]
    names = ["setsid_grandchild.py", "daemon.py"] * 2
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda n: run_example(f"{FIXTURES}/{n}", REPO_ROOT), names))
        assert all(r.ok for r in results), [r.output for r in results]
        assert [p.poll() for p in beside] == [None, None], "a process of no run was killed"
        assert not left_behind("setsid_grandchild.py")
        assert not left_behind("daemon.py")
    finally:
        for p in beside:
            p.kill()
            p.wait()
        kill_leftovers(*names)


@POSIX_ONLY
def test_a_process_that_cannot_be_killed_fails_the_run_loudly(finder, monkeypatch):
    """Should a process of the run outlive the kill deadline, the build must not go on."""
    monkeypatch.setattr(reaper, "KILL_DEADLINE_S", 0.3)
    monkeypatch.setattr(signal, "pidfd_send_signal", lambda fd, sig: None, raising=False)
    monkeypatch.setattr(psutil.Process, "kill", lambda self: None)
    leaders = set(reaper._LEADERS)
    try:
        with pytest.raises(RuntimeError, match=r"still alive 0\.3 s after being killed"):
            run_example(f"{FIXTURES}/setsid_grandchild.py", REPO_ROOT)
    finally:
        monkeypatch.undo()
        assert kill_leftovers("setsid_grandchild.py"), "the grandchild was not left alive"
        for pid in reaper._LEADERS - leaders:  # the leader, killed with its group
            # Reaped here, unless subprocess did it first: the failed run dropped its
            # Popen unwaited, and any thread's next Popen reaps such leftovers.
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            reaper._LEADERS.discard(pid)
        reaper.reap_adopted()


def test_kill_tree_kills_a_process_and_all_its_descendants():
    """The tree kill that Windows relies on, tested on whatever OS runs the tests."""
    reaper.become_subreaper()  # Linux: the orphans come to this process, to be reaped
    tree = subprocess.Popen(
        [sys.executable, f"{FIXTURES}/tree.py"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        **({} if sys.platform == "win32" else {"start_new_session": True}),
    )
    try:
        assert tree.stdout is not None
        pids = [int(tree.stdout.readline()) for _ in range(3)]
        assert pids[0] == tree.pid and all(process_alive(p) for p in pids)
        killed = reaper.kill_tree(tree.pid)
        assert killed == pids[::-1]  # the deepest first, while its parent still links it
        tree.wait(5)
        deadline = time.monotonic() + 2  # SIGKILL takes effect a moment later
        while alive := [p for p in pids if process_alive(p)]:
            assert time.monotonic() < deadline, f"{alive} outlived kill_tree"
            time.sleep(0.01)
        reaper.reap_adopted()
    finally:
        kill_leftovers("tree.py")
        tree.kill()
        tree.wait()
        if tree.stdout is not None:
            tree.stdout.close()


ORPHAN_PRINTS_ITS_NEW_PARENT = """
import os, time
parent = os.getpid()
if os.fork() == 0:
    while os.getppid() == parent:
        time.sleep(0.005)
    print(os.getppid(), os.getpid(), flush=True)
"""


@LINUX_ONLY
def test_orphans_come_to_the_build_process_and_are_reaped():
    """A child subreaper: an orphan is re-parented to it rather than to init, and its
    zombie is reaped (here by hand; run_example does it after each run)."""
    assert reaper.become_subreaper()
    orphan = subprocess.run(
        [sys.executable, "-c", ORPHAN_PRINTS_ITS_NEW_PARENT],
        capture_output=True,
        text=True,
        timeout=10,
        start_new_session=True,
    )
    parent, pid = map(int, orphan.stdout.split())
    assert parent == os.getpid(), orphan.stderr
    deadline = time.monotonic() + 2  # its output ends a moment before it is a zombie
    while pid not in reaper.reap_adopted():
        assert time.monotonic() < deadline, f"the orphan {pid} was not reaped"
        time.sleep(0.01)
    assert not psutil.pid_exists(pid)


def test_an_empty_environment_is_read_again_until_the_process_shows_one(monkeypatch):
    """A process in execve reads as having no environment for a moment: a run's process
    that left the session and is exec'ing must not pass for a stranger."""
    # The give-up time is the next test's subject: here a loaded machine that holds this
    # thread back for 50 ms between two reads must not end the wait.
    monkeypatch.setattr(reaper, "EMPTY_ENVIRON_WAIT_S", 60)
    reads = iter([b"", b"", b"PATH=/bin\0EXAMPLE_RUN_TOKEN=abc\0"])
    assert reaper._environment(lambda: next(reads), ended=lambda: False).endswith(b"abc\0")
    # Ended meanwhile (it exited): nothing to wait for.
    assert reaper._environment(lambda: b"", ended=lambda: True) == b""
    # Gone: unreadable.
    assert reaper._environment(Path("/nonexistent/environ").read_bytes, bool) is None


@LINUX_ONLY
def test_a_process_started_with_no_environment_is_waited_for_only_a_moment():
    empty = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], env={})
    try:
        with open(f"/proc/{empty.pid}/environ", "rb") as f:
            assert f.read() == b""
        started = time.monotonic()
        assert not reaper.RunProcesses()._carries_token(empty.pid)
        waited = time.monotonic() - started
        assert reaper.EMPTY_ENVIRON_WAIT_S <= waited < reaper.EMPTY_ENVIRON_WAIT_S + 1
    finally:
        empty.kill()
        empty.wait()


@LINUX_ONLY
def test_a_scan_reads_no_process_older_than_the_build_process(monkeypatch):
    """Older processes are held by pidfd and skipped; one that exits is let go (its pid may
    name a new process), and a younger one is always read."""
    older = reaper._OlderProcesses()
    monkeypatch.setattr(reaper, "_OLDER", older)
    young = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        listed = {info.pid for info in reaper._every_process()}
        assert young.pid in listed and os.getpid() in listed  # born with or after us
        assert 1 not in listed and 1 in older.alive()  # init, the oldest of all
        assert young.pid not in older.alive()
        # As if the build process were born later: the child counts as older, and is held
        # until it exits.
        monkeypatch.setattr(older, "_born", reaper._stat(young.pid).started + 1)
        assert young.pid not in {info.pid for info in reaper._every_process()}
        assert young.pid in older.alive()
        young.kill()
        young.wait()
        assert young.pid not in older.alive()
    finally:
        young.kill()
        young.wait()


def priority_of_a_run(nice: int) -> tuple[tuple[str, int] | None, int]:
    """The autogroup of a run's session and its process's nice value, the run started
    from a thread at `nice`."""

    def start() -> tuple[tuple[str, int] | None, int]:
        if nice:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        run = reaper.RunProcesses()
        run.start([sys.executable, "-c", "import time; time.sleep(30)"], env=dict(os.environ))
        try:
            return reaper.autogroup(run.proc.pid), os.getpriority(os.PRIO_PROCESS, run.proc.pid)
        finally:
            run.kill()
            run.wait()

    with ThreadPoolExecutor(1) as thread:  # the thread's nice value ends with it
        return thread.submit(start).result()


@LINUX_ONLY
def test_a_run_keeps_the_priority_of_the_thread_that_started_it():
    """A new session is a scheduling group of its own, at nice 0 whatever its processes'
    nice values: a run started below the tests must stay there."""
    own = reaper.autogroup("self")  # None where this process is in no autogroup (CI)
    (lowered, lowered_nice), (plain, plain_nice) = priority_of_a_run(10), priority_of_a_run(0)
    assert (lowered_nice, plain_nice) == (10, 0)  # the processes: inherited as ever
    if plain is None:  # a kernel without autogroups: nice values alone decide
        assert lowered is None
        return
    assert lowered[1] == 10 and plain[1] == 0
    assert own is None or own[0] not in (lowered[0], plain[0])
    assert reaper.autogroup("self") == own  # never this process's own group
    # Asked to lower a process in this very group, it leaves the group as it is.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        reaper.keep_priority(child.pid, 10)
        assert reaper.autogroup(child.pid) == own == reaper.autogroup("self")
    finally:
        child.kill()
        child.wait()


@LINUX_ONLY
def test_a_run_keeps_its_priority_where_the_starting_process_is_in_no_autogroup(monkeypatch):
    """On CI the test session itself reads as in no autogroup (an empty file: the root
    group) while the sessions it starts have groups of their own: those are niced."""
    run = reaper.RunProcesses()
    run.start([sys.executable, "-c", "import time; time.sleep(30)"], env=dict(os.environ))
    try:
        group = reaper.autogroup(run.proc.pid)
        if group is None:  # a kernel without autogroups: nothing is written anywhere
            reaper.keep_priority(run.proc.pid, 10)
            assert reaper.autogroup(run.proc.pid) is None
            return
        assert group[1] == 0  # started from a thread at nice 0: left as it is
        real = reaper.autogroup
        monkeypatch.setattr(reaper, "autogroup", lambda pid: None if pid == "self" else real(pid))
        reaper.keep_priority(run.proc.pid, 10)
        assert real(run.proc.pid) == (group[0], 10)
    finally:
        run.kill()
        run.wait()
