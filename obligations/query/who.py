"""`who`: every state's verdict in one scenario, and the cascade when the obliged act.

The cascade follows the alliance chains the debate is about: when a state is obliged (or may be) to act and
does, its forces become targets, and an attack on them can bring in other instruments (an attack on Japan
obliges the United States; an attack on US forces in the Pacific can trigger ANZUS for Australia). Each step
asks `who` again for an attack by the same attacker on the acting state's armed forces at the same place, to
a bounded depth.

Without the negative verdicts (the default) formulas are first built as plain Python terms and decided by truth
table (smt/pyterm.py), with no Z3 context: on a small corpus making one costs as much as the whole query. The
verdict and the hinges are all `who` reads of a decision, and they do not depend on the solver; a formula over
too many open terms (NeedSolver) sends the whole query to Z3.
"""

from __future__ import annotations

from obligations import explain as X
from obligations.model.core import Corpus
from obligations.query.ask import VERDICT, ask
from obligations.results import CascadeStep, WhoEntry, WhoResult
from obligations.scenario import Question, Scenario
from obligations.smt import pyterm
from obligations.smt.encode import Encoder, SymScenario
from obligations.smt.pyterm import NeedSolver
from obligations.smt.solver import Limits, decide, verdict_by_table
from obligations.vocab import HELP_ACTIONS, Deontic, Target

DEFAULT_CASCADE_DEPTH = 2
MAX_CASCADE_DEPTH = 6


def bound_somewhere(corpus: Corpus, scenario: Scenario, drafts: frozenset[str], enc: Encoder) -> list[str]:
    """The states that some instrument in force binds on the date: the only ones that can be obliged."""
    out = set()
    for inst in corpus.instruments.values():
        if not enc.in_force(inst.name):
            continue
        out.update(enc.members(inst))
        out.update(inst.authors)
        out.update(inst.designated_on(scenario.date))
    return sorted(out)


def entries(corpus: Corpus, scenario: Scenario, action: str, drafts: frozenset[str], limits: Limits,
            include_negative: bool = True, enc: Encoder | None = None) -> list[WhoEntry]:
    """Each bound state's verdict. Explanations are built only for negative verdicts that are shown: the
    verdicts and the clauses behind them come straight from the encoding. The victim is not asked whether it
    must help itself."""
    enc = enc or Encoder(corpus, scenario.date, drafts)
    s = SymScenario.of(scenario)
    decided: dict[int, tuple] = {}  # one decision per distinct formula (many states share one)

    # A constant needs no solver, nor a context: asking for enc.ctx would make one (Encoder.ctx).
    fixed = {b: decide(b, [], None, limits) for b in (True, False)}

    def dec_of(f, hinges=True):
        if isinstance(f, bool):
            return fixed[f]
        k = (f.get_id(), hinges)
        got = decided.get(k)
        if got is None:
            if enc._py is not None:
                dec = pyterm.decide(f, enc.background_data(), limits, find_hinges=hinges)
            else:
                bg = enc.background_of(f)
                # who reads only the verdict and the hinges: a small formula is decided by truth table.
                dec = verdict_by_table(f, bg, hinges) or decide(f, bg, enc.ctx, limits, find_hinges=hinges)
            got = decided[k] = (dec, f)
        return got[0]

    def live(cl) -> bool:
        """Can cl bind anyone for this victim? (Encoder.victim_domain: for one outside it, cl folds to False.)"""
        d = enc.victim_domain(cl)
        return d is None or s.victim in d

    out = []
    for party in bound_somewhere(corpus, scenario, drafts, enc):
        if action in HELP_ACTIONS | {"act"} and party == scenario.victim:
            continue
        if not include_negative and not any(live(cl) for cl in enc.party_candidates(Deontic.MUST, action, party)):
            continue  # not obliged, and not shown: no clause of the party can bind it in this attack
        if limits.expired():  # the command's budget is spent: the rest are unknown, at no further cost
            out.append(WhoEntry(party=party, name=corpus.states[party].name if party in corpus.states else party,
                                verdict="unknown", summary=limits.budget_reason(), instruments=[], hinges=[]))
            continue
        q = Question(party=party, action=action)
        e = enc.question(q, s, live=live)
        dec = dec_of(e.formula)
        verdict = VERDICT[dec.verdict]
        if verdict == "not_obliged" and not include_negative:
            continue
        name = corpus.states[party].name if party in corpus.states else party
        insts = sorted({cl.instrument for cl, f in e.parts}) if verdict != "not_obliged" else []
        if verdict == "obliged":
            valid = [cl for cl, f in e.parts if dec_of(f, False).verdict == "valid"]
            summary = ", ".join(f"{cl.instrument} Art. {cl.article}" for cl in (valid or [cl for cl, _ in e.parts]))
        elif verdict == "depends":
            summary = "turns on " + "; ".join(dec.hinges)
        elif verdict == "unknown":
            summary = dec.reason or "solver limit reached"
        else:
            summary = X.not_obliged_reason(ask(corpus, scenario, q, drafts, limits, encoder=enc).grounds)
        out.append(WhoEntry(party=party, name=name, verdict=verdict, summary=summary, instruments=insts, hinges=list(dec.hinges)))
    rank = {"obliged": 0, "depends": 1, "unknown": 2, "not_obliged": 3}
    out.sort(key=lambda e: (rank[e.verdict], e.party))
    return out


