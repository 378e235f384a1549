"""Positions: the engine's 1-based (line, column) in characters <-> LSP's 0-based (line, character) in code units.

The parser (Lark) counts lines at "\\n" and columns in Python characters (code points), from 1; `Diagnostic.long`
splits lines the same way. LSP counts lines from 0 and columns in UTF-16 code units unless the client and server
agreed on "utf-8" or "utf-32". A character outside the Basic Multilingual Plane (an emoji, some CJK) is one
code point but two UTF-16 units; "é" is one of each but two UTF-8 bytes. A "\\r" before "\\n" belongs to the
line for the parser and is a line ending for LSP; it sits after every column either counts, so both agree.
"""

from __future__ import annotations

from bisect import bisect_right

UTF16, UTF8, UTF32 = "utf-16", "utf-8", "utf-32"


def _units(ch: str, encoding: str) -> int:
    if encoding == UTF32:
        return 1
    o = ord(ch)
    if encoding == UTF8:
        return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return 2 if o >= 0x10000 else 1


class LineIndex:
    """One text's lines, for converting positions and offsets."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.text = text
        self.encoding = encoding
        self.lines = text.split("\n")
        self._starts = [0]
        for line in self.lines[:-1]:
            self._starts.append(self._starts[-1] + len(line) + 1)

    # -- 1-based (parser) <-> 0-based (LSP)
    def to_lsp(self, line: int, col: int) -> tuple[int, int]:
        """Parser (line, col), 1-based in characters -> LSP (line, character), 0-based in code units."""
        if line < 1:
            return 0, 0
        if line > len(self.lines):
            return len(self.lines) - 1, self._width(self.lines[-1], len(self.lines[-1]))
        text = self.lines[line - 1]
        return line - 1, self._width(text, min(max(col - 1, 0), len(text)))

    def from_lsp(self, line: int, character: int) -> tuple[int, int]:
        """LSP (line, character) -> parser (line, col). A position past the end of a line is its end."""
        if line < 0:
            return 1, 1
        if line >= len(self.lines):
            return len(self.lines), len(self.lines[-1]) + 1
        text = self.lines[line]
        units = 0
        for i, ch in enumerate(text):
            if units >= character:
                return line + 1, i + 1
            units += _units(ch, self.encoding)
        return line + 1, len(text) + 1

    def _width(self, text: str, n_chars: int) -> int:
        if self.encoding == UTF32:
            return n_chars
        return sum(_units(ch, self.encoding) for ch in text[:n_chars])

    # -- offsets into the text (characters)
    def offset(self, line: int, col: int) -> int:
        """Parser (line, col) -> offset into the text."""
        line = min(max(line, 1), len(self.lines))
        return self._starts[line - 1] + min(max(col - 1, 0), len(self.lines[line - 1]))

    def position(self, offset: int) -> tuple[int, int]:
        """Offset -> parser (line, col)."""
        offset = min(max(offset, 0), len(self.text))
        i = bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1

    def end(self) -> tuple[int, int]:
        """The parser position just after the last character."""
        return len(self.lines), len(self.lines[-1]) + 1
