"""A sealed cases folder beside a plain one: opening and saving the realistic case with every
replica sealed (age, through pyrage), and unlocking the folder once (scrypt), reported apart.
Opening again a case whose files did not change reads them back from what the folder key
remembers (``store.folder_key``); a row opens it as if each file had just changed, so every
replica is decrypted.

``python -m bench sealed [N]`` runs only these; the full run adds them after the plain case.
Side effects: generated cases and a key file under the work folder it is given.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from secondview.store.folder_key import FolderKey, new_identity
from secondview.store.key_file import unlock, write_key_file

from . import data, suite
from .timing import Row, median_ms, report

PASSPHRASE = "a passphrase for the benchmark"


class SealedCaseBench(suite.CaseBench):
    """``suite.CaseBench`` on a sealed folder: both replicas of the second case (and the one
    of the first) sealed with the folder key, the repository given the key."""

    def __init__(self, tpl: data.Template, work: Path, repeat: int) -> None:
        super().__init__(tpl, work, repeat)
        key = FolderKey([new_identity()])
        for path in sorted(self.paths.cases_dir.glob("*/*.json")):
            path.write_bytes(key.seal(path.read_bytes()))
        write_key_file(self.paths.cases_dir, key, PASSPHRASE)
        started = time.perf_counter()
        self.key = unlock(self.paths.cases_dir, PASSPHRASE)
        self.unlock_ms = (time.perf_counter() - started) * 1000
        self.repo.key = self.key
        self.opened = self.repo.open(self.two)

    def open_afresh(self) -> object:
        """Open the two-replica case with a key that has read none of its files (as after
        a sync brought new versions): every replica is decrypted."""
        self.repo.key = FolderKey(self.key.identities)
        try:
            return self.repo.open(self.two).case  # the typed view: ready to show
        finally:
            self.repo.key = self.key

    def rows(self) -> list[Row]:
        n, repo = self.repeat, self.repo
        runs = f"median of {n}"
        return [
            Row("sealed: open a case, ready to show (1 replica)",
                median_ms(lambda: repo.open(self.one).case, n), "ms", runs, suite.OPEN_BUDGET_MS),
            Row("sealed: open a case, ready to show (2 replicas)",
                median_ms(lambda: repo.open(self.two).case, n), "ms", runs, suite.OPEN_BUDGET_MS),
            Row("sealed: open a case just changed elsewhere (2 replicas decrypted afresh)",
                median_ms(self.open_afresh, n), "ms", runs, suite.OPEN_BUDGET_MS),
            Row("sealed: save one edit (sealed, atomic fsynced write, index)",
                median_ms(self.save, n), "ms", runs, suite.SAVE_BUDGET_MS),
            Row("sealed: unlock the folder once (scrypt on the key file)", self.unlock_ms, "ms",
                "once", note="at start or on the unlock screen, never per file"),
        ]


def rows(tpl: data.Template, work: Path, repeat: int) -> list[Row]:
    bench = SealedCaseBench(tpl, work / "sealed", repeat)
    try:
        return bench.rows()
    finally:
        bench.close()


def main(words: list[str]) -> int:
    """``python -m bench sealed [N]``: the plain case's rows, then the sealed ones."""
    repeat = int(words[0]) if words else 50
    started = time.perf_counter()
    tpl = data.template()
    work = Path(tempfile.mkdtemp(prefix="secondview-sealed-"))
    try:
        plain = suite.CaseBench(tpl, work / "plain", repeat)
        table = plain.rows()
        plain.close()
        table += rows(tpl, work, repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(table, started, [])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
