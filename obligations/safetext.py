"""What the engine prints cannot drive the terminal: one chokepoint for every character that comes from input.

Clause files and datasets come from others. A title, an article's text, a term's question, a file name or a
source line quoted in a diagnostic may hold characters that a terminal obeys instead of showing: escape
sequences (clear the line, move the cursor, set the window title, write the clipboard), a bare carriage
return, C1 controls, and the bidirectional and zero-width characters that make text read differently from
what it is ("Trojan Source"). So:

- `escape(text)` shows each such character as an escape (`\\x1b`, `\\u202e`, `\\U000e0041`);
- `SafeStream` wraps stdout and stderr in the CLI: everything written to them is escaped, whatever module
  printed it, so no call site can forget;
- the engine's own colours are not escape sequences while the text is being built: `paint` marks styles
  with sentinels (lone high surrogates U+D800-U+D80F, which no decoded input can contain: strict UTF-8
  and the surrogateescape of file names and arguments never produce them) that `SafeStream` turns into
  SGR sequences *after* escaping, or drops when colour is off. Input cannot forge colour;
- `json_dumps` writes JSON whose strings carry every such character as a `\\u` escape.
"""

from __future__ import annotations

import io
import re

# Characters a terminal (or a bidi-aware viewer) acts on rather than shows. Tab and newline are text.
_UNSAFE_CLASS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and newline (so CR, ESC, BEL), DEL, C1 (CSI, OSC, NEL...)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    "\u200b-\u200d\u2060-\u2064\ufeff"  # zero-width space, joiners, word joiner, invisible operators, BOM
    "\u2028\u2029\ufff9-\ufffb"  # line and paragraph separators, interlinear annotation
    "\U000e0000-\U000e007f"  # tag characters (invisible text)
)
_SENTINELS = "\ud800-\ud80f"
# Surrogates: never in decoded input but for the surrogateescape of undecodable bytes (U+DC80-U+DCFF) in
# file names and arguments; escaped (a terminal cannot encode them either). The sentinels are left to
# SafeStream.
UNSAFE = re.compile(f"[{_UNSAFE_CLASS}\ud810-\udfff]")
# Compiled when first used (`__getattr__`): a query's output needs only UNSAFE, and each of these wide classes
# cost start-up ~0.3 ms to compile.
_LAZY = {"UNSAFE_OR_SENTINEL": f"[{_UNSAFE_CLASS}{_SENTINELS}\ud810-\udfff]",
         "BIDI": "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"}


def __getattr__(name: str):
    pattern = _LAZY.get(name)
    if pattern is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    got = globals()[name] = re.compile(pattern)
    return got


def _unsafe_or_sentinel() -> re.Pattern:
    return globals().get("UNSAFE_OR_SENTINEL") or __getattr__("UNSAFE_OR_SENTINEL")

SGR = {"reset": "0", "bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34",
       "magenta": "35", "cyan": "36"}
_STYLE_SENTINEL = {name: chr(0xD800 + i) for i, name in enumerate(SGR)}
_SENTINEL_SGR = {chr(0xD800 + i): f"\x1b[{code}m" for i, code in enumerate(SGR.values())}
_SENTINEL = re.compile(f"[{_SENTINELS}]")


def _esc(c: str) -> str:
    n = ord(c)
    if n < 0x100:
        return f"\\x{n:02x}"
    if n < 0x10000:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def escape(text: str) -> str:
    """`text` with every character a terminal would act on shown as an escape (sentinels included)."""
    return _unsafe_or_sentinel().sub(lambda m: _esc(m.group()), text)


def styled(text: str, styles: tuple[str, ...]) -> str:
    """`text` marked with `styles` for SafeStream (see the module's docstring)."""
    return "".join(_STYLE_SENTINEL[s] for s in styles) + text + _STYLE_SENTINEL["reset"]


def _json_esc(m: re.Match) -> str:
    n = ord(m.group())
    if n < 0x10000:
        return f"\\u{n:04x}"
    n -= 0x10000
    return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"


def json_dumps(obj, **kw) -> str:
    """JSON with non-ASCII text kept readable but every unsafe character a `\\u` escape. The characters can
    only stand inside strings (JSON's own syntax is ASCII), where `\\uXXXX` means the same character."""
    import json  # only --json needs it

    return _unsafe_or_sentinel().sub(_json_esc, json.dumps(obj, ensure_ascii=False, **kw))


class SafeStream(io.TextIOBase):
    """A text stream that escapes what it is given and renders the engine's style sentinels (as SGR when
    `color`, else not at all) before passing it on."""

    def __init__(self, raw, color: bool = False):
        self.raw = raw
        self.obligations_color = color

    def write(self, s: str) -> int:
        t = UNSAFE.sub(lambda m: _esc(m.group()), s)
        t = _SENTINEL.sub((lambda m: _SENTINEL_SGR[m.group()]) if self.obligations_color else "", t)
        try:
            self.raw.write(t)
        except UnicodeEncodeError:  # a terminal that cannot show some character gets its escape
            enc = getattr(self.raw, "encoding", None) or "ascii"
            self.raw.write(t.encode(enc, "backslashreplace").decode(enc))
        return len(s)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return bool(getattr(self.raw, "isatty", lambda: False)())

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self):
        return getattr(self.raw, "encoding", "utf-8")

    @property
    def errors(self):
        return getattr(self.raw, "errors", "strict")


class guarded:
    """Context manager: sys.stdout and sys.stderr wrapped in SafeStreams for the duration (the CLI's main)."""

    def __init__(self, color=None):
        self.color = color

    def __enter__(self):
        import sys

        self.saved = (sys.stdout, sys.stderr)
        color = self.color or (lambda stream: False)
        self.out = sys.stdout = SafeStream(sys.stdout, color(sys.stdout))
        self.err = sys.stderr = SafeStream(sys.stderr, color(sys.stderr))
        return self

    def __exit__(self, *exc):
        import sys

        for s in (self.out, self.err):
            try:
                s.flush()
            except Exception:
                pass
        # A stream the body replaced (the CLI sends stdout to /dev/null when the reader left) stays replaced.
        if sys.stdout is self.out:
            sys.stdout = self.saved[0]
        if sys.stderr is self.err:
            sys.stderr = self.saved[1]
        return False
