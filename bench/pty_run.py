"""Running a program in a pseudo-terminal, as a person's terminal would, and timing it.

``run_in_pty`` starts a command in a new pseudo-terminal of a given size, waits for marker
bytes to appear in what it draws (the first frame's text), and records the wall time, the
CPU time and the memory of the child (``PtyRun``). Used by the first-paint, key-latency,
memory and compare benchmarks.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SIZE = (120, 40)  # columns, rows
"""The pseudo-terminal's size for every benchmark run in one."""
QUIT = b"\x11"  # ctrl+q


@dataclass
class PtyRun:
    """One process run in a pseudo-terminal: when each marker first arrived, memory, output."""

    seen: dict[bytes, float] = field(default_factory=dict)
    """Marker -> seconds from spawn to the first output containing it."""
    cpu: dict[bytes, float] = field(default_factory=dict)
    """Marker -> CPU seconds the process had used (all its threads) when it arrived."""
    peak_mib: float | None = None
    """The process's peak resident memory (VmHWM) just before it was asked to quit."""
    rss_mib: float | None = None
    output: bytes = b""
    returncode: int | None = None

    def tail(self, chars: int = 1500) -> str:
        """The end of the output, escape sequences and all, readable enough to diagnose."""
        return self.output[-chars:].decode("utf-8", "replace")


def proc_status_mib(pid: int, key: str) -> float | None:
    """A memory figure (VmHWM, VmRSS) of a running process from /proc, in MiB; None if absent.

    VmHWM is the peak resident set size of the process's current program: exec starts it
    afresh, so it does not include the benchmark's own memory (ru_maxrss would)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def cpu_seconds(pid: int) -> float:
    """CPU time a running process has used so far, all threads (schedstat: nanoseconds, so
    much finer than the 10 ms ticks of /proc/<pid>/stat); 0.0 where unavailable.

    Unlike wall time it barely moves when other work loads the machine."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as handle:
                total += int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return total / 1e9


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment, minus anything that changes Textual, secondview or Python
    (PYTHONDONTWRITEBYTECODE among them: a user's install has its bytecode cached, so the
    first, uncounted run writes it), plus a terminal description; both apps get the same."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("SECONDVIEW_", "TEXTUAL", "PYTHON"))
        and k not in ("NO_COLOR", "COLUMNS", "LINES")
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    if "UTF-8" not in env.get("LC_ALL", env.get("LANG", "")).upper().replace("UTF8", "UTF-8"):
        env["LC_ALL"] = "C.UTF-8"
    env.update(extra or {})
    return env


def _become_terminal_session() -> None:  # runs in the child, between fork and exec
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def run_in_pty(
    cmd: Sequence[str],
    env: dict[str, str],
    markers: Sequence[bytes],
    timeout: float = 60.0,
    settle: Callable[[int, int], None] | None = None,
    quit_after: bool = True,
    cwd: Path | None = None,
) -> PtyRun:
    """Run ``cmd`` in a new pseudo-terminal until every marker has been seen, then quit it.

    ``settle(pid, master_fd)``, if given, runs once every marker has arrived, before the
    memory is read and ctrl+q typed (to wait for the app to go idle, to press keys); while it
    waits it must keep reading ``master_fd`` (see ``drain``), or the app blocks on a full
    terminal. With ``quit_after`` False the process is left to end by itself (within
    ``timeout``); with no markers, the run lasts until then.
    Raises RuntimeError with the output's tail if a marker never arrives.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    result = PtyRun()
    buffer = bytearray()
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(
            list(cmd), stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
            preexec_fn=_become_terminal_session, cwd=cwd,
        )
    finally:
        os.close(slave)
    wanted = list(markers)
    quitting_at: float | None = None
    try:
        while True:
            now = time.perf_counter()
            if now - start > timeout and quitting_at is None:
                break
            if quitting_at is not None and now - quitting_at > 10:
                break  # it did not quit: killed below
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:  # EIO: every process holding the terminal has ended
                    chunk = b""
                if not chunk:
                    break
                arrived = time.perf_counter()
                scan_from = max(0, len(buffer) - 64)
                buffer += chunk
                for marker in list(wanted):
                    if buffer.find(marker, scan_from) >= 0:
                        result.seen[marker] = arrived - start
                        result.cpu[marker] = cpu_seconds(proc.pid)
                        wanted.remove(marker)
                if not wanted and quitting_at is None and quit_after:
                    if settle is not None:
                        settle(proc.pid, master)
                    result.peak_mib = proc_status_mib(proc.pid, "VmHWM")
                    result.rss_mib = proc_status_mib(proc.pid, "VmRSS")
                    os.write(master, QUIT)
                    quitting_at = time.perf_counter()
            elif proc.poll() is not None and not wanted:
                break
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        result.returncode = proc.wait()
        os.close(master)
        result.output = bytes(buffer)
    missing = [m for m in markers if m not in result.seen]
    if missing:
        raise RuntimeError(
            f"{' '.join(cmd)}: {b', '.join(missing).decode()} never appeared "
            f"(exit status {result.returncode}); the end of its output:\n{result.tail()}"
        )
    return result


def drain(master: int, seconds: float) -> bytes:
    """Read (and return) whatever the app writes for ``seconds``, so it never blocks on a
    full terminal while the benchmark waits."""
    out = bytearray()
    end = time.perf_counter() + seconds
    while (left := end - time.perf_counter()) > 0:
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return bytes(out)


# -- the two apps -------------------------------------------------------------------------------
