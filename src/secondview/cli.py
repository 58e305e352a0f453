"""The ``secondview`` command: the app by default, plus sub-commands for scripts.

``main`` parses the arguments, resolves the folders once (``Paths.resolve``), loads this
device's identity and hands both to a ``CaseRepository``; every sub-command works through that
repository. Nothing happens at import time, and nothing is kept in module state.

Every sub-command exits 0 on success and 1 on any problem. Problems are one line on stderr,
``secondview: <what went wrong>, <what to do>``; a traceback never reaches the user: an
unexpected failure is written to a crash log (0600) in the local data folder and named.

Everything printed goes through ``_out`` and ``_warn``, which clean it with
``core.safe_text.clean`` (the function the screen and the exports use): control characters
(terminal escape sequences), bidi overrides and zero-width characters written by another
device or a stranger show as visible placeholders (␛, ⟨U+202E⟩) instead of acting on the
terminal. JSON output escapes every character outside ASCII.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NoReturn, Sequence

from . import __version__
from .core import decision, model, progress
from .core.safe_text import clean
from .core.replica import ReplicaError, stamp_to_datetime
from .store.paths import ConfigError, Device, Paths
from .store.repository import CaseError, CaseRepository, OpenCase, Problem, dependants_words

if TYPE_CHECKING:
    import argparse

    from .core.content import Content

PROG = "secondview"

# -- errors and output --------------------------------------------------------------------------


class UsageError(Exception):
    """The command line itself is wrong (unknown option, missing argument)."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(message)
        self.prog = prog


def _out(*lines: str) -> None:
    """Print lines on stdout, each cleaned (``clean``): nothing printed acts on the terminal."""
    for line in lines:
        print(clean(line, multiline=True), file=sys.stdout)


def _warn(message: str) -> None:
    """Print ``secondview: message`` on stderr, cleaned to one line."""
    print(f"{PROG}: {clean(message)}", file=sys.stderr)


def _json(data: Any) -> None:
    # ensure_ascii: every control or bidi character reaches the terminal escaped
    print(json.dumps(data, indent=2, ensure_ascii=True), file=sys.stdout)


