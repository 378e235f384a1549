"""`obligations fmt PATH... [--check]`: the canonical formatter."""

from __future__ import annotations

import argparse
import sys

from obligations.commands.common import Command, add_json, dump_json, print_diagnostics


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="clause files or folders")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if any file is not formatted")
    p.add_argument("--diff", action="store_true", help="with --check, show what would change")
    add_json(p)


def run(args: argparse.Namespace) -> int:
    import difflib

    from obligations.diagnostics import has_errors
    from obligations.model.load import expand
    from obligations.syntax.format import format_file
    from obligations.syntax.parse import parse

    diags: list = []
    files = expand(args.paths, diags)
    unformatted: list[str] = []
    changed: list[str] = []
    texts: dict[str, str] = {}
    from obligations.fsio import FsError, read_text, write_atomic
    from obligations.model.load import DEFAULT_MAX_FILE_BYTES

    for fp in files:
        try:
            text = read_text(fp, DEFAULT_MAX_FILE_BYTES, encoding="utf-8")
        except FsError as e:
            diags.append(e.diagnostic())
            continue
        # A BOM from a Windows editor is not content (as `check` reads it), but the file keeps it.
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        text = text[len(bom):]
        texts[str(fp)] = text
        tree, d = parse(text, str(fp))
        if has_errors(d):
            # Never rewrite a file we could not read whole: nothing is lost.
            diags.extend(d)
            continue
        out = format_file(tree, text)
        if out != text:
            unformatted.append(str(fp))
            if args.check:
                if args.diff and not args.json:
                    sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), out.splitlines(True), str(fp), str(fp) + " (formatted)"))
            else:
                try:  # atomically, never through or over a link, keeping the file's mode (obligations/fsio.py)
                    write_atomic(fp, bom + out)
                except FsError as e:
                    diags.append(e.diagnostic())
                    continue
                changed.append(str(fp))
    if args.json:
        dump_json({"ok": not diags and not (args.check and unformatted), "unformatted": unformatted if args.check else [],
                   "reformatted": changed, "diagnostics": [d.to_json() for d in diags]})
    else:
        print_diagnostics(diags, texts)
        for f in unformatted if args.check else changed:
            print(("would reformat " if args.check else "reformatted ") + f)
        if not diags and not unformatted:
            print(f"ok: {len(files)} file(s) already formatted")
    if diags:
        return 2 if not any(d.code.startswith("E0") for d in diags) else 1
    return 1 if (args.check and unformatted) else 0


SPEC = Command(
    name="fmt",
    help="format clause files canonically",
    description="Rewrite clause files in canonical form (comments kept, meaning unchanged). "
                "A file with syntax errors is never rewritten; nor is a symbolic link or a read-only file. "
                "Each file is replaced atomically, keeping its mode.",
    examples="  obligations fmt treaties/\n  obligations fmt --check treaties/\n  obligations fmt --check --diff examples/drafting/pato-draft-1.treaty",
    configure=configure,
    run=run,
    json_schema=lambda: _SCHEMA,
)


def _diag():
    from obligations.diagnostics import Diagnostic

    return Diagnostic


_SCHEMA = {"type": "object", "required": ["ok", "unformatted", "reformatted", "diagnostics"], "additionalProperties": False,
           "properties": {"ok": {"type": "boolean"}, "unformatted": {"type": "array", "items": {"type": "string"}},
                          "reformatted": {"type": "array", "items": {"type": "string"}},
                          "diagnostics": {"type": "array", "items": {"type": "object"}}}}
