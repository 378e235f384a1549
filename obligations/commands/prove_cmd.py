"""`obligations prove PATH...`: prove a draft's properties, or show a counterexample."""

from __future__ import annotations

import argparse

from obligations.budget import add_options as add_budget_options
from obligations.commands.common import Command, add_json, add_max_corpus_bytes, emit, limits_from_args, parse_date
from obligations.errors import CorpusError


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="clause files whose properties to prove (drafts are read as if in force)")
    p.add_argument("--corpus", action="append", metavar="PATH", default=None,
                   help="the corpus the files are read with (default: the bundled corpus)")
    p.add_argument("--alone", action="store_true", help="read the files alone, without a corpus")
    p.add_argument("--on", dest="date", metavar="DATE", help="the date for properties that name none (default: today)")
    p.add_argument("--timeout", type=int, default=30_000, metavar="MS", help="solver time limit per property in ms (default 30000)")
    p.add_argument("--memory", type=int, default=2048, metavar="MB", help="solver memory limit in MB (default 2048)")
    p.add_argument("--max-file-bytes", type=int, default=4 * 1024 * 1024, metavar="N", help="refuse larger clause files")
    add_max_corpus_bytes(p)
    add_budget_options(p)
    add_json(p)


def run(a: argparse.Namespace) -> int:
    from obligations.app import open_files
    from obligations.query.prove import prove
    from obligations.render import prove_text

    date = parse_date(a.date)
    limits = limits_from_args(a)  # options are checked before any file is read
    loaded, own = open_files(a.paths, a.corpus, a.max_file_bytes, alone=a.alone, max_corpus_bytes=a.max_corpus_bytes)
    if not loaded.ok:
        raise CorpusError(loaded.diagnostics, loaded.texts, doing="proving")
    corpus = loaded.corpus
    mine = {n for n, i in corpus.instruments.items() if i.span.file in set(own)}
    drafts = frozenset(n for n in mine if corpus.instruments[n].draft)
    r = prove(corpus, date, drafts, limits, instruments=mine)
    emit(r, a.json, prove_text)
    return 1 if any(x.verdict != "holds" for x in r.results) else 0


def _schema():
    from obligations.results import ProveResult

    return ProveResult


SPEC = Command(
    name="prove",
    help="prove the properties of draft treaty text, or print a counterexample (exit 1 when one fails or is vacuous)",
    description="Prove each `property` of the given clause files with Z3 over every scenario of its kind that can "
                "happen and every reading of the open terms, or print a counterexample in plain words with the clauses "
                "involved. The files are read with the bundled corpus (or --corpus, or --alone); each property speaks "
                "of what its own instrument obliges. A property whose `if` no scenario satisfies is `vacuous`: it "
                "proves nothing. Exit 1 when any property fails, is vacuous or cannot be decided.",
    examples="  obligations prove examples/drafting/pato-draft-1.treaty\n  obligations prove examples/drafting/pato-draft-2.treaty --on 2030-01-01 --json",
    configure=configure,
    run=run,
    json_schema=_schema,
)
