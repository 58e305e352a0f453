"""The ``secondview`` command's entry point and its error policy.

``main`` reads the words (a plain start of the app without argparse, see ``plain_start``;
anything else through ``parser.build_parser``), resolves the folders and config.yaml once
(``Paths.resolve``), makes the ``Env`` (``context``) and runs the command's handler, or the
app when there is none. Nothing happens at import time, and nothing is kept in module state;
the store and the core are imported by ``main``, so that a plain start imports them with the
garbage collector held off (see ``main``).

The error policy, for every command: exit 0 on success and 1 on any problem. A problem is one
line on stderr, ``secondview: <what went wrong>, <what to do>``; a traceback never reaches
the user: an unexpected failure is written to a crash log (0600) in the local data folder
and named.
"""

from __future__ import annotations

import datetime as _dt
import gc
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from .. import __version__
from .output import PROG, clean, warn

LOCKED = ("this cases folder is sealed and locked on this device; run 'secondview unlock' "
          "(or give the passphrase in a file: SECONDVIEW_PASSPHRASE_FILE)")

if TYPE_CHECKING:
    from ..core.content import Content
    from .context import Env


def plain_start(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a plain start of the app (nothing, or only ``--cases DIR``), parsed
    without argparse; None for anything else, which the full parser handles.

    The result has what argparse would give for the same words: ``command`` None and, if
    given, ``cases``. A folder name starting with "-", an empty one, an abbreviated option
    or any other word goes to the full parser, so its rules and messages stay the only ones.
    """
    words = list(argv)
    if not words:
        return SimpleNamespace(command=None)
    if len(words) == 2 and words[0] == "--cases":
        folder = words[1]
    elif len(words) == 1 and words[0].startswith("--cases="):
        folder = words[0].removeprefix("--cases=")
    else:
        return None
    if not folder or folder.startswith("-"):
        return None
    return SimpleNamespace(command=None, cases=folder)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 1 any problem).

    Side effects: those of the command run (see each module's ``cmd_*``); on an unexpected
    failure a crash log is written to the data folder. A plain start of the app holds the
    garbage collector off until its first frame is out (the app lets it run again then, and
    it runs again when ``main`` returns, whatever happened).
    """
    if plain_start(sys.argv[1:] if argv is None else argv) is None:
        return _main(argv)
    # Importing the store, Textual and our screens and painting the first frame make a
    # great many objects and almost no garbage; the collector would scan them over and over
    # on the way to the first frame. SecondViewApp freezes them and lets it run once that
    # frame is out.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    """``main``, once it has decided about the garbage collector."""
    from ..core import model
    from ..core.registers import ReplicaError
    from ..store.config import ConfigError
    from ..store.paths import Paths
    from ..store.repository import CaseError
    from .context import demo, opened

    data_dir: Path | None = None
    try:
        args = _arguments(argv)
        if isinstance(args, int):
            return args
        paths, config = Paths.resolve(cases=getattr(args, "cases", None))
        data_dir = paths.data_dir
        if args.command is not None:  # the app shows them itself: stderr would garble it
            for problem in config.warnings:
                warn(f"warning: {problem}")
        make_env = demo if getattr(args, "demo", False) else opened
        with make_env(paths, config) as env:
            if env.locked and args.command is not None and not getattr(args, "when_locked",
                                                                         False):
                raise CaseError(LOCKED)
            try:
                return args.handler(args, env) if args.command is not None else run_app(env)
            finally:
                if env.repo.cache_warning and args.command is not None:
                    warn(f"warning: {env.repo.cache_warning}")
    except KeyboardInterrupt:
        warn("stopped")
        return 1
    except ConfigError as exc:
        message = str(exc)
        if "config.yaml" in message:
            message += "; fix the file or move it aside (secondview only reads it)"
        warn(clean(message))
        return 1
    except CaseError as exc:
        message = str(exc)
        if "cannot be read" in message:
            message += "; 'secondview check' lists what to fix"
        warn(clean(message))
        return 1
    except (model.InvalidValue, ReplicaError) as exc:
        warn(clean(exc))
        return 1
    except BrokenPipeError:
        return 1
    except OSError as exc:
        warn(clean(os_message(exc)))
        return 1
    except Exception:  # the last resort: one line for the user, the details in a file
        log = write_crash_log(data_dir, traceback.format_exc())
        where = f"the details are in {log}" if log else "no crash log could be written"
        warn(f"an unexpected error stopped secondview; {where}, please report it")
        return 1


def _arguments(argv: Sequence[str] | None) -> Any:
    """The parsed arguments, or the exit status when there is nothing to run (--help and
    --version, which print; a usage error, which is reported on stderr)."""
    args = plain_start(sys.argv[1:] if argv is None else argv)
    if args is not None:
        return args
    from .parser import UsageError, build_parser  # argparse, the commands: only now

    try:
        return build_parser().parse_args(argv)
    except UsageError as exc:
        warn(f"{exc}, see '{exc.prog} --help'")
        return 1
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0


def run_app(env: Env) -> int:
    """Start the full-screen app (imported only now, so commands never load Textual).

    Returns 1 if the app ended with an error (Textual sets ``return_code``), else 0.
    """
    from ..ui.app import SecondViewApp

    def load() -> Content:
        from ..store.content_files import load_content  # with its YAML parser: not before 1st frame

        return load_content([env.paths.config_dir / "content"])

    # The content set is read in a worker after the first frame; its problems are shown in
    # the app (a warning on stderr would garble the screen).
    app = SecondViewApp(repo=env.repo, config=env.config, paths=env.paths, content_loader=load,
                        locked=env.locked)
    try:
        app.run()
    finally:
        _forget_viewing_copies(env)
    return 0 if not app.return_code else 1


def _forget_viewing_copies(env: Env) -> None:
    """On a sealed folder, remove the plain copies handed to the system's viewer
    (``store.opener.forget_opened``): nothing of the case stays readable in the cache."""
    from ..store.key_file import is_sealed_folder
    from ..store.opener import forget_opened

    if is_sealed_folder(env.paths.cases_dir):
        forget_opened(env.paths.cache_dir)


def os_message(exc: OSError) -> str:
    """An operating system's refusal as one line for people, with what to try."""
    what = exc.strerror or str(exc)
    where = f"{exc.filename}: " if exc.filename else ""
    return (
        f"{where}{what.lower()}; check that the folder exists and is yours, "
        "or choose another with --cases"
    )


def write_crash_log(data_dir: Path | None, text: str) -> Path | None:
    """Write a traceback to ``<data>/crash-<time>.log`` (0600, else in the temp folder);
    its path, or None when neither could be written."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for folder in filter(None, [data_dir, Path(tempfile.gettempdir())]):
        path = folder / f"crash-{stamp}-{os.getpid()}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(f"{PROG} {__version__}, {' '.join(sys.argv)}\n\n{text}")
            return path
        except OSError:
            continue
    return None
