"""The commands that look over everything: ``check`` (every case read in full, what needs the
user) and ``where`` (the folders in use, this device), with how problems with case files are
reported (also by ``list``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..store.case_check import check
from ..store.paths import Paths
from ..store.repository import Problem
from .case_view import problem_json
from .output import clean, out, out_json, warn

if TYPE_CHECKING:
    import argparse

    from .context import Env


def register(add: Callable[..., Any], case_help: str) -> None:
    """Add ``check`` and ``where`` to the parser (``add`` is ``parser.build_parser``'s
    helper), each naming its handler."""
    p = add(
        "check",
        "Read every case in full; report unreadable files and unsettled conflicts.",
        json=True,
        epilog="Exit status 1 when anything needs you. Unreadable files are copied to the "
        "quarantine folder\n(see 'secondview where') and left where they are.",
    )
    p.set_defaults(handler=cmd_check)
    p = add("where", "Show the folders in use and this device's id and name.", json=True)
    p.set_defaults(handler=cmd_where)


def cmd_check(args: argparse.Namespace, env: Env) -> int:
    """Read every case in full and report what needs the user; exit 1 if anything does.

    Side effects: quarantines unreadable files (copies), tightens loose permissions, brings
    the list index up to date.
    """
    problems = unique_problems(check(env.repo) + env.repo.refresh())
    count = len(env.repo.case_ids())
    if args.json:
        out_json(
            {
                "cases": count,
                "cases_dir": str(env.paths.cases_dir),
                "fine": not problems,
                "problems": [problem_json(p) for p in problems],
            }
        )
    else:
        for problem in problems:
            out(clean(problem.message()))
        if not problems:
            noun = "case is" if count == 1 else "cases are"
            out(f"All {count} {noun} fine ({env.paths.cases_dir}).")
    if problems:
        noun = "problem needs" if len(problems) == 1 else "problems need"
        warn(f"{len(problems)} {noun} you, see above{_quarantine_words(problems, env.paths)}")
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
        out_json(info)
        return 0
    out(
        f"cases folder    {p.cases_dir}   (synced: put it in your sync tool's folder)",
        f"this device     {clean(device.name)} (id {device.id})",
        f"data folder     {p.data_dir}   (local: device id, quarantine, locks)",
        f"cache folder    {p.cache_dir}   (local: the case list index)",
        f"config folder   {p.config_dir}   (config.yaml, content/, themes/)",
    )
    return 0


# -- problems with case files ---------------------------------------------------------------


def unique_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once (per file and problem), the one with a quarantine copy first."""
    seen: dict[tuple[str, str], Problem] = {}
    for p in problems:
        key = (str(p.path), p.problem)
        if key not in seen or (p.quarantined and not seen[key].quarantined):
            seen[key] = p
    return list(seen.values())


def warn_problems(problems: Iterable[Problem]) -> None:
    """Warn on stderr about each problem once, then that the other cases are fine."""
    problems = unique_problems(problems)
    for p in problems:
        warn(f"warning: {clean(p.message())}")
    if problems:
        warn("warning: the other cases are fine; 'secondview check' lists everything to fix")
