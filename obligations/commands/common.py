"""What the commands share: the spec type, corpus options, diagnostics output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from typing import Callable

from obligations.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    description: str
    examples: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") is not None or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


_CODES = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "bold": "1", "dim": "2", "cyan": "36", "magenta": "35"}


def paint(text: str, *styles: str, stream=None) -> str:
    if not use_color(stream):
        return text
    codes = ";".join(_CODES[s] for s in styles)
    return f"\x1b[{codes}m{text}\x1b[0m"


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON (schema: `obligations schema`)")


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", action="append", metavar="PATH", default=None,
                   help="use these clause files or folders instead of the bundled corpus (repeatable)")
    p.add_argument("--with", dest="with_", action="append", metavar="PATH", default=None, nargs="+",
                   help="add your own clause files (a draft, facts, an interpretive statement) on top of the corpus")
    p.add_argument("--max-file-bytes", type=int, default=4 * 1024 * 1024, metavar="N",
                   help="refuse clause files larger than N bytes (default 4 MiB)")


def print_diagnostics(diags: list[Diagnostic], texts: dict[str, str], as_json: bool = False, stream=None) -> None:
    stream = stream or sys.stderr
    if as_json:
        return
    for d in diags:
        color = "red" if d.severity == Severity.error else "yellow"
        body = d.long(texts.get(d.span.file))
        first, _, rest = body.partition("\n")
        print(paint(first, "bold", color, stream=stream), file=stream)
        if rest:
            print(rest, file=stream)
    n_err = sum(1 for d in diags if d.severity == Severity.error)
    n_warn = len(diags) - n_err
    if diags:
        print(f"{n_err} error(s), {n_warn} warning(s)", file=stream)


def dump_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
