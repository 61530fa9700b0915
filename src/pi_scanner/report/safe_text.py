r"""Text from stores made safe to show: reports that cannot be turned against their reader.

Table, column, file and key names come from strangers' stores. In a Markdown report a name such as
``<script>alert(1)</script>`` runs in any renderer that passes HTML through (CommonMark does), and
``](javascript:...)`` makes a link; in every format a bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE)
makes one name display as another. Every name is passed through these functions before it is written:
bidi and other control characters are shown as ``\u202e`` escapes, HTML is escaped, and Markdown's own
syntax is backslash-escaped.
"""

from __future__ import annotations

import html
import re

#: Bidirectional formatting characters (Unicode 15 "Bidi_Control") and the other invisible controls that
#: reorder or hide text: C0/C1 controls except tab, line separators.
_CONTROLS = {
    *(chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t"),
    *(chr(c) for c in range(0x7F, 0xA0)),
    "\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\u2028", "\u2029",
}
_SHOWN = {ord(c): f"\\u{ord(c):04x}" for c in _CONTROLS}
#: Characters with a meaning in CommonMark inline or block syntax (backslash-escapable ASCII punctuation).
_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()#+-!|~")
#: A name starting like an ordered list item (``1.``) would open a list inside a list item (``1)`` is
#: already escaped: the parenthesis is in the set above).
_ORDERED_START = re.compile(r"^(\d{1,9})\.")
_MARKDOWN_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def show_controls(text: object) -> str:
    r"""``text`` with bidi and other control characters replaced by visible ``\uXXXX`` escapes."""
    return str(text).translate(_SHOWN)


def html_text(text: object, quote: bool = True) -> str:
    """``text`` safe inside HTML elements and quoted attributes, with controls shown as escapes."""
    return html.escape(show_controls(text), quote=quote)


def markdown_text(text: object) -> str:
    """``text`` as literal Markdown: no HTML, no link, no emphasis, no table cell break, controls shown.

    HTML's ``<``, ``>`` and ``&`` become entity references (a backslash does not stop raw HTML in every
    renderer); every other ASCII punctuation character CommonMark gives a meaning to is backslash-escaped.
    """
    out = []
    for ch in show_controls(text):
        if ch in _MARKDOWN_ENTITIES:
            out.append(_MARKDOWN_ENTITIES[ch])
        elif ch in _MARKDOWN_PUNCTUATION:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return _ORDERED_START.sub(r"\1\\.", "".join(out))
