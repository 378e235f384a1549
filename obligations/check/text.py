"""The text itself: characters that make a clause file read differently from what the engine reads.

W001: a bidirectional control (U+202A-202E, U+2066-2069, U+200E/F, U+061C). An editor or a code review shows
the text reordered; the engine reads it in storage order: the "Trojan Source" pattern (CVE-2021-42574).
W002: another control or invisible character (ESC, C1, DEL, zero-width spaces and joiners, tag characters):
invisible in an editor, and what a terminal would act on if it were printed raw (it never is: see
obligations/safetext.py). A carriage return before a newline (a Windows line end) and tabs are text.
"""

from __future__ import annotations

import unicodedata

from obligations.diagnostics import Diagnostic, Severity
from obligations.safetext import BIDI, UNSAFE_OR_SENTINEL
from obligations.source import Span

MAX_PER_FILE = 20  # then one line saying how many more


_C0 = {"\x07": "BELL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION", "\x0c": "FORM FEED", "\r": "CARRIAGE RETURN",
       "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE", "\x9b": "CONTROL SEQUENCE INTRODUCER",
       "\x9d": "OPERATING SYSTEM COMMAND"}


def _name(c: str) -> str:
    return f"U+{ord(c):04X} {_C0.get(c) or unicodedata.name(c, 'control character')}"


def check(texts: dict[str, str]) -> list:
    """Warnings about characters in the source texts (a pass over the text, not the model)."""
    out: list[Diagnostic] = []
    for path, text in texts.items():
        if UNSAFE_OR_SENTINEL.search(text) is None:
            continue
        found = []
        for lineno, line in enumerate(text.split("\n"), start=1):
            for m in UNSAFE_OR_SENTINEL.finditer(line):
                c = m.group()
                if c == "\r" and m.end() == len(line):
                    continue  # CRLF
                found.append((lineno, m.start() + 1, c))
        for lineno, col, c in found[:MAX_PER_FILE]:
            span = Span(file=path, line=lineno, col=col, end_line=lineno, end_col=col + 1)
            if BIDI.fullmatch(c):
                out.append(Diagnostic(code="W001", severity=Severity.warning, span=span,
                                      message=f"a bidirectional control character ({_name(c)}): the line may read "
                                              "differently in an editor from what the engine reads",
                                      hint="remove it, unless the text quoted really contains it (\"Trojan Source\")"))
            else:
                out.append(Diagnostic(code="W002", severity=Severity.warning, span=span,
                                      message=f"an invisible or control character ({_name(c)})",
                                      hint="remove it; it is shown escaped wherever the engine prints this text"))
        if len(found) > MAX_PER_FILE:
            lineno, col, _ = found[MAX_PER_FILE]
            out.append(Diagnostic(code="W002", severity=Severity.warning, span=Span.point(path, lineno, col),
                                  message=f"{len(found) - MAX_PER_FILE} more control or invisible character(s) in this file"))
    return out
