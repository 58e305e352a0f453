"""A resource's narrative (``text.div``, XHTML) as plain text, when it says more than the
structured elements do.

Some reports exist only as narrative: HL7's Pap smear example carries its whole report (the
specimen, the interpretation, the recommendation) in ``text.div``, and its code has no
display. FHIR marks such a narrative ``additional`` or ``extensions``; a ``generated`` one
repeats the structured elements and is kept only when the resource has nothing else to show.
The markup is read with the standard library's HTML parser and never rendered: only its text
is kept, a line per block. Pure; nothing happens at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from .values import element, text

SAYS_MORE = ("additional", "extensions")
"""``text.status`` values meaning the narrative holds more than the structured elements."""

_HIDDEN = {"script", "style"}
_BLOCKS = {"br", "p", "div", "tr", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}


class _TextOnly(HTMLParser):
    """Collects the text of an XHTML fragment, a line per block; ignores every tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.hidden = 0  # inside <script> or <style>, whose text is not the narrative's

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        if tag in _BLOCKS:
            self.lines.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <br/> is one line break, not two

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        if tag in _BLOCKS:
            self.lines.append("")
        elif tag in ("td", "th"):
            self.lines[-1] += "  "

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.lines[-1] += data


def narrative(data: Mapping[str, Any], nothing_else: bool) -> str:
    """The narrative of a resource as plain text ("" when there is none, or when it is
    generated from elements shown already: ``nothing_else`` says the resource has no other
    text to show). Raises Malformed (a ``text`` that is not an object)."""
    block = element(data, "text")
    div = text(block, "div", "text.")
    state = text(block, "status", "text.")
    if not div or (state not in SAYS_MORE and not nothing_else):
        return ""
    reader = _TextOnly()
    reader.feed(div)
    reader.close()
    lines = [" ".join(line.split()) for line in reader.lines]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
