"""Diagnostics: located, coded messages with a short and a long rendering, and the registry of their codes.

Every stage reports problems as `Diagnostic` values instead of raising, so a run can show all the mistakes in
a file at once. The short form is the one editors and CI parse (`file:line:col: error[E012]: message`); the
long form adds the source line, a caret under the spot, the Article trail and a hint. Every code is registered
in `CODES` with what it means, an example and the fix; docs/DIAGNOSTICS.md is generated from it
(`python -m obligations.diagnostics`) and a test keeps the two equal.
"""

from __future__ import annotations

from enum import StrEnum
from collections.abc import Iterable, Sequence

from obligations.record import record
from obligations.source import Span


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@record(frozen=True, slots=True)
class Code:
    code: str
    title: str
    means: str
    example: str
    fix: str


@record(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    span: Span
    severity: Severity = Severity.error
    hint: str | None = None
    trail: str | None = None  # e.g. "anzus › Article IV"
    # The text that would replace `span` to fix it (a "did you mean" name): editors offer it as a quick fix.
    suggestion: str | None = None

    __pydantic_config__ = {"extra": "forbid"}

    def __post_init__(self):
        if self.code not in CODES:  # a typo in a code is a bug of the engine, caught by the test suite
            raise ValueError(f"unregistered diagnostic code {self.code}")

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
        s = self.span
        return {"code": self.code, "severity": self.severity.value, "message": self.message,
                "span": {"file": s.file, "line": s.line, "col": s.col, "end_line": s.end_line, "end_col": s.end_col},
                "hint": self.hint, "trail": self.trail, "suggestion": self.suggestion}


def closest(name: str, known: Iterable[str], n: int = 1) -> list[str]:
    """Known names closest to `name`, for "did you mean" hints: a near spelling, or a name that `name` is a
    part of (`pato` for `pato-draft`)."""
    import difflib  # here, not at the top: only a mistake needs it, and every query imports this module

    known = list(known)
    hits = difflib.get_close_matches(name, known, n=n, cutoff=0.6)
    if not hits:
        low = {k.lower(): k for k in known}
        hits = [low[h] for h in difflib.get_close_matches(name.lower(), list(low), n=n, cutoff=0.6)]
    if not hits and len(name) >= 3:
        part = name.lower()
        hits = sorted((k for k in known if part in k.lower().split("-") or k.lower().startswith(part)), key=len)[:n]
    return hits


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    hits = closest(name, known)
    return f'did you mean "{hits[0]}"?' if hits else None


def has_errors(diags: Sequence[Diagnostic]) -> bool:
    return any(d.severity == Severity.error for d in diags)


def sort_key(d: Diagnostic) -> tuple:
    return (d.span.file, d.span.line, d.span.col, d.code)


def _codes(*cs: Code) -> dict[str, Code]:
    return {c.code: c for c in cs}


CODES: dict[str, Code] = _codes(
    Code("E001", "unexpected character",
         "The text holds a character the language has no use for at that point: a stray symbol, an unterminated "
         "string, a NUL byte.",
         'article 5 "The Parties agree that "an armed attack" ..."',
         'Close every string; write \\" for a quotation mark inside a quotation.'),
    Code("E002", "unexpected token or end of file",
         "A statement is incomplete or has a word where another is expected; the hint lists what was expected.",
         "clause\n  upon armed-attack\n  each party must\nend",
         "Complete the statement (here: name the action, e.g. `each party must assist victim`); close every block "
         "with `end`."),
    Code("E003", "not a date", "A date that is not written YYYY-MM-DD or does not exist on the calendar.",
         "signed 1949-02-30", "Write an existing day, e.g. `signed 1949-04-04`."),
    Code("E004", "dates out of order",
         "An interval ends before it starts, or an instrument enters into force before it is signed or terminates "
         "before it enters into force.",
         "parties NZL from 1986-09-17 until 1952-04-29", "Swap or correct the dates."),
    Code("E005", "option given twice", "An instrument states an option that may appear once (in-force, signed, "
         "short...) twice.", "in-force 1952-04-29\nin-force 1952-05-01", "Keep one."),
    Code("E006", "nested too deeply", "A condition is nested more than 64 levels deep (or too deeply to parse).",
         "if ((((((... victim is party ...))))))", "Name parts of the condition with `define` and refer to them."),
    Code("E007", "number too large", "A number (a COW code, an ATOP id, a count) with more digits than any real one "
         "has (more than 9).", "state USA \"United States\" ccode 99999999999999999999",
         "Write the real number."),
    Code("E010", "declared twice", "A state, place, region, term, definition, instrument, clause label or property "
         "is declared twice; the hint points at the first declaration.",
         'state USA "United States"\nstate USA "United States of America"',
         "Delete one, or give them different names. To read a revised instrument in place of the bundled one, use "
         "`diff` or `--corpus` with only the revision."),
    Code("E011", "article twice", "An instrument has two articles with the same number.",
         'article IV "..." end\narticle IV "..." end', "Number paragraphs apart, e.g. `IV(1)` and `IV(2)`."),
    Code("E012", "unknown name", "A name (state, place, region, term, definition, instrument, article) that the "
         "corpus does not declare. The hint suggests the closest known name.",
         "if place in pacfic-area", 'Correct the spelling ("did you mean ..."), or declare the name.'),
    Code("E013", "term used the wrong way", "A term is applied to the wrong kind of thing (a state term to a place), "
         "or given the wrong number of arguments in a fact.",
         "fact communist(guam)", "Apply the term as it is declared (`of state`, `of place`, `of instrument`, or no "
         "argument)."),
    Code("E014", "definition refers to itself", "A definition uses itself, directly or through other definitions: "
         "it would never finish expanding.", "define covered as victim is party and covered",
         "Break the chain: a definition may use others, never itself."),
    Code("E020", "region built from itself", "A region includes, excludes or is possibly in itself, directly or "
         "through other regions.", "region a \"A\" includes b\nregion b \"B\" includes a",
         "Break the chain: a region may be built from others, never from itself."),
    Code("E030", "used before joining", "A state is suspended, or bound by a dated clause, before it becomes a party.",
         "parties NZL from 1952-04-29\nsuspended USA toward NZL from 1950-01-01",
         "Correct the dates, or add the missing `parties` spell."),
    Code("E031", "named state not bound", "A clause binds a named state that is neither a party, an author nor a "
         "designated state of its instrument.", "treaty t \"T\" parties AAA ... BBB must assist victim",
         "Add the state with `parties` or `by`, or name the right state."),
    Code("E032", "party when the state does not exist", "A membership starts before the state exists or after it "
         "ceased to exist.", "parties RUS from 1955-05-14", "Use the state that existed then (e.g. SUN), or correct "
         "the date."),
    Code("E033", "party twice over the same days", "Two membership (or designation) spells of one state in one "
         "instrument overlap, so a withdrawal would not end its membership.",
         "parties MEX from 1948-12-03\nparties MEX until 2004-09-06",
         "Write one spell with both ends: `parties MEX from 1948-12-03 until 2004-09-06`."),
    Code("E034", "spell ends before it begins", "A membership or designation without `from` begins when the instrument "
         "enters into force, and this one ends before that day (a withdrawal written as a spell of its own).",
         "in-force 2020-01-01\nparties MEX until 2004-09-06",
         "Give the spell the day it began: `parties MEX from 1948-12-03 until 2004-09-06`."),
    Code("E040", "role with no meaning here", "A role is used where the clause's event gives it no value: `victim` "
         "or `attacker` without an attack, `actor` without a joining or a purchase, `alliance` outside a joining.",
         "clause\n  if victim is party\n  each party must consult",
         "Add the trigger (`upon armed-attack`, `upon threat`, `upon join`, `upon purchase`), or drop the role."),
    Code("E041", "each author without authors", "`each author` in an instrument that names no author.",
         "pledge p \"P\" ... each author must ...", "Add `by CODE ...` to the instrument."),
    Code("E042", "article without text", "An article that carries clauses quotes no text: answers cite it.",
         'article 5 ""', "Quote the article's text, and say in `source` where it comes from."),
    Code("E043", "other than a state", "`each party other than X` names a role of the scenario (victim, attacker, "
         "actor, seller), not a state.", "each party other than USA must assist victim",
         "Use a role, or exclude a state with a condition: `if not victim = USA`."),
    Code("E044", "means stated twice", "A clause carries two statements of its means (`means discretionary`, "
         "`means all`): the means are at the party's discretion, or all its means, not both.",
         "each party must assist victim\n  means discretionary \"...\"\n  means all \"...\"",
         "Keep the qualifier whose words the article uses."),
    Code("E050", "facts contradict", "The same fact is stated true and false for overlapping dates.",
         "fact communist(LAO)\nfact not communist(LAO)",
         "Give the facts disjoint `from`/`until` dates, or drop one."),
    Code("E060", "property malformed", "A property quantifies over two events, has two `if`s or `expect`s, or none.",
         "property p \"P\" for armed-attack for threat end", "One `for`, at most one `if`, exactly one `expect`."),
    Code("E100", "cannot read", "A path that does not exist or cannot be read.", "obligations check missing.treaty",
         "Name an existing clause file or folder."),
    Code("E101", "link out of the folder", "A link inside a folder points outside it: clause files are read only "
         "from inside the folder you name.", "corpus/x.treaty -> /etc/passwd",
         "Copy the file into the folder, or name it directly."),
    Code("E102", "file too large", "A clause file larger than the limit (4 MiB by default).",
         "obligations check huge.treaty", "Raise the limit with --max-file-bytes if the file is genuine."),
    Code("E103", "not UTF-8", "A clause file that is not UTF-8 text.", "a Latin-1 file with an é",
         "Save the file as UTF-8."),
    Code("E104", "not a regular file", "A path names a FIFO, a socket, a device or a folder where a file must be: "
         "it is refused at once, never read.", "obligations check /dev/zero", "Name a clause file."),
    Code("E105", "link loop", "A symbolic link inside a folder leads back to itself.",
         "corpus/a.treaty -> corpus/b.treaty -> corpus/a.treaty", "Remove the loop."),
    Code("E106", "corpus too large", "The files together are larger than the corpus limit (64 MiB by default).",
         "obligations check huge-folder/", "Raise the limit with --max-corpus-bytes if the files are genuine."),
    Code("E107", "write failed", "A file could not be written (a full disk, a permission); the previous file is "
         "intact and no temporary file is left.", "obligations fmt on a full disk", "Free space or fix the "
         "permission, and run the command again."),
    Code("E108", "link in the way", "A write would go through or over a symbolic link: refused, so that a link "
         "planted in a folder cannot redirect a write elsewhere.", "proj/a.treaty -> ../outside/precious.txt",
         "Replace the link by the file it should be, or write elsewhere."),
    Code("E109", "read-only file", "The file to rewrite is read-only (or not writable by you): it is not replaced.",
         "obligations fmt read-only.treaty", "Make it writable if it should be formatted."),
    Code("E110", "not written by this command", "`import --out` would replace a file it did not write.",
         "obligations import atop m.csv --out my-folder/ (holding your own states.treaty)",
         "Import into a new folder, or pass --force to replace the files."),
    Code("W001", "bidirectional control", "A bidirectional control character (U+202A-202E, U+2066-2069, U+200E/F, "
         "U+061C): an editor may show the line in another order than the engine reads it (\"Trojan Source\").",
         "a comment that hides the end of a string", "Remove it unless the quoted text really holds it."),
    Code("W002", "invisible or control character", "An escape, a control or a zero-width character in a clause "
         "file: invisible in an editor; the engine always prints it escaped.", "an ESC byte inside a title",
         "Remove it."),
)


def markdown() -> str:
    """docs/DIAGNOSTICS.md: every code, what it means, an example, the fix."""
    out = ["# Diagnostic codes", "",
           "Every problem `obligations check` (and every command that reads clause files) reports carries a code.",
           "This page is generated from the registry in `obligations/diagnostics.py` "
           "(`python -m obligations.diagnostics > docs/DIAGNOSTICS.md`).", ""]
    for c in CODES.values():
        out += [f"## {c.code}: {c.title}", "", c.means, "", "Example:", "", "```", c.example, "```", "",
                f"Fix: {c.fix}", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(), end="")
