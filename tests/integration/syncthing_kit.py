"""Real Syncthing for tests: install it, run two instances on 127.0.0.1, pair them, stop them.

Each instance gets its own ``--home`` under the test's tmp folder, a GUI/REST listener and a
sync listener on free 127.0.0.1 ports, and a config written before its first start with
global discovery, local announce, relays, NAT traversal (UPnP and STUN), usage and crash
reporting and auto-upgrade off, so it never opens a socket outside loopback. The two are
paired and the folder shared through the REST config API. Processes are ended by their ids:
a REST shutdown, then SIGTERM, then SIGKILL.

Nothing here runs at import time; every path is passed in. ``http_proxy`` and friends are
ignored on purpose (the REST client uses no proxy, and Syncthing is started without them).
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

FOLDER_ID = "secondview-cases"
CONFLICT_MARK = ".sync-conflict-"
SYNCTHING_OWN = (".stfolder", ".stignore", ".stversions")
"""Names Syncthing keeps in a synced folder; not part of what is compared."""

# Options written into config.xml before the first start: loopback only, nothing phones home.
QUIET_OPTIONS = {
    "globalAnnounceEnabled": "false",
    "localAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "stunKeepaliveStartS": "0",
    "stunKeepaliveMinS": "0",
    "urAccepted": "-1",
    "urSeen": "3",
    "autoUpgradeIntervalH": "0",
    "crashReportingEnabled": "false",
    "startBrowser": "false",
    "announceLANAddresses": "false",
    "restartOnWakeup": "false",
    "setLowPriority": "false",
    "reconnectionIntervalS": "1",
}


class SyncthingError(Exception):
    """Syncthing did not start, answer or settle as expected; the message says what and where."""


class SyncthingExited(Exception):
    """The process ended on its own: waiting longer cannot help (not caught by wait_for)."""


class Deadline:
    """A time budget shared by every wait of a test, so the whole test is bounded."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()
        self.end = self.started + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def wait_for(
        self,
        what: str,
        probe: Callable[[], T],
        interval: float = 0.1,
        within: float | None = None,
    ) -> T:
        """Call ``probe`` until it returns something truthy; return it.

        Raises SyncthingError naming ``what`` when the deadline (or ``within`` seconds, if
        sooner) passes. A probe that raises OSError/SyncthingError counts as "not yet" and the
        last such error is quoted in the message.
        """
        end = self.end if within is None else min(self.end, time.monotonic() + within)
        last: object = None
        while True:
            try:
                value = probe()
            except (OSError, SyncthingError) as exc:
                value, last = None, exc  # type: ignore[assignment]
            else:
                if value:
                    return value
                last = value
            if time.monotonic() >= end:
                raise SyncthingError(
                    f"{what}: not reached within {within or self.seconds:.0f} s "
                    f"({self.elapsed():.1f} s into the test); last probe: {last!r}"
                )
            time.sleep(interval)


