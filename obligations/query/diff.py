"""`diff`: what one version of a treaty (or corpus) obliges that the other does not.

Both versions are encoded over the same symbolic scenario and the same open terms (one Z3 context, shared sorts
over the union of their names). For each party, action and kind of event, Z3 looks for a well-formed scenario
and a reading in which the new version obliges and the old does not, and the reverse; each one found is a
witness. When none exists for any of them, the versions oblige the same in every scenario within the scope.

`compared="instruments"` (what a drafter means, and the default of the command) compares what the instruments
of the two versions oblige by themselves; `compared="corpus"` compares their effect on the whole corpus, where
another treaty may already oblige what a draft adds.
"""

from __future__ import annotations

import datetime as dt

from obligations import explain as X
from obligations.model.core import Corpus
from obligations.results import DiffEntry, DiffResult
from obligations.scenario import Question
from obligations.smt.encode import AND, NOT, Encoder
from obligations.smt.search import Search, concrete
from obligations.smt.solver import Limits, decide
from obligations.vocab import Event

DEFAULT_ACTIONS = ("assist", "use-armed-force", "consult")
DEFAULT_EVENTS = ("armed-attack", "threat")


def diff(old: Corpus, new: Corpus, date: dt.date, old_drafts: frozenset[str], new_drafts: frozenset[str],
         parties: list[str] | None = None, actions=DEFAULT_ACTIONS, events=DEFAULT_EVENTS, limits: Limits = Limits(),
         max_witnesses: int = 3, labels: tuple[list[str], list[str]] = ([], []),
         instruments: tuple[set[str], set[str]] | None = None) -> DiffResult:
    """`instruments`: (old's, new's) instruments to compare by themselves; None compares the whole corpora."""
    domains = {
        "State": sorted(set(old.states) | set(new.states)),
        "Place": sorted(set(old.places) | set(new.places)) + sorted(set(old.regions) | set(new.regions)),
        "Inst": sorted(set(old.instruments) | set(new.instruments)),
    }
    e_old = Encoder(old, date, old_drafts, domains=domains)
    e_new = Encoder(new, date, new_drafts, share=e_old)
    only_old, only_new = instruments if instruments is not None else (None, None)
    if parties is None:
        parties = sorted(_bound(old, e_old, only_old) | _bound(new, e_new, only_new))
    entries: list[DiffEntry] = []
    unknown: list[str] = []
    search = Search(e_old, limits, e_old.background() + e_new.background())
    for event in events:
        s = search.scenario(event, "", ("attacker", "victim", "target", "place"))
        for party in parties:
            for action in actions:
                q = Question(party=party, action=action)
                f_old = e_old.question(q, s, only=only_old).formula
                f_new = e_new.question(q, s, only=only_new).formula
                for direction, f in (("added", AND(f_new, NOT(f_old))), ("removed", AND(f_old, NOT(f_new)))):
                    if f is False:
                        continue
                    found, unk = search.many(f, s, max_witnesses, extra=[c for c in _wf(e_new, s)])
                    if unk:
                        unknown.append(f"{party} {action} upon {event}: solver limit reached")
                    if not found:
                        continue
                    witnesses, readings = [], []
                    for v in found:
                        g = concrete(s, v)
                        fo = e_old.question(q, g, only=only_old).formula
                        fn = e_new.question(q, g, only=only_new).formula
                        fw = AND(fn, NOT(fo)) if direction == "added" else AND(fo, NOT(fn))
                        dec = decide(fw, e_old.background() + e_new.background(), e_old.ctx, limits)
                        need = []
                        if dec.verdict == "contingent":
                            for h in dec.hinges:
                                ot = e_old.opens.get(h)
                                if ot is not None and h in (dec.model_true or {}):
                                    need.append(X.reading_text(new, ot.term, ot.args, dec.model_true[h]))
                        witnesses.append(X.witness(event, date, v, need or None))
                        readings += [x for x in need if x not in readings]
                    entries.append(DiffEntry(direction=direction, party=party, action=action, event=event,
                                             witnesses=witnesses, readings=readings))
    what = ("the instruments of the two versions by themselves" if instruments is not None
            else "their effect on the whole corpus")
    scope = (f"{what}: {len(parties)} parties × actions {', '.join(actions)} × events {', '.join(events)}, every attacker, "
             f"victim and place among {len(domains['State'])} states and {len(domains['Place'])} places and regions, every "
             f"kind of target and every reading of the open terms, only attacks that can happen, on {date}")
    return DiffResult(old=labels[0], new=labels[1], date=date, compared="instruments" if instruments is not None else "corpus",
                      entries=entries, equivalent=not entries and not unknown, scope=scope, unknown=unknown)


def _wf(enc: Encoder, s):
    from obligations.smt.search import well_formed

    return well_formed(enc, s)


def _bound(c: Corpus, enc: Encoder, only: set[str] | None) -> set[str]:
    out: set[str] = set()
    for inst in c.instruments.values():
        if only is not None and inst.name not in only:
            continue
        if enc.in_force(inst.name):
            out |= set(enc.members(inst)) | set(inst.authors)
    return out
