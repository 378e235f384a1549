"""Source spans (1-based line and column, end exclusive).

A plain frozen value: the core model, the cache and the results carry spans, and none of them should need
pydantic to be read back.
"""

from __future__ import annotations

from obligations.record import record


@record(frozen=True, slots=True)
class Span:
    file: str
    line: int
    col: int
    end_line: int
    end_col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    @classmethod
    def point(cls, file: str, line: int = 1, col: int = 1) -> "Span":
        return cls(file=file, line=line, col=col, end_line=line, end_col=col + 1)

    def narrowed(self, col: int, end_col: int) -> "Span":
        """The same line from `col` to `end_col`: one name inside a statement."""
        return Span(self.file, self.line, col, self.line, end_col)
