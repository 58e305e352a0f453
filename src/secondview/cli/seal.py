"""``secondview seal ...``, ``unlock`` and ``lock``: a sealed cases folder from the command line.

    secondview seal init     seal this cases folder: a passphrase, a recovery key shown once
    secondview seal status   sealed or not, unlocked here or not, files still plain
    secondview seal passphrase   a new passphrase (only the key file is rewritten)
    secondview seal recover  a new passphrase from the recovery key
    secondview seal rekey    a new key generation (after a lost device)
    secondview seal off      back to plain text (asks to confirm)
    secondview unlock        remember the key on this device (keyring, or a file you allow)
    secondview lock          forget it
    secondview git-textconv FILE   a case file as plain text, for git's diff driver

The passphrase is asked without echo (getpass), or read from the file ``--passphrase-file``
or ``SECONDVIEW_PASSPHRASE_FILE`` names (its first line), never taken on the command line.
The work is done by ``store.key_file``, ``store.sealing`` and ``store.remembered_key``; this
module asks, prints and names problems.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import key_file, remembered_key, sealing
from ..store.errors import CaseError
from ..store.folder_key import FolderKey, SealingUnavailable, new_identity
from ..store.opener import forget_opened
from ..store.sealed_index import remove_index
from ..store.storage import UnreadableFile, read_bytes, unsealed
from .output import clean, out, out_json, warn
from .passphrase import (
    MIN_PASSPHRASE,
    PASSPHRASE_ENV,
    ask,
    current_passphrase,
    first_line,
    new_passphrase,
    passphrase_given,
)

if TYPE_CHECKING:
    import argparse

    from .context import Env

TYPED_BACK = 8
"""How many of the recovery key's last characters the person types back at set-up."""

WARNING = """\
Sealing encrypts every case file this device writes to this cases folder, so whoever syncs
or finds the folder sees only scrambled bytes. Nothing can undo the loss of all three of
these: the passphrase, the recovery key shown next, and a device that remembers the key.
Lose them all and the sealed cases are gone for good, for you as for everyone else."""

OFF_WARNING = """\
Turning the sealing off writes this device's case files, and the files the cases keep, back
as plain text. From then on the sync service, anyone with a shared link to the folder and
anyone who breaks into that service can read these cases again: diagnoses, doctors, dates."""

SEAL_EPILOG = """\
init        seal this cases folder: choose a passphrase (asked twice), keep the recovery key
            shown once, then this device's case files are rewritten sealed. Run it again
            after an interruption: it carries on where it stopped.
status      whether the folder is sealed, unlocked on this device, and which files are
            still plain (written by a device that has not sealed them yet).
passphrase  change the passphrase: asks the current one, then the new one twice.
recover     set a new passphrase with the recovery key, when the passphrase is lost.
rekey       add a new key generation (after losing a device) and show its recovery key;
            files sealed with the older keys stay readable.
off         write this device's case files plain again (asks the passphrase, then to
            confirm, or --yes). The key file goes once no sealed file is left; until then
            each other device writes its own files plain at its next unlock.

Scripts: --passphrase-file FILE or SECONDVIEW_PASSPHRASE_FILE=FILE (its first line is the
passphrase); --new-passphrase-file FILE for the new one; --recovery-key-out FILE writes the
recovery key to a new private file instead of asking for it to be typed back."""


TEXTCONV_EPILOG = """\
For a cases folder kept in git. In the repository:
  git config diff.secondview.textconv "secondview git-textconv"
  echo '*.json diff=secondview' >> .gitattributes
Never set diff.secondview.cachetextconv: git would store the plain text in the repository."""


def register(add: Callable[..., Any], case_help: str) -> None:
    """Add ``seal``, ``unlock`` and ``lock`` to the parser."""
    p = add("seal", "Seal this cases folder so the sync service sees only ciphertext.",
            json=True, epilog=SEAL_EPILOG)
    p.add_argument("action", metavar="init|status|passphrase|recover|rekey|off",
                   choices=("init", "status", "passphrase", "recover", "rekey", "off"))
    _passphrase_option(p)
    p.add_argument("--new-passphrase-file", metavar="FILE",
                   help="the new passphrase (passphrase, recover), in this file's first line")
    p.add_argument("--recovery-key-out", metavar="FILE",
                   help="init, rekey: write the recovery key to this new file (made 0600)")
    p.add_argument("--recovery-key-file", metavar="FILE",
                   help="recover: the recovery key, in this file's first line")
    p.add_argument("--yes", action="store_true",
                   help="off: do not ask to confirm that the cases become readable again")
    _remember_option(p)
    p.set_defaults(handler=cmd_seal, when_locked=True)

    p = add("unlock", "Remember this sealed folder's key on this device (asks the passphrase).")
    _passphrase_option(p)
    _remember_option(p)
    p.set_defaults(handler=cmd_unlock, when_locked=True)

    p = add("lock", "Forget this sealed folder's key on this device.")
    p.set_defaults(handler=cmd_lock, when_locked=True)

    p = add("git-textconv", "Print a case file as plain text, for git diff and git log -p.",
            epilog=TEXTCONV_EPILOG)
    p.add_argument("file", metavar="FILE", help="a case file (sealed or not)")
    p.set_defaults(handler=cmd_git_textconv)


