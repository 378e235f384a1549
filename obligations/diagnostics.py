"""Diagnostics: located, coded messages with a short and a long rendering.

Every stage reports problems as `Diagnostic` values instead of raising, so a
run can show all the mistakes in a file at once. The short form is the one
editors and CI parse (`file:line:col: error[E012]: message`); the long form
adds the source line, a caret under the spot, the Article trail and a hint.
"""

from __future__ import annotations

import difflib
from enum import Enum
from typing import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from obligations.source import Span


class Severity(str, Enum):
    error = "error"
    warning = "warning"


class Diagnostic(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    code: str
    severity: Severity = Severity.error
    message: str
    span: Span
    hint: str | None = None
    trail: str | None = None  # e.g. "anzus › Article IV"

    def short(self) -> str:
        s = self.span
        return f"{s.file}:{s.line}:{s.col}: {self.severity.value}[{self.code}]: {self.message}"

    def long(self, source_text: str | None = None) -> str:
        out = [self.short()]
        if self.trail:
            out.append(f"  in {self.trail}")
        if source_text is not None:
            lines = source_text.split("\n")  # as the parser counts lines; not str.splitlines
            if 1 <= self.span.line <= len(lines):
                from obligations.safetext import escape

                text = lines[self.span.line - 1]
                num = str(self.span.line)
                pad = " " * len(num)
                out.append(f"{pad} |")
                # The line is quoted with its control, bidi and invisible characters escaped (a comment must
                # not clear the screen or reorder the line), and the caret counts the escapes' width.
                out.append(f"{num} | {escape(text)}")
                width = 1
                if self.span.end_line == self.span.line and self.span.end_col > self.span.col:
                    seg = text[self.span.col - 1:self.span.end_col - 1]
                    width = self.span.end_col - self.span.col + len(escape(seg)) - len(seg)
                # Tabs in the prefix keep the caret aligned with the source line.
                prefix = "".join(c if c == "\t" else " " for c in escape(text[: self.span.col - 1]))
                out.append(f"{pad} | {prefix}{'^' * max(1, min(width, 80))}")
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)

    def to_json(self) -> dict:
        d = self.model_dump(mode="json")
        return d


def closest(name: str, known: Iterable[str], n: int = 1) -> list[str]:
    """Known names closest to `name`, for "did you mean" hints."""
    known = list(known)
    hits = difflib.get_close_matches(name, known, n=n, cutoff=0.6)
    if not hits:
        low = {k.lower(): k for k in known}
        hits = [low[h] for h in difflib.get_close_matches(name.lower(), list(low), n=n, cutoff=0.6)]
    return hits


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    hits = closest(name, known)
    return f'did you mean "{hits[0]}"?' if hits else None


def has_errors(diags: Sequence[Diagnostic]) -> bool:
    return any(d.severity == Severity.error for d in diags)


def sort_key(d: Diagnostic) -> tuple:
    return (d.span.file, d.span.line, d.span.col, d.code)
