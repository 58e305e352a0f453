"""The ``secondview`` command: the app by default, plus commands for scripts.

    entry.py        ``main``: the entry point (console script ``secondview.cli:main``) and
                    the error policy (exit 0/1, one-line messages, the crash log)
    parser.py       the argument parser; every command names its handler
    context.py      ``Env``: what a command works with (paths, config, repository, content)
    output.py       what is printed and how (``out``, ``warn``, ``out_json``, ``when``,
                    ``short``, ``clean``)
    items.py        items named by id or a unique start of one
    cases.py        new, list, show, archive, restore, set, add, edit, delete
    case_view.py    how ``show`` tells a case, for people and for scripts
    diagnostics.py  check, where
    settle.py       settle
    sync.py         sync status|tidy, import, export --replica
    exports.py      export (documents)
    records.py      attach, verify, import-fhir

A plain start of the app imports ``entry`` alone (with the store): never argparse or a
command module.
"""

from .entry import main

__all__ = ["main"]