def _passphrase_option(p: Any) -> None:
    p.add_argument("--passphrase-file", metavar="FILE",
                   help=f"read the passphrase from this file's first line (or {PASSPHRASE_ENV})")


def _remember_option(p: Any) -> None:
    p.add_argument("--remember-in-file", action="store_true",
                   help="where no keyring works, keep the key in a private file in this "
                        "device's data folder (it guards against the sync service, not "
                        "against someone holding this disk)")


# -- asking -----------------------------------------------------------------------------------


def _keep_recovery_key(key: FolderKey, out_file: str | None) -> None:
    """Write the recovery key to a new 0600 file, or show it once and have its last
    characters typed back. CaseError (nothing written) when it is not confirmed."""
    if out_file:
        path = Path(out_file).expanduser()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CaseError(f"{path} exists already; the recovery key goes to a new file, "
                            "so nothing was changed") from None
        except OSError as exc:
            raise CaseError(f"{path} cannot be written ({exc.strerror}); nothing was "
                            "changed") from None
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.recovery_key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        out(f"The recovery key is in {path}: keep it somewhere safe, away from this folder.")
        return
    if not sys.stdin.isatty():
        raise CaseError("no terminal to show the recovery key on; give "
                        "--recovery-key-out FILE")
    out("Your recovery key (write it down or print it; it is shown only this once):", "",
        f"    {key.recovery_key}", "")
    for _ in range(3):
        typed = getpass.getpass(f"Type its last {TYPED_BACK} characters to show you kept it: ")
        if typed.strip().upper() == key.recovery_key[-TYPED_BACK:]:
            return
        out("That does not match; look again.")
    raise CaseError("the recovery key was not confirmed, so the folder was not sealed")


def _remember(env: Env, key: FolderKey, args: argparse.Namespace) -> None:
    place = remembered_key.remember(env.paths, key, consent_to_file=args.remember_in_file)
    if place == remembered_key.KEYRING:
        out("This device remembers the key in its keyring ('secondview lock' forgets it).")
    elif place == remembered_key.FILE:
        out(f"This device remembers the key in {env.paths.data_dir} (a private file; "
            "'secondview lock' forgets it).")
    else:
        out("This device does not remember the key (no keyring here): run 'secondview "
            "unlock --remember-in-file' to keep it in a private file, or give the "
            f"passphrase to each command ({PASSPHRASE_ENV}).")


# -- commands ---------------------------------------------------------------------------------


def cmd_seal(args: argparse.Namespace, env: Env) -> int:
    """Run ``seal ACTION``. Side effects: as each action's docstring says."""
    actions = {"init": _init, "status": _status, "passphrase": _change_passphrase,
               "recover": _recover, "rekey": _rekey, "off": _off}
    try:
        return actions[args.action](args, env)
    except (key_file.KeyFileError, SealingUnavailable) as exc:
        warn(clean(str(exc)))
        return 1


def _unlocked(args: argparse.Namespace, env: Env) -> FolderKey:
    if isinstance(env.repo.key, FolderKey):
        return env.repo.key
    return key_file.unlock(env.paths.cases_dir, current_passphrase(args))