def _when(stamp: str) -> str:
    """A clock stamp as local date and time, for people."""
    moment = stamp_to_datetime(stamp)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def _short(text: str, width: int) -> str:
    text = " ".join(clean(text).split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "\u2026"


def _os_message(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    where = f"{exc.filename}: " if exc.filename else ""
    return (
        f"{where}{what.lower()}; check that the folder exists and is yours, "
        "or choose another with --cases"
    )


# -- the context every command gets ------------------------------------------------------------


@dataclasses.dataclass
class Env:
    """What a sub-command works with, resolved once in ``main``."""

    paths: Paths
    config: dict[str, Any]
    repo: CaseRepository
    load_content: Callable[[], Any]


def _load_content(paths: Paths) -> Any:
    """The built-in content plus the user's (``<config>/content``); problems warned on stderr."""
    from .core.content import load_content

    content = load_content([paths.config_dir / "content"])
    for problem in getattr(content, "problems", ()) or ():
        _warn(f"warning: {clean(problem)}")
    return content


def _starter_writes(content: Any, values: Mapping[str, Any]) -> list[Any]:
    """The checklist and questions a new case starts with, from the content set."""
    return list(content.starter_writes(values))


def _device(paths: Paths, config: Mapping[str, Any]) -> Device:
    name = config.get("device_name")
    if name is not None and not isinstance(name, str):
        raise ConfigError(f"{paths.config_file}: device_name must be text, like 'laptop'")
    return Device.load_or_create(paths.data_dir, name=(name or "").strip() or None)


# -- parsing -----------------------------------------------------------------------------------


def _fields_help(table: str) -> str:
    return ", ".join(f.describe() for f in model.SCHEMA[table])


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global options and one sub-parser per sub-command.

    argparse (and every module of secondview.subcommands) is imported here, not with this
    module: a plain start of the app (see ``plain_start``) never needs them, and building
    this parser takes about 20 ms of CPU, which the first frame would wait for.
    """
    import argparse

    class _Parser(argparse.ArgumentParser):
        """An ArgumentParser whose mistakes are our one-line message and exit status 1, not 2."""

        def error(self, message: str) -> NoReturn:
            raise UsageError(message, self.prog)

    # Global options are accepted before or after the sub-command.
    common = _Parser(add_help=False)
    common.add_argument(
        "--cases",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the cases folder (else SECONDVIEW_CASES, else cases_dir in config.yaml)",
    )
    common.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="work on a throwaway copy of a sample case; it is removed on exit",
    )
    json_opt = _Parser(add_help=False)
    json_opt.add_argument("--json", action="store_true", help="print JSON for scripts")

    parser = _Parser(
        prog=PROG,
        description=(
            "A terminal companion for getting a second medical opinion. With no sub-command "
            "the app starts; the sub-commands below change and report cases for scripts."
        ),
        parents=[common],
        epilog="Every sub-command has --help. Exit status: 0 on success, 1 on any problem.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, summary: str, *, json: bool = False, epilog: str = "") -> _Parser:
        parents = [common, json_opt] if json else [common]
        return sub.add_parser(
            name,
            help=summary,
            description=summary,
            parents=parents,
            epilog=epilog or None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    case_help = "the case: its id, a unique start of its id, or its exact title"

    p = add("new", "Create a case and print its id.", json=True)
    p.add_argument("title", metavar="TITLE", help="a name for the case, e.g. 'Mum - knee'")
    p.add_argument("--condition", default="", metavar="TEXT", help="the diagnosis or problem")
    p.add_argument(
        "--urgency",
        default="routine",
        metavar="routine|soon|emergency",
        help="how soon a decision is needed (default: routine)",
    )

    p = add("list", "List the cases, most recently changed first.", json=True)
    p.add_argument("--all", action="store_true", help="include archived cases")

    p = add("show", "Show one case: where it stands, its opinions and next steps.", json=True)
    p.add_argument("case", metavar="CASE", help=case_help)

    p = add("archive", "Archive a case: hidden from the list, nothing is deleted.")
    p.add_argument("case", metavar="CASE", help=case_help)
    p = add("restore", "Bring an archived case back to the list.")
    p.add_argument("case", metavar="CASE", help=case_help)

    add(
        "check",
        "Read every case in full; report unreadable files and unsettled conflicts.",
        json=True,
        epilog="Exit status 1 when anything needs you. Unreadable files are copied to the "
        "quarantine folder\n(see 'secondview where') and left where they are.",
    )
    add("where", "Show the folders in use and this device's id and name.", json=True)

    p = add(
        "set",
        "Change fields of the case itself.",
        epilog=f"Fields: {_fields_help('case')}",
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("assignments", metavar="FIELD=VALUE", nargs="+")

    kinds = "|".join(model.ITEM_TABLES)
    p = add(
        "add",
        "Add an item to a case and print its new id.",
        json=True,
        epilog="Fields by kind (REF fields take an id or a unique start of one):\n"
        + "\n".join(
            f"  {word}: {_fields_help(table)}" for word, table in model.ITEM_TABLES.items()
        ),
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("kind", metavar=kinds, help="what to add")
    p.add_argument("assignments", metavar="FIELD=VALUE", nargs="*")

    p = add(
        "edit",
        "Change fields of one item of a case.",
        epilog="ITEM is an item id or a unique start of one ('secondview show CASE --json' "
        "lists them),\nor the word 'decision' for the case's decision.",
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("item", metavar="ITEM", help="an item id or a unique start of one")
    p.add_argument("assignments", metavar="FIELD=VALUE", nargs="+")

    p = add("delete", "Delete one item of a case (kept in the file as a tombstone).")
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("item", metavar="ITEM", help="an item id or a unique start of one")

    # Every module of secondview.subcommands adds its own sub-commands, each parser naming
    # its handler with set_defaults(handler=...): cli.py does not grow with each feature.
    import importlib
    import pkgutil

    from . import subcommands

    for found in sorted(pkgutil.iter_modules(subcommands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{subcommands.__name__}.{found.name}").register(add, case_help)
    return parser


# -- main --------------------------------------------------------------------------------------


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

    Side effects: those of the sub-command run (see each ``cmd_*``); on an unexpected failure
    a crash log is written to the data folder.
    """
    data_dir: Path | None = None
    try:
        args: Any = plain_start(sys.argv[1:] if argv is None else argv)
        try:
            if args is None:
                args = build_parser().parse_args(argv)
        except UsageError as exc:
            hint = f"see '{exc.prog} --help'"
            _warn(f"{exc}, {hint}")
            return 1
        except SystemExit as exc:  # --help and --version
            return exc.code if isinstance(exc.code, int) else 0
        demo = getattr(args, "demo", False)
        paths, config = Paths.resolve(cases=getattr(args, "cases", None))
        data_dir = paths.data_dir
        if demo:
            return _run_demo(args, paths, config)
        return _run(args, paths, config)
    except KeyboardInterrupt:
        _warn("stopped")
        return 1
    except ConfigError as exc:
        message = str(exc)
        if "config.yaml" in message:
            message += "; fix the file or move it aside (secondview only reads it)"
        _warn(clean(message))
        return 1
    except CaseError as exc:
        message = str(exc)
        if "cannot be read" in message:
            message += "; 'secondview check' lists what to fix"
        _warn(clean(message))
        return 1
    except (model.InvalidValue, ReplicaError) as exc:
        _warn(clean(exc))
        return 1
    except BrokenPipeError:
        return 1
    except OSError as exc:
        _warn(clean(_os_message(exc)))
        return 1
    except Exception:  # the last resort: one line for the user, the details in a file
        log = _write_crash_log(data_dir, traceback.format_exc())
        where = f"the details are in {log}" if log else "no crash log could be written"
        _warn(f"an unexpected error stopped secondview; {where}, please report it")
        return 1


def _run(args: argparse.Namespace, paths: Paths, config: dict[str, Any]) -> int:
    device = _device(paths, config)
    repo = CaseRepository(paths, device)
    env = Env(paths, config, repo, lambda: _load_content(paths))
    try:
        return _dispatch(args, env)
    finally:
        if repo.cache_warning and args.command is not None:
            _warn(f"warning: {repo.cache_warning}")
        repo.close()


def _dispatch(args: argparse.Namespace, env: Env) -> int:
    if args.command is None:
        return run_app(env)
    handler = getattr(args, "handler", None)  # a sub-command from secondview.subcommands
    return handler(args, env) if handler is not None else COMMANDS[args.command](args, env)


def run_app(env: Env) -> int:
    """Start the full-screen app (imported only now, so sub-commands never load Textual).

    Returns 1 if the app ended with an error (Textual sets ``return_code``), else 0.
    """
    from .ui.app import SecondViewApp

    def load() -> Content:
        from .core.content import load_content  # with its YAML parser: not before 1st frame

        return load_content([env.paths.config_dir / "content"])

    # The content set is read in a worker after the first frame; its problems are shown in
    # the app (a warning on stderr would garble the screen).
    app = SecondViewApp(repo=env.repo, config=env.config, paths=env.paths, content_loader=load)
    app.run()
    return 0 if not app.return_code else 1


def _run_demo(args: argparse.Namespace, paths: Paths, config: dict[str, Any]) -> int:
    """Build the sample case in a throwaway folder, run the app or the sub-command on it.

    Side effects: creates a 0700 temp folder with its own cases, data and cache folders (the
    user's own folders are not touched; config.yaml is only read) and removes it on exit.
    """
    from .demo import build_demo

    root = Path(tempfile.mkdtemp(prefix="secondview-demo-"))
    try:
        os.chmod(root, 0o700)
        demo_paths = Paths(root / "cases", root / "data", root / "cache", paths.config_dir)
        device = _device(demo_paths, config)
        repo = CaseRepository(demo_paths, device)
        try:
            env = Env(demo_paths, config, repo, lambda: _load_content(demo_paths))
            content = env.load_content()
            env.load_content = lambda: content
            build_demo(repo, content)
            return _dispatch(args, env)
        finally:
            repo.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _write_crash_log(data_dir: Path | None, text: str) -> Path | None:
    """Write a traceback to ``<data>/crash-<time>.log`` (0600); its path, or None."""
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


# -- sub-commands ------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace, env: Env) -> int:
    """Create a case with the starter checklist and questions; print its id."""
    values = model.parse_fields(
        "case", {"title": args.title, "condition": args.condition, "urgency": args.urgency}
    )
    content = env.load_content()
    values = {**values, **content.template_fields()}
    opened = env.repo.create(values, extra=_starter_writes(content, values))
    case = opened.case
    if case.info.urgency == "emergency":
        _warn(progress.EMERGENCY_STEP)
    if args.json:
        _json({"id": case.id, "title": case.title, "folder": str(env.repo.folder(case.id))})
    else:
        _out(case.id)
    return 0


def cmd_list(args: argparse.Namespace, env: Env) -> int:
    """Print the case list (archived cases only with --all); warn about unreadable files."""
    problems = env.repo.refresh()
    rows = [r for r in env.repo.indexed() if args.all or not r.archived]
    _warn_problems(problems)
    if args.json:
        _json(
            [
                {**dataclasses.asdict(r), "changed": _when(r.updated_at)}
                for r in rows
            ]
        )
        return 0
    if not rows:
        hidden = " (archived cases are hidden; --all shows them)" if not args.all else ""
        _out(f"No cases yet{hidden}. Create one with: secondview new TITLE")
        return 0
    width = max(shutil.get_terminal_size((120, 24)).columns, 80)
    head = ("ID", "TITLE", "CONDITION", "PHASE", "CHANGED", "NEXT STEP")
    table = []
    for r in rows:
        title = r.title + (" [archived]" if r.archived else "")
        phase = "unreadable" if r.error and not r.phase else progress.PHASE_LABELS.get(
            r.phase, r.phase
        )
        changed = f"{_when(r.updated_at)} {r.updated_by}".strip()
        step = r.error or r.next_step
        table.append((r.id[:8], title, r.condition, phase, changed, step))
    caps = [8, 28, 22, 16, 30]
    widths = [
        min(cap, max(len(_short(row[i], cap)) for row in [head, *table]))
        for i, cap in enumerate(caps)
    ]
    rest = max(width - sum(widths) - 2 * len(widths), 20)
    for row in [head, *table]:
        cells = [_short(row[i], widths[i]).ljust(widths[i]) for i in range(len(widths))]
        _out(("  ".join([*cells, _short(row[-1], rest)])).rstrip())
    return 0


def cmd_show(args: argparse.Namespace, env: Env) -> int:
    """Print one case: a readable overview, or everything as JSON with --json."""
    opened = env.repo.open(args.case)
    if args.json:
        _json(case_json(opened, env.repo.today))
    else:
        _out(*overview_lines(opened, env.repo.today))
    return 0


def cmd_archive(args: argparse.Namespace, env: Env, archived: bool = True) -> int:
    """Archive (or restore) a case: a tombstone on the case, no file is removed."""
    opened = env.repo.open(args.case)
    title = clean(opened.case.title)
    if opened.case.archived == archived:
        _out(f"'{title}' is already {'archived' if archived else 'in the list'}")
        return 0
    env.repo.set_archived(opened, archived)
    if archived:
        _out(f"Archived '{title}'; 'secondview restore {opened.case_id[:8]}' brings it back")
    else:
        _out(f"Restored '{title}' to the case list")
    return 0


def cmd_restore(args: argparse.Namespace, env: Env) -> int:
    return cmd_archive(args, env, archived=False)


def cmd_check(args: argparse.Namespace, env: Env) -> int:
    """Read every case in full and report what needs the user; exit 1 if anything does.

    Side effects: quarantines unreadable files (copies), tightens loose permissions, brings
    the list index up to date.
    """
    problems = _unique(env.repo.check() + env.repo.refresh())
    count = len(env.repo.case_ids())
    if args.json:
        _json(
            {
                "cases": count,
                "cases_dir": str(env.paths.cases_dir),
                "fine": not problems,
                "problems": [_problem_json(p) for p in problems],
            }
        )
    else:
        for problem in problems:
            _out(clean(problem.message()))
        if not problems:
            noun = "case is" if count == 1 else "cases are"
            _out(f"All {count} {noun} fine ({env.paths.cases_dir}).")
    if problems:
        noun = "problem needs" if len(problems) == 1 else "problems need"
        _warn(f"{len(problems)} {noun} you, see above{_quarantine_words(problems, env.paths)}")
        return 1
    return 0


def _quarantine_words(problems: Sequence[Problem], paths: Paths) -> str:
    """What was done with unreadable files, said only when it was done."""
    copied = sum(1 for p in problems if p.quarantined)
    kept = sum(1 for p in problems if not p.quarantined and p.path.is_file()
               and not p.entry and not p.read_only)
    words = ""
    if copied:
        files = "an unreadable file was" if copied == 1 else f"{copied} unreadable files were"
        words += f"; {files} copied to {paths.quarantine_dir} and left in place"
    if kept and any(p.problem and p.path.suffix == ".json" for p in problems
                    if not p.quarantined):
        words += ("; no quarantine copy could be made of the others (is the disk full?), "
                  "they are left in place untouched")
    return words


def cmd_where(args: argparse.Namespace, env: Env) -> int:
    """Print the folders in use and this device's id and name."""
    p, device = env.paths, env.repo.device
    info = {
        "cases_dir": str(p.cases_dir),
        "device_id": device.id,
        "device_name": device.name,
        "data_dir": str(p.data_dir),
        "cache_dir": str(p.cache_dir),
        "config_dir": str(p.config_dir),
        "config_file": str(p.config_file),
        "quarantine_dir": str(p.quarantine_dir),
    }
    if args.json:
        _json(info)
        return 0
    _out(
        f"cases folder    {p.cases_dir}   (synced: put it in your sync tool's folder)",
        f"this device     {clean(device.name)} (id {device.id})",
        f"data folder     {p.data_dir}   (local: device id, quarantine, locks)",
        f"cache folder    {p.cache_dir}   (local: the case list index)",
        f"config folder   {p.config_dir}   (config.yaml, content/, themes/)",
    )
    return 0


def cmd_set(args: argparse.Namespace, env: Env) -> int:
    """Change fields of the case itself."""
    opened = env.repo.open(args.case)
    values = model.parse_assignments("case", args.assignments)
    saved = env.repo.update(opened, "case", opened.case_id, values, summary=_summary(values))
    _report_saved(saved, values)
    return 0


def cmd_add(args: argparse.Namespace, env: Env) -> int:
    """Add an item (checklist, record, question, opinion, transfer, answer); print its id."""
    table = model.ITEM_TABLES.get(args.kind)
    if table is None:
        raise model.InvalidValue(
            f"cannot add '{args.kind}'; add one of: {', '.join(model.ITEM_TABLES)}"
        )
    opened = env.repo.open(args.case)
    values = model.parse_assignments(table, args.assignments)
    values = _resolve_refs(opened.case, table, values)
    missing = model.missing_required(table, values)
    if missing:
        raise model.InvalidValue(
            f"a {args.kind} needs {', '.join(f'{m}=VALUE' for m in missing)}. "
            f"Valid fields: {_fields_help(table)}"
        )
    _saved, doc_id = env.repo.add(opened, table, values, summary=f"Added a {args.kind}")
    if args.json:
        _json({"id": doc_id, "table": table, "case": opened.case_id})
    else:
        _out(doc_id)
    return 0


def cmd_edit(args: argparse.Namespace, env: Env) -> int:
    """Change fields of one item (or of the decision)."""
    opened = env.repo.open(args.case)
    case = opened.case
    if args.item == "decision":
        table = "decision"
        # one decision per case, under the case's id: two devices starting it write one document
        doc_id = case.decision.id if case.decision else case.id
    else:
        item = _find_item(case, args.item)
        table, doc_id = item.table, item.id
        if table == "log":
            raise CaseError("the log is kept as it was written; it cannot be edited")
    values = model.parse_assignments(table, args.assignments)
    values = _resolve_refs(case, table, values)
    saved = env.repo.update(opened, table, doc_id, values, summary=_summary(values, table))
    _report_saved(saved, values)
    return 0


def cmd_delete(args: argparse.Namespace, env: Env) -> int:
    """Delete one item: a tombstone in this device's file (other devices see it after sync)."""
    opened = env.repo.open(args.case)
    item = _find_item(opened.case, args.item)
    if item.table == "case":
        raise CaseError(
            f"that is the case itself; to hide it use 'secondview archive {opened.case_id[:8]}'"
        )
    if item.table == "log":
        raise CaseError("the log is kept as it was written; its entries cannot be deleted")
    going = env.repo.dependants(opened, item.table, item.id)
    env.repo.delete(opened, item.table, item.id)
    with_them = f", with {dependants_words(going)}" if going else ""
    _out(f"Deleted {item.table} item {item.id[:8]} ({_short(_label(item), 60)}){with_them}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Env], int]] = {
    "new": cmd_new,
    "list": cmd_list,
    "show": cmd_show,
    "archive": cmd_archive,
    "restore": cmd_restore,
    "check": cmd_check,
    "where": cmd_where,
    "set": cmd_set,
    "add": cmd_add,
    "edit": cmd_edit,
    "delete": cmd_delete,
}


# -- helpers -----------------------------------------------------------------------------------


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: dict[tuple[str, str], Problem] = {}
    for p in problems:
        key = (str(p.path), p.problem)
        if key not in seen or (p.quarantined and not seen[key].quarantined):
            seen[key] = p
    return list(seen.values())


def _problem_json(p: Problem) -> dict[str, Any]:
    return {
        "path": str(p.path),
        "problem": p.problem,
        "quarantined": str(p.quarantined) if p.quarantined else None,
        "case_id": p.case_id,
    }


def _warn_problems(problems: Iterable[Problem]) -> None:
    problems = _unique(problems)
    for p in problems:
        _warn(f"warning: {clean(p.message())}")
    if problems:
        _warn("warning: the other cases are fine; 'secondview check' lists everything to fix")


def _label(item: model.Item) -> str:
    """A few words that name an item for people."""
    for name in ("title", "text", "doctor", "recipient", "summary", "choice"):
        value = item.values.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return item.table


def _find_item(case: model.Case, ref: str) -> model.Item:
    """The item meant by an id or a unique start of one; CaseError naming the trouble."""
    ref = ref.strip().lower()
    if not ref:
        raise CaseError("name an item by its id ('secondview show CASE --json' lists them)")
    item = case.find(ref)
    if item is not None:
        return item
    hits = [i for name in model.TABLES for i in case.table(name) if i.id.startswith(ref)]
    if len(hits) > 1:
        raise CaseError(
            f"'{ref}' matches {len(hits)} items "
            f"({', '.join(f'{i.table} {i.id[:8]}' for i in hits[:6])}); use more of the id"
        )
    raise CaseError(
        f"no item '{ref}' in '{clean(case.title)}'; "
        f"'secondview show {case.id[:8]} --json' lists every item with its id"
    )


def _resolve_refs(case: model.Case, table: str, values: dict[str, Any]) -> dict[str, Any]:
    """Turn REF values given as a unique start of an id into the full id."""
    out = dict(values)
    for f in model.SCHEMA[table]:
        if f.kind is not model.Kind.REF or f.name not in values:
            continue
        ref = str(values[f.name]).strip().lower()
        items = case.table(f.ref_table)
        exact = [i for i in items if i.id == ref]
        hits = exact or [i for i in items if ref and i.id.startswith(ref)]
        if len(hits) == 1:
            out[f.name] = hits[0].id
            continue
        listed = ", ".join(f"{i.id[:8]} ({_short(_label(i), 30)})" for i in items[:12])
        problem = f"'{ref}' matches {len(hits)} of them" if hits else f"no item '{ref}'"
        raise model.InvalidValue(
            f"{f.name}: {problem} in {f.ref_table}. Valid: {listed or 'none yet, add one first'}"
        )
    return out


def _summary(values: Mapping[str, Any], table: str = "case") -> str:
    names = ", ".join(values)
    where = "the case" if table == "case" else f"a {table} item"
    return f"Changed {names} of {where}"[:200]


def _report_saved(saved: OpenCase, values: Mapping[str, Any]) -> None:
    _out(f"Saved {', '.join(values)} in '{clean(saved.case.title)}'")
    if values.get("urgency") == "emergency":
        _warn(progress.EMERGENCY_STEP)


# -- show --------------------------------------------------------------------------------------


def _conflict_values_json(
    opened: OpenCase, table: str, doc_id: str, field: str
) -> list[dict[str, Any]]:
    """Every value of a field in conflict, numbered as ``settle --keep N`` takes them, each
    with the device that wrote it and when (the clock stamp, and in local time)."""
    from .store.settling import conflict_values

    return [
        {
            "number": n,
            "value": e["v"],
            "device": e["dot"][0],
            "device_name": opened.device_name(e["dot"][0]),
            "at": e["at"],
            "changed": _when(e["at"]),
        }
        for n, e in enumerate(conflict_values(opened.state, table, doc_id, field), start=1)
    ]


def _item_json(item: model.Item, opened: OpenCase) -> dict[str, Any]:
    fields = {f.name: getattr(item, f.name) for f in model.SCHEMA[item.table]}
    extra = {k: v for k, v in item.values.items() if k not in fields}
    return {
        "id": item.id,
        "values": {**fields, **extra},
        "conflicts": sorted(item.conflicts),
        "conflict_values": {
            name: _conflict_values_json(opened, item.table, item.id, name)
            for name in sorted(item.conflicts)
        },
        "changed_at": item.changed_at,
        "changed_by": item.changed_by,
        "changed_by_name": opened.device_name(item.changed_by) if item.changed_by else "",
    }


def case_json(opened: OpenCase, today: _dt.date) -> dict[str, Any]:
    """Everything in a case, for scripts: every table's items with ids and values, and every
    value of each field in conflict (``conflicts``), numbered as ``secondview settle`` takes
    them."""
    case = opened.case
    tables = {
        name: [_item_json(i, opened) for i in case.table(name)]
        for name in model.TABLES
        if name not in ("case", "decision")
    }
    return {
        "id": case.id,
        "title": case.title,
        "archived": case.archived,
        "read_only": opened.read_only,
        "phase": progress.phase(case),
        "next_steps": progress.next_steps(case, today),
        "case": _item_json(case.info, opened),
        "decision": _item_json(case.decision, opened) if case.decision else None,
        **tables,
        "conflicts": [
            {"table": t, "id": i, "field": f, "values": _conflict_values_json(opened, t, i, f)}
            for t, i, f in case.conflicts
        ],
        "races": [{"table": t, "id": i} for t, i in case.races],
        "problems": [_problem_json(p) for p in opened.problems],
        "devices": dict(opened.devices),
    }


def _block(label: str, text: str, indent: int = 2, width: int = 14) -> list[str]:
    """A labelled value; continuation lines of multi-line text line up under the first."""
    lines = clean(text, multiline=True).strip().splitlines() or [""]
    pad = " " * indent
    first = f"{pad}{label.ljust(width)}{lines[0]}".rstrip()
    return [first, *(f"{pad}{' ' * width}{line}".rstrip() for line in lines[1:])]


def _opinion_lines(heading: str, o: model.Item) -> list[str]:
    who = ", ".join(x for x in (o.doctor, o.specialty, o.institution) if x)
    when = f" ({o.date})" if o.date else ""
    lines = [f"{heading}: {clean(who)}{when}"]
    for field in model.brief_fields("opinions"):
        value = getattr(o, field.name)
        if isinstance(value, str) and value.strip():
            lines += _block(field.label, value, width=24)
    if o.independent != "unknown":
        lines += _block("Independent of first", o.independent, width=24)
    if o.conflicts:
        lines += _block("Conflicting edits", ", ".join(sorted(o.conflicts)), width=24)
    return lines


def _item_words(case: model.Case, table: str, doc_id: str) -> str:
    """An item for people: its table, the start of its id and a few words of it."""
    item = next((i for i in case.table(table) if i.id == doc_id), None)
    label = f" ({_short(_label(item), 50)})" if item is not None else ""
    return f"{clean(table)} {clean(doc_id[:8])}{label}"


def _conflict_lines(opened: OpenCase) -> list[str]:
    """Each conflict with every value numbered (the numbers ``settle --keep`` takes), the
    device that wrote it and when, and the command that settles it; each raced deletion."""
    from .store.settling import settle_words, shown_value

    case = opened.case
    lines = []
    for table, doc_id, fname in case.conflicts:
        lines.append(f"  {_item_words(case, table, doc_id)}: field '{clean(fname)}' has "
                     "edits from two devices")
        for value in _conflict_values_json(opened, table, doc_id, fname):
            text = clean(shown_value(value["value"]), multiline=True).splitlines() or [""]
            lines.append(f"    {value['number']}. {text[0]}".rstrip())
            lines += [f"       {more}".rstrip() for more in text[1:]]
            lines.append(f"       {clean(value['device_name'])}, {value['changed']}")
        lines.append(f"    settle: {clean(settle_words(case, table, doc_id, fname))}")
    for table, doc_id in case.races:
        lines.append(f"  {_item_words(case, table, doc_id)}: edited on one device, deleted "
                     "on another")
        lines.append(f"    settle: {clean(settle_words(case, table, doc_id))}")
    lines.append("  (--value TEXT instead of --keep N writes a merged value; c in the case "
                 "settles them in the app)")
    return lines


def overview_lines(opened: OpenCase, today: _dt.date) -> list[str]:
    """A case as lines of text: condition, urgency, insurance, opinions, phase, next steps."""
    case = opened.case
    info = case.info
    lines = [clean(case.title) + ("   [archived]" if case.archived else "")]
    latest = max((case.info, *case.log), key=lambda i: i.changed_at)
    lines.append(
        f"id {case.id}   last change {_when(opened.state.max_at)} on "
        f"{clean(opened.device_name(latest.changed_by))}"
    )
    if opened.read_only:
        lines.append(f"READ-ONLY: {clean(opened.read_only)}")
    lines.append("")
    if info.urgency == "emergency":
        lines += [f"!! {progress.EMERGENCY_STEP}", ""]
    if info.patient:
        lines += _block("Patient", info.patient, indent=0)
    lines += _block("Condition", info.condition or "(not recorded yet)", indent=0)
    lines += _block("Urgency", info.urgency, indent=0)
    reasons = [
        model.spec("case", n).label.lower()
        for n in ("cancer", "surgery", "rare", "not_improving", "dismissed")
        if getattr(info, n)
    ]
    if reasons:
        lines += _block("Why asking", "; ".join(reasons), indent=0)
    insurance = [f"plan: {info.insurance_plan}"] if info.insurance_plan else []
    for name in ("covered", "in_network_only", "referral_needed", "preauth_needed"):
        insurance.append(f"{model.spec('case', name).label.lower()}: {getattr(info, name)}")
    insurance.append(f"Medicare: {'yes' if info.medicare else 'no'}")
    lines += _block("Insurance", "\n".join(insurance), indent=0)
    lines += _block("Phase", progress.PHASE_LABELS.get(progress.phase(case), ""), indent=0)
    if info.notes:
        lines += _block("Notes", info.notes, indent=0)

    first = case.first_opinion()
    lines.append("")
    if first is None:
        lines.append("First opinion: not recorded yet")
    else:
        lines += _opinion_lines("First opinion", first)
        for n, other in enumerate(case.later_opinions(), start=2):
            lines.append("")
            lines += _opinion_lines(f"Opinion {n}", other)

    lines += ["", "Next steps"]
    lines += [f"  {n}. {clean(s)}" for n, s in enumerate(progress.next_steps(case, today), 1)]

    done, total = progress.records_confirmed(case)
    overdue = len(progress.overdue_transfers(case, today))
    open_q = progress.open_questions(case)
    checked = sum(1 for i in case.checklist if i.done)
    lines += [
        "",
        "Counts",
        f"  checklist {checked} of {len(case.checklist)} done; "
        f"records {total} ({done} confirmed at every doctor); "
        f"transfers {len(case.transfers)} ({overdue} overdue)",
        f"  questions {len(case.questions)} ({open_q} not asked yet); "
        f"answers {len(case.answers)}; opinions {len(case.opinions)}",
    ]
    if case.decision is not None and decision.state(case):
        lines += _block("Decision", decision.state(case), indent=0)
    if case.conflicts or case.races:
        lines += ["", "Unsettled conflicts", *_conflict_lines(opened)]
    if opened.problems:
        lines += ["", "Problems"]
        lines += [f"  {clean(p.message())}" for p in opened.problems]
    return lines
