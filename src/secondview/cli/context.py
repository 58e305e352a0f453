"""What every command works with (``Env``), made once per run from the resolved paths and
config: this device's identity, the case repository and the content set's loader.

``opened`` makes it on the user's folders; ``demo`` on a throwaway copy of the sample case.
Both close the repository when the command is done.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.paths import Device, Paths
from ..store.repository import CaseError, CaseRepository
from ..store.storage import Sealer
from .output import clean, warn

if TYPE_CHECKING:
    from ..core.content import Content
    from ..store.config import Config


@dataclasses.dataclass
class Env:
    """What a command works with, resolved once in ``main``."""

    paths: Paths
    config: Config
    repo: CaseRepository
    load_content: Callable[[], Any]
    """The built-in content plus the user's; read when a command first needs it."""
    locked: bool = False
    """The cases folder is sealed and this run has no key: only the commands that set
    ``when_locked`` (seal, unlock, lock) and the app's unlock screen run."""


def load_content(paths: Paths) -> Content:
    """The built-in content plus the user's (``<config>/content``); problems warned on stderr.

    Side effects: reads the content files; one warning line per file skipped.
    """
    from ..store.content_files import load_content as load  # with its YAML parser: when needed

    content = load([paths.config_dir / "content"])
    for problem in getattr(content, "problems", ()) or ():
        warn(f"warning: {clean(problem)}")
    return content


def this_device(paths: Paths, config: Config) -> Device:
    """This device's identity, named as config.yaml's ``device_name`` says (if it does).

    Side effects: creates device.json (and the data folder) on first use.
    """
    return Device.load_or_create(paths.data_dir, name=config.device_name)


def folder_key(paths: Paths) -> Sealer | None:
    """The key of a sealed cases folder: the one this device remembers, else the one the
    passphrase in ``SECONDVIEW_PASSPHRASE_FILE`` opens; None for a plain folder or a locked
    one (whose cases then read as locked and are never written). CaseError for a wrong
    passphrase or a damaged key file. Only reads."""
    if not paths.key_file.exists():
        return None  # a plain folder: nothing of the sealing is imported
    from ..store import key_file
    from ..store.folder_key import SealingUnavailable
    from ..store.remembered_key import recall
    from .passphrase import passphrase_given

    try:
        key = recall(paths)
        passphrase = passphrase_given(None) if key is None else None
        if passphrase is not None:
            key = key_file.unlock(paths.cases_dir, passphrase)
    except (key_file.KeyFileError, SealingUnavailable) as exc:
        raise CaseError(str(exc)) from None
    return key


@contextlib.contextmanager
def opened(paths: Paths, config: Config) -> Iterator[Env]:
    """The ``Env`` on the user's own folders; the repository is closed on the way out.

    Side effects: those of ``this_device``.
    """
    key = folder_key(paths)
    repo = CaseRepository(paths, this_device(paths, config), key=key)
    locked = key is None and paths.key_file.exists()
    try:
        yield Env(paths, config, repo, lambda: load_content(paths), locked)
    finally:
        repo.close()


@contextlib.contextmanager
def demo(paths: Paths, config: Config) -> Iterator[Env]:
    """The ``Env`` on a throwaway copy of the sample case.

    Side effects: creates a 0700 temp folder with its own cases, data and cache folders and
    the sample case in it (the user's own folders are not touched; config.yaml and the
    content files are only read), and removes it on the way out.
    """
    from ..demo import build_demo

    root = Path(tempfile.mkdtemp(prefix="secondview-demo-"))
    try:
        os.chmod(root, 0o700)
        demo_paths = Paths(root / "cases", root / "data", root / "cache", paths.config_dir)
        with opened(demo_paths, config) as env:
            content = env.load_content()
            env.load_content = lambda: content
            build_demo(env.repo, content)
            yield env
    finally:
        shutil.rmtree(root, ignore_errors=True)