def _init(args: argparse.Namespace, env: Env) -> int:
    """Seal the folder (or finish sealing it). Side effects: the recovery key file if asked,
    the key file, this device's replicas and the kept files rewritten sealed; the key
    remembered where allowed."""
    cases = env.paths.cases_dir
    if key_file.is_sealed_folder(cases):
        key = _unlocked(args, env)
        if key.plain:  # 'seal off' had begun: the key file says so no longer
            passphrase = current_passphrase(args)
            key = FolderKey(key_file.unlock(cases, passphrase).identities)
            _rewrite_key_file(args, env, key, passphrase)
            out("Sealing is back on for this cases folder; every device seals its files at "
                "its next unlock.")
        else:
            out("This cases folder is sealed already; sealing what is still plain here.")
    else:
        out(WARNING, "")
        passphrase = passphrase_given(args.passphrase_file) or new_passphrase(None)
        if len(passphrase) < MIN_PASSPHRASE:
            raise CaseError(f"a passphrase needs at least {MIN_PASSPHRASE} characters")
        key = FolderKey([new_identity()])
        _keep_recovery_key(key, args.recovery_key_out)
        key_file.write_key_file(cases, key, passphrase)
        out(f"Sealed: the key file is {key_file.key_file(cases)}.")
    env.repo.key = key
    done = sealing.seal_own(env.repo, key)
    env.repo.close()  # the index is opened again sealed (store.sealed_index)
    remove_index(env.paths.index_file, sealed=False)
    out(f"{len(done.sealed)} file(s) sealed now, {done.already} sealed already.")
    for problem in done.problems:
        warn(f"not sealed: {problem}")
    _remember(env, key, args)
    return 1 if done.problems else 0


def _status(args: argparse.Namespace, env: Env) -> int:
    """Print how the folder stands. Only reads (the first line of each file)."""
    cases = env.paths.cases_dir
    sealed = key_file.is_sealed_folder(cases)
    plain = sealing.plain_files(cases) if sealed else []
    unlocked = env.repo.key is not None
    if args.json:
        out_json({"sealed": sealed, "unlocked": unlocked, "plain_files": [str(p) for p in plain]})
        return 0
    if not sealed:
        out("This cases folder is not sealed ('secondview seal init' seals it).")
        return 0
    if getattr(env.repo.key, "plain", False):
        left = sealing.sealed_files(cases)
        out("This cases folder's sealing is being turned off ('secondview seal off'): every "
            "device writes its files plain at its next unlock.")
        out(f"{len(left)} file(s) still sealed" + (":" if left else "."))
        out(*(f"  {p.relative_to(cases)}" for p in left))
        return 0
    out("This cases folder is sealed; " + ("it is unlocked on this device." if unlocked else
                                          "it is locked on this device ('secondview unlock')."))
    if plain:
        out(f"{len(plain)} file(s) still plain (their devices seal them at their next save "
            "after 'secondview seal init' there):")
        out(*(f"  {p.relative_to(cases)}" for p in plain))
    else:
        out("Every case file is sealed.")
    return 0


def _change_passphrase(args: argparse.Namespace, env: Env) -> int:
    """A new passphrase, after the current one. Side effects: only the key file rewritten
    (atomic)."""
    key = key_file.unlock(env.paths.cases_dir, current_passphrase(args))
    _rewrite_key_file(args, env, key, new_passphrase(args.new_passphrase_file))
    out("The passphrase is changed; every case file stays as it is.")
    return 0


def _recover(args: argparse.Namespace, env: Env) -> int:
    """A new passphrase from the recovery key. Side effects: the key file rewritten."""
    text = (first_line(args.recovery_key_file, "recovery key") if args.recovery_key_file
            else ask("Recovery key: ")).strip().upper()
    if not text.startswith("AGE-SECRET-KEY-1"):
        raise CaseError("that is not a recovery key (it starts with AGE-SECRET-KEY-1)")
    try:
        key = FolderKey([text])
    except Exception as exc:  # pyrage refuses a mistyped key with its own error type
        raise CaseError("that recovery key is mistyped (its checksum does not match)") from exc
    _rewrite_key_file(args, env, key, new_passphrase(args.new_passphrase_file))
    out("A new passphrase is set from the recovery key.")
    return 0


def _rekey(args: argparse.Namespace, env: Env) -> int:
    """A new key generation. Side effects: the recovery key file if asked, the key file
    rewritten with the new generation, this device's files resealed to it."""
    passphrase = current_passphrase(args)  # it stays the passphrase, now of the new key too
    old = key_file.unlock(env.paths.cases_dir, passphrase)
    key = FolderKey([*old.identities, new_identity()])
    _keep_recovery_key(key, args.recovery_key_out)
    _rewrite_key_file(args, env, key, passphrase)
    env.repo.key = key
    done = sealing.seal_own(env.repo, key, reseal=lambda raw: True)
    out(f"A new key generation is in use; {len(done.sealed)} file(s) of this device resealed.")
    return 0


