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
                   help="check PATHs against this corpus, so they may use its states, places and treaties")


def run(args: argparse.Namespace) -> int:
    from obligations.model.load import bundled_corpus_dir, load_paths, read_sources, load_texts
    from obligations.diagnostics import has_errors, sort_key

    paths = args.paths or [str(bundled_corpus_dir())]
    if args.corpus:
        # Names may come from the corpus; only the PATHs' own problems are reported.
        diags: list = []
        own = read_sources(paths, diags, args.max_file_bytes, args.max_corpus_bytes)
        base = read_sources(args.corpus, diags, args.max_file_bytes, args.max_corpus_bytes)
        loaded = load_texts({**base, **own})
        diags = sorted(diags + [d for d in loaded.diagnostics if d.span.file in own or d.span.file not in base], key=sort_key)
        texts = loaded.corpus.texts
        n_files = len(own)
    else:
        loaded = load_paths(paths, args.max_file_bytes, args.max_corpus_bytes)
        diags = loaded.diagnostics
        texts = loaded.corpus.texts
        n_files = len(texts)
    if args.json:
        dump_json({"ok": not has_errors(diags), "files": n_files, "diagnostics": [d.to_json() for d in diags]})
    else:
        print_diagnostics(diags, texts)
        if not has_errors(diags):
            c = loaded.corpus
            print(f"ok: {n_files} file(s), {len(c.instruments)} instrument(s), {len(c.clauses)} clause(s), "
                  f"{len(c.states)} state(s), {len(c.places)} place(s)")
    return 1 if has_errors(diags) else 0


SPEC = Command(
    name="check",
    help="parse and validate clause files",
    description="Parse and validate clause files: syntax, names, dates, regions, facts. "
                "Every problem is reported with its file, line and column; several in one run.",
    examples="  obligations check treaties/\n  obligations check examples/drafting/pato-draft-1.treaty --corpus treaties/\n  obligations check --json treaties/",
    configure=configure,
    run=run,
)
