"""A small scanner over the grammar's terminals, for text the parser cannot read whole.

The parser's contextual lexer decides between `XIV` as a state code and as an article number by the rule it is
in; this scanner does not need to: it cuts text into strings, comments, words (names and keywords, `IV(1)`,
`USA`, `1952-04-29`) and punctuation, with their offsets, which is what an editor needs to find the word under
the cursor, to tell that the cursor is inside a string or a comment, and to read the words before it.
"""

from __future__ import annotations

import re

from obligations import highlight as H
from obligations.record import record

_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*")'
    r'|(?P<open>"(?:[^"\\]|\\.)*\\?\Z)'
    r"|(?P<comment>#[^\n]*)"
    rf"|(?P<date>{H.DATE}){H.WORD_END}"
    rf"|(?P<artnum>(?:[0-9]+[a-z]*|[IVXLC]+)(?:\.[0-9a-z]+|\([0-9a-z]+\))+){H.WORD_END}"
    r"|(?P<code>[A-Z][A-Za-z0-9]*)"
    r"|(?P<number>[0-9][A-Za-z0-9]*)"
    r"|(?P<word>[a-z][a-z0-9-]*)"
    r"|(?P<punct><=|>=|[<>=(){},*])"
    r"|(?P<space>\s+)"
    r"|(?P<error>.)",
    re.DOTALL,
)


@record(frozen=True, slots=True)
class Tok:
    kind: str  # string | open (a string not closed) | comment | date | artnum | code | number | word | punct | error
    value: str
    start: int  # offsets into the text, end exclusive
    end: int


def tokens(text: str) -> list[Tok]:
    """Every token of `text` but white space. An unterminated string runs to the end of the text."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind != "space":
            out.append(Tok(kind, m.group(), m.start(), m.end()))
    return out


def token_at(toks: list[Tok], offset: int) -> Tok | None:
    """The token the cursor at `offset` is in or just after (`place = gu|am`, `place = guam|`)."""
    for t in toks:
        if t.start <= offset <= t.end and t.kind not in ("punct",):
            if t.start == offset and t.kind in ("string", "open", "comment"):
                continue  # just before a string or a comment is not inside it
            return t
        if t.start > offset:
            break
    return None


def inside_text(toks: list[Tok], offset: int) -> bool:
    """Whether `offset` is inside a string or a comment (where nothing is completed)."""
    for t in toks:
        # A comment runs to the end of its line and a string that is not closed to the end of the text: the
        # cursor just after either is still inside it.
        if t.start < offset and (offset < t.end or (offset == t.end and t.kind in ("open", "comment"))):
            return t.kind in ("string", "open", "comment")
        if t.start >= offset:
            break
    return False