def _off(args: argparse.Namespace, env: Env) -> int:
    """Turn the sealing off, after the passphrase and a confirmation. Side effects: the key
    file rewritten to say so (every device then writes plain), this device's replicas and
    the kept files rewritten plain, and the key file removed (with this device's remembered
    key) once no sealed file is left."""
    cases = env.paths.cases_dir
    if not key_file.is_sealed_folder(cases):
        out("This cases folder is not sealed; nothing to turn off.")
        return 0
    passphrase = current_passphrase(args)
    key = key_file.unlock(cases, passphrase)
    out(OFF_WARNING, "")
    if not args.yes:
        _confirm_off()
    if not key.plain:
        key = key.unsealing()
        _rewrite_key_file(args, env, key, passphrase)
    return _unsealed(env, sealing.unseal_own(env.repo, key), "")


def _confirm_off() -> None:
    if not sys.stdin.isatty():
        raise CaseError("no terminal to confirm on; give --yes to turn the sealing off")
    typed = input("Write the cases as plain text? Type yes to go on: ")
    if typed.strip().lower() != "yes":
        raise CaseError("not confirmed; nothing was changed")


def _unsealed(env: Env, off: sealing.Unsealed, whose: str) -> int:
    """Say what ``unseal_own`` did; 1 when a file could not be written plain."""
    out(f"{len(off.done.sealed)} file(s){whose} written plain, {off.done.already} plain "
        "already.")
    for problem in off.done.problems:
        warn(f"not written plain: {clean(problem)}")
    if off.key_file_removed:
        remembered_key.forget(env.paths)
        env.repo.close()  # the index is opened again as a plain file
        remove_index(env.paths.index_file, sealed=True)
        out("This cases folder is no longer sealed: its key file is removed.")
    elif off.remaining:
        out(f"{len(off.remaining)} sealed file(s) of other devices are still in the folder, "
            "so the key file stays: each of those devices writes its files plain at its next "
            "unlock (the passphrase is asked there again). Then 'secondview seal off' here "
            "removes the key file.")
        out(*(f"  {p.relative_to(env.paths.cases_dir)}" for p in off.remaining))
    return 1 if off.done.problems else 0


def _rewrite_key_file(args: argparse.Namespace, env: Env, key: FolderKey, passphrase: str
                      ) -> None:
    """Write the key file anew; a key this device remembered is remembered again from it
    (a remembered key is tied to the key file it came from: ``store.remembered_key``)."""
    remembered = remembered_key.recall(env.paths) is not None
    key_file.write_key_file(env.paths.cases_dir, key, passphrase)
    if remembered:  # where it was, with the consent given then
        remembered_key.remember(env.paths, key, consent_to_file=True)


def cmd_unlock(args: argparse.Namespace, env: Env) -> int:
    """Check the passphrase and remember the key here. Side effects: the keyring entry or,
    with consent, the private file; this device's files still plain, or (after a re-key)
    sealed to an older key generation, rewritten sealed to the newest."""
    try:
        key = key_file.unlock(env.paths.cases_dir, current_passphrase(args))
    except (key_file.KeyFileError, SealingUnavailable) as exc:
        warn(clean(str(exc)))
        return 1
    _remember(env, key, args)
    env.repo.key = key
    if key.plain:  # the sealing is being turned off
        return _unsealed(env, sealing.unseal_own(env.repo, key), " of this device")
    done = sealing.seal_at_unlock(env.repo, key)
    if done.sealed:
        out(f"{len(done.sealed)} file(s) of this device sealed to the newest key.")
    return 0


def cmd_lock(args: argparse.Namespace, env: Env) -> int:
    """Forget the key here. Side effects: the keyring entry and the file entry removed, and
    the plain copies handed to the viewer (``opener.forget_opened``)."""
    if forget_opened(env.paths.cache_dir):
        out("The copies opened for viewing on this device are removed.")
    if remembered_key.forget(env.paths):
        out("This device no longer remembers the key; 'secondview unlock' to open it again.")
    else:
        out("This device did not remember the key.")
    return 0


def cmd_git_textconv(args: argparse.Namespace, env: Env) -> int:
    """Print FILE's plain bytes on stdout (opened with the folder key when sealed). Only
    reads."""
    path = Path(args.file)
    try:
        raw = read_bytes(path)
        data = unsealed(path, raw, env.repo.key)
    except UnreadableFile as exc:
        warn(clean(f"{path}: {exc.problem}"))
        return 1
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0
