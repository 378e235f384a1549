"""Source spans (1-based line and column, end exclusive).

A plain frozen value: the core model, the cache and the results carry spans, and none of them should need
pydantic to be read back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
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
        return replace(self, col=col, end_line=self.line, end_col=end_col)


from obligations.fastdc import fast_setstate  # noqa: E402 (after every class it patches)

fast_setstate(globals())