def install_syncthing(timeout: float = 600) -> tuple[str | None, str]:
    """The path of the syncthing binary, installing the Debian package if needed and possible.

    Side effects: as root only, and only when ``syncthing`` is not on PATH, runs
    ``apt-get update`` then ``apt-get install -y syncthing``. Returns (path, "") or
    (None, why it is not available).
    """
    found = shutil.which("syncthing")
    if found:
        return found, ""
    from apt_kit import apt_install

    why = apt_install(["syncthing"], lambda: shutil.which("syncthing") is not None, timeout)
    if why:
        return None, why
    found = shutil.which("syncthing")
    if not found:
        return None, "apt-get installed syncthing but it is not on PATH"
    return found, ""


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports free on 127.0.0.1 right now (the kernel picks them)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM if the test process dies (even by SIGKILL)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child_env(home: Path) -> dict[str, str]:
    """A small environment for Syncthing: no proxies, no real home, no upgrades or restarts."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ")}
    return {
        **keep,
        "HOME": str(home),
        "STNOUPGRADE": "1",
        "STNORESTART": "1",
        "STNODEFAULTFOLDER": "1",
        # Run as the inner process: no monitor parent, so the PID we hold is Syncthing itself.
        "STMONITORED": "yes",
    }


@dataclass
class Syncthing:
    """One Syncthing instance: its home, ports, API key, process and REST client."""

    binary: str
    name: str
    home: Path
    gui_port: int
    sync_port: int
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    device_id: str = ""
    proc: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.home / "syncthing.log"

    @property
    def sync_address(self) -> str:
        return f"tcp://127.0.0.1:{self.sync_port}"

    # -- set-up -------------------------------------------------------------------------------

    def generate(self) -> None:
        """Create keys and config.xml in ``home``, then make the config loopback-only.

        Side effects: writes ``home``; runs ``syncthing generate`` (no network).
        """
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        done = subprocess.run(
            [self.binary, "generate", f"--home={self.home}", "--no-default-folder",
             "--skip-port-probing"],
            env=_child_env(self.home), capture_output=True, text=True, timeout=60, check=False,
        )
        if done.returncode != 0:
            raise SyncthingError(f"syncthing generate failed for {self.name}: {done.stderr}")
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        me = root.find("device")
        if me is None:
            raise SyncthingError(f"{path}: no device in the generated config")
        self.device_id = me.get("id", "")
        me.set("name", self.name)
        gui = root.find("gui")
        assert gui is not None
        gui.set("tls", "false")
        _set(gui, "address", f"127.0.0.1:{self.gui_port}")
        _set(gui, "apikey", self.api_key)
        options = root.find("options")
        assert options is not None
        for tag in ("listenAddress", "globalAnnounceServer", "stunServer"):
            for old in options.findall(tag):
                options.remove(old)
        ET.SubElement(options, "listenAddress").text = self.sync_address
        for key, value in QUIET_OPTIONS.items():
            _set(options, key, value)
        tree.write(path, encoding="unicode")

    def start(self) -> None:
        """Start ``syncthing serve`` for this home: one process (STMONITORED: no monitor parent).

        Side effects: a child process writing its log to ``log_path``.
        """
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed below
        try:
            self.proc = subprocess.Popen(
                [self.binary, "serve", f"--home={self.home}", "--no-browser", "--no-restart",
                 "--no-upgrade", "--no-default-folder", "--skip-port-probing",
                 f"--gui-address=http://127.0.0.1:{self.gui_port}",
                 f"--gui-apikey={self.api_key}", "--logflags=3"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=_child_env(self.home),
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        finally:
            log.close()

    def wait_ready(self, deadline: Deadline) -> None:
        """Wait until REST answers and reports our own device id."""

        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise SyncthingExited(
                    f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            return self.get("/rest/system/status").get("myID") == self.device_id

        try:
            deadline.wait_for(f"{self.name} REST ready", ready, within=30)
        except SyncthingError as exc:
            raise SyncthingError(f"{exc}\n{self.log_tail()}") from None

    # -- REST ---------------------------------------------------------------------------------

    def request(
        self, method: str, path: str, body: Any = None, query: dict[str, str] | None = None
    ) -> Any:
        """One REST call with the API key; the decoded JSON answer (None if empty)."""
        url = f"http://127.0.0.1:{self.gui_port}{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("X-API-Key", self.api_key)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(req, timeout=15) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace").strip()
            raise SyncthingError(f"{self.name} {method} {path}: HTTP {exc.code} {detail}") from None
        return json.loads(raw) if raw.strip() else None

    def get(self, path: str, **query: str) -> Any:
        return self.request("GET", path, query=query or None)

    def post(self, path: str, body: Any = None, **query: str) -> Any:
        return self.request("POST", path, body, query or None)

    def add_device(self, other: Syncthing, dial: bool) -> None:
        """Pair with ``other``. With ``dial``, at its fixed loopback address; without, by id
        only (discovery is off, so this side never dials and only accepts ``other``'s calls).

        One side dialling avoids both dialling at once, where Syncthing drops both
        connections and waits many seconds before it tries again.
        """
        self.post("/rest/config/devices", {
            "deviceID": other.device_id,
            "name": other.name,
            "addresses": [other.sync_address] if dial else ["dynamic"],
            "autoAcceptFolders": False,
        })

    def share_folder(self, path: Path, devices: list[Syncthing]) -> None:
        """Share ``path`` as FOLDER_ID with ``devices``: watcher on, 1 s delay, 5 s rescans."""
        self.post("/rest/config/folders", {
            "id": FOLDER_ID,
            "label": "secondview cases",
            "path": str(path),
            "type": "sendreceive",
            "devices": [{"deviceID": d.device_id} for d in devices],
            "rescanIntervalS": 5,
            "fsWatcherEnabled": True,
            "fsWatcherDelayS": 1,
        })

    def connected(self, other: Syncthing) -> bool:
        conns = self.get("/rest/system/connections").get("connections", {})
        return bool(conns.get(other.device_id, {}).get("connected"))

    def pause(self, other: Syncthing) -> None:
        self.post("/rest/system/pause", device=other.device_id)

    def resume(self, other: Syncthing) -> None:
        self.post("/rest/system/resume", device=other.device_id)

    def scan(self) -> None:
        """Rescan the shared folder now (returns when the scan is done)."""
        self.post("/rest/db/scan", folder=FOLDER_ID)

    def folder_status(self) -> dict[str, Any]:
        return self.get("/rest/db/status", folder=FOLDER_ID)

    def completion_of(self, other: Syncthing) -> dict[str, Any]:
        return self.get("/rest/db/completion", folder=FOLDER_ID, device=other.device_id)

    def settled_with(self, other: Syncthing) -> bool:
        """Idle, nothing left to pull, and ``other`` holds everything we have (100 %)."""
        status = self.folder_status()
        done = self.completion_of(other)
        return (
            status.get("state") == "idle"
            and status.get("needTotalItems", 1) == 0
            and done.get("completion") == 100
            and done.get("needItems", 1) == 0
        )

    # -- the end ------------------------------------------------------------------------------

    def stop(self, grace: float = 10) -> None:
        """End the process by its id: REST shutdown, then SIGTERM, then SIGKILL.

        Safe to call twice or after a failed start.
        """
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        children = _children(proc.pid)  # none expected (STMONITORED), ended all the same
        try:
            self.post("/rest/system/shutdown")
        except (OSError, SyncthingError):
            pass
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None and proc.poll() is None:
                os.kill(proc.pid, sig)
            try:
                proc.wait(timeout=grace if sig is None else 5)
                break
            except subprocess.TimeoutExpired:
                continue
        for pid in children:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if not _alive(pid):
                    break
                os.kill(pid, sig)
                time.sleep(0.5)

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return f"({self.name}: no log)"
        return f"--- {self.name} log ({self.log_path}) ---\n" + "\n".join(
            text.splitlines()[-lines:]
        )

    def socket_addresses(self) -> list[tuple[str, str, str]]:
        """(protocol, local address, remote address) of every socket the process holds (Linux)."""
        assert self.proc is not None
        inodes = set()
        fd_dir = Path(f"/proc/{self.proc.pid}/fd")
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        found = []
        for proto in ("tcp", "tcp6", "udp", "udp6"):
            try:
                rows = Path(f"/proc/{self.proc.pid}/net/{proto}").read_text().splitlines()[1:]
            except OSError:
                continue
            for row in rows:
                cols = row.split()
                if cols[9] in inodes:
                    found.append((proto, _address(cols[1]), _address(cols[2])))
        return found


def _children(pid: int) -> list[int]:
    """The ids of ``pid``'s child processes (Linux /proc; [] elsewhere)."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(p) for p in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie awaiting its parent does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _set(parent: ET.Element, tag: str, text: str) -> None:
    node = parent.find(tag)
    if node is None:
        node = ET.SubElement(parent, tag)
    node.text = text


def _address(hex_addr: str) -> str:
    """'0100007F:1F90' (from /proc/net/tcp) -> '127.0.0.1:8080'; IPv6 likewise."""
    host, port = hex_addr.split(":")
    raw = bytes.fromhex(host)
    # /proc prints each 32-bit word in host byte order (little-endian here).
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    family = socket.AF_INET if len(words) == 4 else socket.AF_INET6
    return f"{socket.inet_ntop(family, words)}:{int(port, 16)}"


def is_loopback(address: str) -> bool:
    host = address.rsplit(":", 1)[0]
    return host.startswith(("127.", "::ffff:127.")) or host == "::1"


def outside_loopback(sockets: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The sockets bound or connected anywhere but loopback (an unconnected peer is fine)."""
    unconnected = ("0.0.0.0:0", ":::0")
    return [
        s for s in sockets
        if not is_loopback(s[1]) or not (is_loopback(s[2]) or s[2] in unconnected)
    ]


@dataclass
class Pair:
    """Two paired instances sharing FOLDER_ID: ``a`` on ``folder_a``, ``b`` on ``folder_b``."""

    a: Syncthing
    b: Syncthing
    folder_a: Path
    folder_b: Path

    def both(self) -> tuple[Syncthing, Syncthing]:
        return self.a, self.b

    def wait_connected(
        self, deadline: Deadline, connected: bool = True, within: float = 30
    ) -> None:
        state = "connected" if connected else "disconnected"
        deadline.wait_for(
            f"devices {state}",
            lambda: self.a.connected(self.b) == connected
            and self.b.connected(self.a) == connected,
            interval=0.2, within=within,
        )

    def pause(self, deadline: Deadline) -> None:
        """Pause the link from both sides and wait until it is down."""
        self.a.pause(self.b)
        self.b.pause(self.a)
        self.wait_connected(deadline, connected=False)

    def resume(self, deadline: Deadline) -> None:
        """Resume both sides (the listening side first, so the dialling side's call is taken)
        and wait until the link is up again."""
        self.b.resume(self.a)
        self.a.resume(self.b)
        self.wait_connected(deadline, connected=True)

    def wait_same_files(self, deadline: Deadline, within: float = 60) -> dict[str, str]:
        """Wait until both folders hold the same files (by hash) and both sides are settled.

        Returns the common {relative path: sha256}.
        """
        def same() -> dict[str, str] | None:
            left, right = tree_digest(self.folder_a), tree_digest(self.folder_b)
            if left != right or not left:
                return None
            if not (self.a.settled_with(self.b) and self.b.settled_with(self.a)):
                return None
            # Settled and equal: confirm nothing moved while we were asking.
            again = tree_digest(self.folder_a) == left == tree_digest(self.folder_b)
            return left if again else None

        try:
            return deadline.wait_for("both folders hold the same files", same, 0.2, within)
        except SyncthingError as exc:
            raise SyncthingError(f"{exc}\n{self.report()}") from None

    def report(self) -> str:
        """Both folders' files and both logs' last lines: printed by tests, shown on failure."""
        return (
            f"A files: {sorted(tree_digest(self.folder_a))}\n"
            f"B files: {sorted(tree_digest(self.folder_b))}\n"
            f"{self.a.log_tail()}\n{self.b.log_tail()}"
        )

    def stop(self) -> None:
        for node in self.both():
            node.stop()


def start_pair(binary: str, root: Path, deadline: Deadline) -> Iterator[Pair]:
    """A generator for a pytest fixture: two paired instances on loopback, stopped at the end.

    Side effects: creates ``root/syncthing-a``, ``root/syncthing-b`` (homes) and
    ``root/cases-a``, ``root/cases-b`` (the shared folder on each side, 0700, with the
    ``.stfolder`` marker); starts two processes and always stops them, even on failure.
    """
    ports = free_ports(4)
    a = Syncthing(binary, "device-a", root / "syncthing-a", ports[0], ports[1])
    b = Syncthing(binary, "device-b", root / "syncthing-b", ports[2], ports[3])
    pair = Pair(a, b, root / "cases-a", root / "cases-b")
    try:
        for node, folder in ((a, pair.folder_a), (b, pair.folder_b)):
            node.generate()
            folder.mkdir(mode=0o700)
            (folder / ".stfolder").mkdir()
            node.start()
        for node in pair.both():
            node.wait_ready(deadline)
        # B first learns of A and shares the folder, so A's first call (A dials) is taken.
        b.add_device(a, dial=False)
        b.share_folder(pair.folder_b, [a, b])
        a.add_device(b, dial=True)
        a.share_folder(pair.folder_a, [a, b])
        pair.wait_connected(deadline)
        yield pair
    finally:
        pair.stop()


def tree_digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256 of the bytes} of every file under ``folder``.

    Syncthing's own entries (``.stfolder``...) are left out; its temp files are not, so a
    transfer still in flight keeps two folders from comparing equal.
    """
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if rel.parts[0] in SYNCTHING_OWN or not path.is_file():
            continue
        try:
            found[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            continue  # moved away while we looked
    return found


def conflict_copies(folder: Path) -> list[Path]:
    """Syncthing's conflict copies (``name.sync-conflict-DATE-TIME-DEVICE.ext``) in ``folder``."""
    return sorted(p for p in folder.rglob("*") if CONFLICT_MARK in p.name)
