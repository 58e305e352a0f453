"""Reading the content folders: the app's own and the person's (``<config>/content``).

A content folder holds::

    checklists/*.yaml    one checklist template per file
    questions/*.yaml     one question bank per file
    records.yaml         the record kinds (bundled content only)
    guides/*.md          guides in Markdown, the first ``# `` line is the title

Files whose name starts with a dot are skipped (sync tools' temporary files), and so is any
file over ``MAX_FILE_BYTES``. What each file says is validated by
``core.content_parser.ContentParser``; this module only lists and reads. Side effects: reads
files; nothing at import.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..core.content import Content
from ..core.content_items import ContentProblem
from ..core.content_parser import ContentParser
from .bundled import bundled_dir

MAX_FILE_BYTES = 1_000_000
"""Content files larger than this are refused (no real checklist comes close)."""


def bundled_content_dir() -> Path | None:
    """The content folder shipped with the app: the source checkout's, else the installed one."""
    return bundled_dir("content")


def load_content(extra_dirs: Sequence[Path] = ()) -> Content:
    """Load the bundled content, then each folder of ``extra_dirs`` that exists.

    Reads files only. Never raises for a bad file: problems are in ``Content.problems``.
    """
    parser = ContentParser()
    bundled = bundled_content_dir()
    if bundled is None:
        parser.content.problems.append(
            ContentProblem(
                Path("content"), None, "",
                "the app's own content folder is missing; reinstall secondview", "content",
            )
        )
    else:
        _load_folder(parser, bundled, "content", bundled=True)
    for folder in extra_dirs:
        folder = Path(folder)
        if folder.is_dir():
            _load_folder(parser, folder, str(folder), bundled=False)
    return parser.content


def _load_folder(parser: ContentParser, root: Path, shown_root: str, bundled: bool) -> None:
    for path in _files(root / "checklists", (".yaml", ".yml")):
        shown = f"{shown_root}/checklists/{path.name}"
        if (text := _read(parser, path, shown)) is not None:
            parser.template(path, shown, text)
    for path in _files(root / "questions", (".yaml", ".yml")):
        shown = f"{shown_root}/questions/{path.name}"
        if (text := _read(parser, path, shown)) is not None:
            parser.bank(path, shown, text)
    if bundled:
        records = root / "records.yaml"
        if records.is_file():
            shown = f"{shown_root}/records.yaml"
            if (text := _read(parser, records, shown)) is not None:
                parser.records(records, shown, text)
    for path in _files(root / "guides", (".md",)):
        shown = f"{shown_root}/guides/{path.name}"
        if (text := _read(parser, path, shown)) is not None:
            parser.guide(path, shown, text, bundled)


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    try:
        return sorted(
            p for p in folder.iterdir()
            if p.suffix in suffixes and not p.name.startswith(".") and p.is_file()
        )
    except OSError:
        return []


def _read(parser: ContentParser, path: Path, shown: str) -> str | None:
    """The text of one file, or None after telling ``parser`` why it cannot be used."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            parser.unreadable(path, shown, f"larger than {MAX_FILE_BYTES:,} bytes")
            return None
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        parser.unreadable(path, shown, "not UTF-8 text; save it as UTF-8")
    except OSError as exc:
        parser.unreadable(path, shown, f"cannot be read ({exc.strerror or exc})")
    return None