def who(corpus: Corpus, scenario: Scenario, action: str = "assist", drafts: frozenset[str] = frozenset(),
        limits: Limits = Limits(), depth: int = DEFAULT_CASCADE_DEPTH, include_negative: bool = False,
        assumptions: list[str] | None = None, terms: str = "auto") -> WhoResult:
    """Every bound state's verdict in `scenario`, and the cascade to `depth` when the obliged act. `terms` (for the
    tests): "auto" tries Python terms (when no negative verdict is shown), then Z3; "python" raises NeedSolver
    rather than fall back; "z3" builds on Z3 from the start."""
    if terms not in ("auto", "python", "z3") or (terms == "python" and include_negative):
        raise ValueError(f"terms {terms!r} (negative verdicts are explained on Z3)")
    # Python terms first, unless negative verdicts are shown: those are explained by `ask`, on a Z3 encoder.
    got = None
    if terms == "python" or (terms == "auto" and not include_negative):
        try:
            got = _who(corpus, scenario, action, drafts, limits, depth, include_negative, "python")
        except NeedSolver:
            if terms == "python":
                raise
            # a formula only Z3 decides: the query again, on Z3
    es, cascade = got or _who(corpus, scenario, action, drafts, limits, depth, include_negative, "z3")
    shown = es if include_negative else [e for e in es if e.verdict != "not_obliged"]
    return WhoResult(scenario=scenario, action=action, entries=shown, cascade=cascade, cascade_depth=depth,
                     drafts=sorted(drafts), assumptions=list(assumptions or []))


def _who(corpus, scenario, action, drafts, limits, depth, include_negative, terms):
    # One encoder for the whole cascade (the date does not change), remembering each condition per scenario: every
    # bound state asks about the same attack, and a clause's conditions do not depend on which party asks.
    enc = Encoder(corpus, scenario.date, drafts, memo=True, terms=terms)
    # The cascade follows obliged and depends entries only: a negative one is explained only if it is shown.
    es = entries(corpus, scenario, action, drafts, limits, include_negative=include_negative, enc=enc)
    cascade = []
    if depth > 0 and scenario.event == "armed-attack" and scenario.attacker:
        acting = [e for e in es if e.verdict in ("obliged", "depends")]
        # Only states not yet brought in are news: the cascade walks outward, breadth first.
        seen = {scenario.victim, scenario.attacker} | {e.party for e in acting}
        cascade = _cascade(corpus, scenario, acting, action, drafts, limits, depth, seen, enc)
    return es, cascade


def _cascade(corpus, scenario, acting, action, drafts, limits, depth, seen, enc) -> list[CascadeStep]:
    if depth <= 0:
        return []
    out = []
    for e in acting:
        if e.party in (scenario.victim, scenario.attacker):
            continue
        s2 = scenario.replace(victim=e.party, target=Target.ARMED_FORCES)
        nxt = [x for x in entries(corpus, s2, action, drafts, limits, include_negative=False, enc=enc) if x.party not in seen]
        seen |= {x.party for x in nxt}
        out.append(CascadeStep(party=e.party, scenario=s2, obliged=nxt, then=[]))
    for step in out:
        step.then.extend(_cascade(corpus, step.scenario, step.obliged, action, drafts, limits, depth - 1, seen, enc))
    return [st for st in out if st.obliged or st.then]
