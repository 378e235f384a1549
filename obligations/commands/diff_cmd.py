"""`obligations diff OLD NEW`: a semantic diff of two versions of a treaty or corpus."""

from __future__ import annotations

import argparse

from obligations.budget import add_options as add_budget_options
from obligations.commands.common import Command, add_json, add_max_corpus_bytes, emit, limits_from_args, parse_date
from obligations.errors import CorpusError, UnknownName


def configure(p: argparse.ArgumentParser) -> None:
    from obligations.vocab import ACTIONS

    p.add_argument("old", metavar="OLD", help="the old version: a clause file or folder")
    p.add_argument("new", metavar="NEW", help="the new version: a clause file or folder")
    p.add_argument("--corpus", action="append", metavar="PATH", default=None,
                   help="the corpus both versions are read with (default: the bundled corpus); "
                        "what OLD or NEW declares replaces the corpus's declaration of the same name")
    p.add_argument("--compare", choices=("instruments", "corpus"), default="instruments",
                   help="instruments (default): what the instruments of OLD and NEW oblige by themselves; corpus: their "
                        "effect on the whole corpus, where another treaty may already oblige what a version adds")
    p.add_argument("--on", dest="date", metavar="DATE", help="the date (default: today)")
    p.add_argument("--party", action="append", metavar="STATE", help="only these parties (repeatable; default: every party bound)")
    p.add_argument("--action", action="append", metavar="ACTION",
                   help="actions to compare (repeatable; default: assist, use-armed-force, consult; one of: " + ", ".join(ACTIONS) + ")")
    p.add_argument("--witnesses", type=int, default=3, metavar="N", help="witness scenarios per difference (default 3)")
    p.add_argument("--timeout", type=int, default=30_000, metavar="MS", help="solver time limit per search in ms")
    p.add_argument("--memory", type=int, default=2048, metavar="MB", help="solver memory limit in MB (default 2048)")
    p.add_argument("--max-file-bytes", type=int, default=4 * 1024 * 1024, metavar="N", help="refuse larger clause files")
    add_max_corpus_bytes(p)
    add_budget_options(p)
    add_json(p)


def run(a: argparse.Namespace) -> int:
    from obligations.model.load import bundled_corpus_dir, display_names, load_layered
    from obligations.query.diff import DEFAULT_ACTIONS, diff
    from obligations.render import diff_text
    from obligations.vocab import ACTIONS

    date = parse_date(a.date)
    limits = limits_from_args(a)  # options are checked before any file is read
    base = a.corpus or [bundled_corpus_dir()]
    sides = []
    for path in (a.old, a.new):
        loaded = load_layered(base, [path], a.max_file_bytes, a.max_corpus_bytes)
        if not loaded.ok:
            raise CorpusError(loaded.diagnostics, loaded.texts, doing=f"comparing ({path}, read with the corpus)")
        own = set(display_names([path]))
        names = {n for n, i in loaded.corpus.instruments.items() if i.span.file in own}
        drafts = frozenset(n for n in names if loaded.corpus.instruments[n].draft)
        sides.append((loaded.corpus, drafts, names))
    (old, d_old, n_old), (new, d_new, n_new) = sides
    for p in a.party or []:
        if p not in old.states and p not in new.states:
            e = UnknownName("state", p, set(old.states) | set(new.states))
            e.field = "party"
            raise e
    for act in a.action or []:
        if act not in ACTIONS:
            e = UnknownName("action", act, ACTIONS, listing="actions (see --help)")
            e.field = "action"
            raise e
    r = diff(old, new, date, d_old, d_new, parties=a.party, actions=tuple(a.action or DEFAULT_ACTIONS),
             limits=limits, max_witnesses=max(1, a.witnesses), labels=([a.old], [a.new]),
             instruments=(n_old, n_new) if a.compare == "instruments" else None)
    emit(r, a.json, diff_text)
    return 0 if r.equivalent else 1


def _schema():
    from obligations.results import DiffResult

    return DiffResult


SPEC = Command(
    name="diff",
    help="semantic diff of two versions of a treaty: what each obliges that the other does not (exit 1 if they differ)",
    description="Compare two versions of a treaty: the obligations that one creates and the other does not, each with "
                "witness scenarios, or a proof that they oblige the same in every scenario within the stated scope. "
                "By default the instruments of OLD and NEW are compared by themselves (--compare corpus compares their "
                "effect on the whole corpus). Drafts in OLD and NEW are read as if in force.",
    examples="  obligations diff examples/drafting/pato-draft-1.treaty examples/drafting/pato-draft-2.treaty\n"
             "  obligations diff examples/drafting/pato-draft-1.treaty examples/drafting/pato-draft-2.treaty --party USA --action assist --json\n"
             "  obligations diff examples/drafting/pato-draft-1.treaty examples/drafting/pato-draft-2.treaty --compare corpus --party KOR",
    configure=configure,
    run=run,
    json_schema=_schema,
)
