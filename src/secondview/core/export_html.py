"""A printable document's Markdown as one self-contained HTML page, with markdown-it-py.

Raw HTML off, inline print styles, no scripts, no external resources (a
Content-Security-Policy in the page says so to the browser as well). Pure: no I/O.
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable
from typing import Any

from .markdown_escape import clean

CSS = """
:root { color-scheme: light; }
html { background: #fff; }
body { font: 11pt/1.45 "DejaVu Serif", Georgia, "Times New Roman", serif; color: #111;
  max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5em; line-height: 1.2; margin: 0 0 .3em; }
h2 { font-size: 1.15em; margin: 1.2em 0 .35em; padding-bottom: .1em;
  border-bottom: 1px solid #888; }
h3 { font-size: 1em; margin: 1em 0 .3em; }
p { margin: .35em 0; }
ul, ol { margin: .3em 0; padding-left: 1.6em; }
li { margin: .08em 0; }
table { border-collapse: collapse; width: calc(100% - 2px); margin: .5em 1px;
  font-size: .9em; }
th, td { border: 1px solid #888; padding: .2em .35em; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
th { background: #ececec; }
td.nowrap { white-space: nowrap; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .8em;
  word-break: break-all; }
hr { border: 0; border-top: 1px solid #999; margin: 1.8em 0 .4em; }
em { color: #333; }
@page { margin: 14mm 14mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; line-height: 1.28; }
  h1 { font-size: 1.45em; }
  h2 { margin: .9em 0 .3em; }
  p { margin: .25em 0; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  p, li, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2.new-page { break-before: page; page-break-before: always; }
  hr { margin: 1.4em 0 0; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()

NOWRAP_COLUMNS = frozenset({"Date", "Requested", "Sent", "Received", "Confirmed", "Size",
                            "Release signed"})
"""Table columns (by their heading, our own words) whose cells are never wrapped: a date
broken at its hyphens reads badly."""

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


UNUSED_RULES = ("code", "fence", "blockquote", "reference", "lheading", "html_block",
                "autolink", "html_inline", "image", "link", "entity")
"""markdown-it rules the documents never need: with them off, no link, image or raw HTML can
come out even in theory, and a page renders in half the time (see bench/export.py). The
Markdown itself is escaped for every CommonMark renderer (the tests render it with all
rules on and raw HTML allowed)."""


def markdown_parser() -> Any:
    """markdown-it-py's CommonMark parser with tables, raw HTML off (``<tag>`` is text) and
    the rules in UNUSED_RULES off."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").disable(list(UNUSED_RULES))


def to_html(markdown: str, title: str, new_page: Iterable[str] = ()) -> str:
    """A self-contained HTML page of ``markdown``: inline styles for screen and print, no
    scripts, no external resources. ``title`` is plain text (escaped here); level-2 headings
    whose text is in ``new_page`` start a new printed page."""
    md = markdown_parser()
    tokens = md.parse(markdown)
    breaks = set(new_page)
    keep_whole: set[int] = set()  # columns of the current table whose cells never wrap
    column = 0
    for n, token in enumerate(tokens):
        following = tokens[n + 1] if n + 1 < len(tokens) else None
        if token.type == "heading_open" and token.tag == "h2" and following is not None:
            if following.content in breaks:
                token.attrSet("class", "new-page")
        elif token.type == "table_open":
            keep_whole = set()
        elif token.type == "tr_open":
            column = 0
        elif token.type == "th_open":
            if following is not None and following.content in NOWRAP_COLUMNS:
                keep_whole.add(column)
            column += 1
        elif token.type == "td_open":
            if column in keep_whole:
                token.attrSet("class", "nowrap")
            column += 1
    body = md.renderer.render(tokens, md.options, {})
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_html.escape(clean(title).replace(chr(10), ' '))}</title>\n"
        f"<style>\n{CSS}\n</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
