"""`obligations check PATH...`: parse and validate clause files."""

from __future__ import annotations

import argparse

from obligations.commands.common import Command, add_json, add_max_corpus_bytes, dump_json, print_diagnostics


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="clause files or folders (default: the bundled corpus)")
    add_json(p)
    p.add_argument("--max-file-bytes", type=int, default=4 * 1024 * 1024, metavar="N",
                   help="refuse clause files larger than N bytes (default 4 MiB)")
    add_max_corpus_bytes(p)
    p.add_argument("--corpus", action="append", metavar="PATH", default=None,
                   help="check PATHs against this corpus instead of the bundled one")
    p.add_argument("--alone", action="store_true",
                   help="check PATHs by themselves, without a corpus (every state and place they use must be declared in them)")


def run(args: argparse.Namespace) -> int:
    from obligations.diagnostics import has_errors, sort_key
    from obligations.model.load import bundled_corpus_dir, load_paths, load_texts, read_sources

    cap = args.max_corpus_bytes
    if not args.paths:
        loaded = load_paths([str(bundled_corpus_dir())], args.max_file_bytes, cap)
        diags, texts, n_files = loaded.diagnostics, loaded.texts, len(loaded.texts)
    elif args.alone:
        loaded = load_paths(args.paths, args.max_file_bytes, cap)
        diags, texts, n_files = loaded.diagnostics, loaded.texts, len(loaded.texts)
    else:
        # The user's files are checked with the corpus (bundled by default), so they may use its states, places and
        # treaties; only their own problems are reported.
        diags = []
        own = read_sources(args.paths, diags, args.max_file_bytes, cap)
        base = read_sources(args.corpus or [str(bundled_corpus_dir())], diags, args.max_file_bytes, cap)
        loaded = load_texts({**base, **own})
        diags = sorted(diags + [d for d in loaded.diagnostics if d.span.file in own or d.span.file not in base], key=sort_key)
        texts, n_files = loaded.texts, len(own)
    if args.json:
        dump_json({"ok": not has_errors(diags), "files": n_files, "diagnostics": [d.to_json() for d in diags]})
    else:
        print_diagnostics(diags, texts)
        if not has_errors(diags):
            c = loaded.corpus
            print(f"ok: {n_files} file(s), {len(c.instruments)} instrument(s), {len(c.clauses)} clause(s), "
                  f"{len(c.states)} state(s), {len(c.places)} place(s)")
    return 1 if has_errors(diags) else 0


def _schema():
    from obligations.diagnostics import Diagnostic

    return {"type": "object", "required": ["ok", "files", "diagnostics"], "additionalProperties": False,
            "properties": {"ok": {"type": "boolean"}, "files": {"type": "integer"},
                           "diagnostics": {"type": "array", "items": Diagnostic}}}


SPEC = Command(
    name="check",
    help="parse and validate clause files (against the bundled corpus, so they may use its states and places)",
    description="Parse and validate clause files: syntax, names, dates, regions, facts. Files are checked with the "
                "bundled corpus (or --corpus), so they may use its states, places and treaties; --alone checks them "
                "by themselves. Every problem is reported with its file, line and column; several in one run.",
    examples="  obligations check examples/drafting/pato-draft-1.treaty\n  obligations check treaties/\n"
             "  obligations check --alone tests/semantics/world.treaty\n  obligations check --json examples/drafting/pato-draft-2.treaty",
    configure=configure,
    run=run,
    json_schema=_schema,
)
