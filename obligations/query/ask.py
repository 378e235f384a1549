"""`ask`: is a party bound to take an action in a scenario? Three values, with grounds.

obliged      facts ∧ rules ∧ ¬bound is unsat: bound under every reading of the open terms
not_obliged  facts ∧ rules ∧ bound is unsat
depends      both are sat: the hinges are the open terms whose reading flips it
unknown      the solver hit a limit; never a guess
"""

from __future__ import annotations

from obligations.diagnostics import closest
from obligations.explain import describe_term, ground
from obligations.model.corpus import Corpus
from obligations.query.results import AskResult, Ground, Hinge, Related
from obligations.reference import Evaluator, NeedTerm
from obligations.scenario import ACTIONS, Question, Scenario, entails
from obligations.smt.decision import Decision, Limits

VERDICT = {"valid": "obliged", "unsat": "not_obliged", "contingent": "depends", "unknown": "unknown"}


class QueryError(Exception):
    """An identifier or value in the query that the corpus does not know (exit 2)."""


def _suggest(kind: str, name: str, known) -> QueryError:
    hits = closest(name, known)
    hint = f' (did you mean "{hits[0]}"?)' if hits else f" (see `obligations list {kind}s`)"
    return QueryError(f'unknown {kind} "{name}"{hint}')


def validate(corpus: Corpus, scenario: Scenario, question: Question | None = None, drafts=frozenset()) -> None:
    for field in ("attacker", "victim", "actor", "seller"):
        v = getattr(scenario, field)
        if v is not None and v not in corpus.states:
            raise _suggest("state", v, corpus.states)
        if v is not None and not corpus.state_exists(v, scenario.date):
            st = corpus.states[v]
            span = f"{'from ' + str(st.start) if st.start else ''}{' until ' + str(st.end) if st.end else ''}".strip()
            raise QueryError(f"{v} ({st.name}) does not exist on {scenario.date}: it exists {span}")
    if scenario.attacker is not None and scenario.attacker == scenario.victim:
        raise QueryError(f"the attacker and the victim are both {scenario.attacker}")
    if scenario.place is not None and scenario.place not in corpus.places:
        raise _suggest("place", scenario.place, corpus.places)
    if scenario.alliance is not None and scenario.alliance not in corpus.instruments:
        raise _suggest("instrument", scenario.alliance, corpus.instruments)
    for d in drafts:
        if d not in corpus.instruments:
            raise _suggest("instrument", d, corpus.instruments)
    if question is not None:
        if question.party not in corpus.states:
            raise _suggest("state", question.party, corpus.states)
        if question.action not in ACTIONS:
            raise _suggest("action", question.action, ACTIONS)
        if question.obj is not None and question.obj.isupper() and question.obj not in corpus.states:
            raise _suggest("state", question.obj, corpus.states)


def sym(scenario: Scenario):
    from obligations.smt.encode import SymScenario

    return SymScenario(event=scenario.event, attacker=scenario.attacker, victim=scenario.victim, target=scenario.target,
                       place=scenario.place, actor=scenario.actor, alliance=scenario.alliance, seller=scenario.seller)


def _interp(model: dict[str, bool] | None) -> dict[str, bool]:
    return dict(model or {})


def _concrete(corpus: Corpus, scenario: Scenario, q: Question, drafts: frozenset[str]) -> list | None:
    """The clauses that bind the party, when deciding them consults no open term (None otherwise).

    Then the verdict needs no solver, and a query from the shell does not import Z3. It is the same semantics
    stated in plain Python (reference.py); tests/test_differential.py checks the two agree.
    """
    ev = Evaluator(corpus, scenario, {}, drafts)  # default None: an open term raises NeedTerm
    try:
        return [cl for cl in ev.candidates(q) if ev.applies(cl, q.party)]
    except NeedTerm:
        return None


def ask(corpus: Corpus, scenario: Scenario, q: Question, drafts: frozenset[str] = frozenset(),
        limits: Limits = Limits(), encoder=None, explain: bool = True) -> AskResult:
    applying = _concrete(corpus, scenario, q, drafts) if encoder is None else None
    if applying is not None:
        dec = Decision("valid" if applying else "unsat", model_true={} if applying else None,
                       model_false=None if applying else {})
        judged = ((cl, "applies", {}) for cl in applying)
    else:
        from obligations.smt.encode import Encoder
        from obligations.smt.solver import decide

        enc = encoder or Encoder(corpus, scenario.date, drafts)
        e = enc.question(q, sym(scenario))
        bg = enc.background()
        dec = decide(e.formula, bg, enc.ctx, limits)

        def judge():  # each clause decided on its own, only when the answer is explained
            for cl, f in e.parts:
                sub = decide(f, bg, enc.ctx, limits)
                status = {"valid": "applies", "unsat": "does_not_apply"}.get(sub.verdict, "may_apply")
                yield cl, status, sub.model_true if status == "applies" else sub.model_false

        judged = judge()
    verdict = VERDICT[dec.verdict]
    if not explain:
        return AskResult(scenario=scenario, question=q, verdict=verdict, summary="", reason_unknown=dec.reason,
                         drafts=sorted(drafts))
    grounds: list[Ground] = []
    shown: set[str] = set()
    for cl, status, model in judged:
        if status == "may_apply":
            ev = Evaluator(corpus, scenario, {}, drafts)  # open terms stay open: shown as "?"
        else:
            ev = Evaluator(corpus, scenario, _interp(model), drafts, default=False)
        grounds.append(ground(ev, cl, q.party, status))
        shown.add(cl.id)
    # Clauses that could concern this party but do not apply: the reasons a verdict is negative.
    ev0 = Evaluator(corpus, scenario, {}, drafts, default=False)
    for cl in corpus.clauses:
        if cl.id in shown or not ev0.matches(cl, q):
            continue
        inst = corpus.instruments[cl.instrument]
        n = cl.node
        concerns = q.party in inst.bound_states() or (n.subject.mode == "named" and n.subject.code == q.party)
        if concerns:
            grounds.append(ground(ev0, cl, q.party, "does_not_apply"))
    order = {"applies": 0, "may_apply": 1, "does_not_apply": 2}
    # Among the clauses that fail, the one that came closest (most conditions met) explains best.
    # A clause whose victim or party is not covered at all says least about the question.
    vague = {"victim_not_covered": 1, "different_event": 1, "not_party": 2, "draft": 3}
    counterpart = scenario.victim or scenario.actor

    def shared(g: Ground) -> int:
        # An instrument that binds both the party and the state attacked is the one the question is about.
        inst = corpus.instruments[g.instrument]
        return 0 if counterpart and (ev0.is_party(inst, counterpart) or ev0.is_designated(inst, counterpart)) else 1

    grounds.sort(key=lambda g: (order[g.status], g.draft, vague.get(g.failure.kind, 0) if g.failure else 0,
                                shared(g), -sum(1 for st in g.steps if st.holds), g.instrument, g.clause))
    hinges = []
    for key in dec.hinges:
        h = describe_term(corpus, key)
        hinges.append(Hinge(term=h.term, question=h.question, readings=h.readings,
                            when_obliged=(dec.model_true or {}).get(key), when_not_obliged=(dec.model_false or {}).get(key)))
    related = _related(corpus, scenario, q, drafts, grounds)
    return AskResult(
        scenario=scenario, question=q, verdict=verdict, summary=_summary(verdict, scenario, q, grounds, hinges, dec.reason),
        grounds=grounds, hinges=hinges, related=related, reason_unknown=dec.reason, drafts=sorted(drafts),
    )


def _related(corpus: Corpus, scenario: Scenario, q: Question, drafts, grounds: list[Ground]) -> list[Related]:
    """Instruments binding the party in this situation that oblige something else, or nothing of the kind."""
    ev = Evaluator(corpus, scenario, {}, drafts, default=False)
    counterpart = scenario.victim or scenario.actor
    have = {g.instrument for g in grounds}
    out: list[Related] = []
    for inst in corpus.instruments.values():
        if inst.name in have or not ev.in_force(inst.name):
            continue
        if not ev.is_party(inst, q.party) and q.party not in inst.node.authors:
            continue
        if counterpart and not (ev.is_party(inst, counterpart) or counterpart in inst.node.addressees or ev.is_designated(inst, counterpart)):
            continue
        weaker = []
        for cl in corpus.clauses_of(inst.name):
            n = cl.node
            if n.deontic == "must" and not entails(n.action.name, q.action):
                if ev.applies(cl, q.party):
                    weaker.append(f"{n.action.name} (Article {cl.article})")
        cat = inst.node.category
        if weaker:
            note = f"obliges {q.party} here only to: " + ", ".join(sorted(set(weaker)))
        elif cat in ("cooperation", "economic", "partnership"):
            note = f"a {cat} arrangement: it creates no obligation to {q.action}"
        else:
            note = f"contains no clause obliging {q.party} to {q.action} in this situation"
        out.append(Related(instrument=inst.name, title=inst.title, category=cat, binding=inst.binding, note=note))
    if q.action == "use-armed-force" and q.deontic == "must":
        # An obligation to assist with means at the party's discretion is not one to use force: say so.
        ev_open = Evaluator(corpus, scenario, {}, drafts)
        for cl in corpus.clauses:
            n = cl.node
            if n.deontic != "must" or n.action.name not in ("assist", "meet-common-danger", "act"):
                continue
            try:
                applies = ev_open.applies(cl, q.party)
            except NeedTerm:
                applies = None
            if applies is False:
                continue
            inst = corpus.instruments[cl.instrument]
            disc = [x.text for x in n.qualifiers if x.mode == "discretionary"]
            how = f'with the means at its discretion ("{disc[0]}")' if disc else "without prescribing the means"
            may = "" if applies else "may "
            out.append(Related(instrument=inst.name, title=inst.title, category=inst.node.category, binding=inst.binding,
                               note=f"Article {cl.article} {may}oblige{'s' if applies else ''} {q.party} to {n.action.name} {how}: "
                                    f"it need not use armed force"))
    return out


def _summary(verdict: str, s: Scenario, q: Question, grounds: list[Ground], hinges: list[Hinge], reason: str | None) -> str:
    act = q.action if q.deontic == "must" else f"{q.deontic} {q.action}"
    what = f"{q.party} {act}" + (f" {q.obj}" if q.obj else "")
    applying = [g for g in grounds if g.status == "applies"]
    if verdict == "obliged":
        cites = ", ".join(sorted({f"{g.instrument} Art. {g.article}" for g in applying}))
        return f"obliged: {what} — {s.describe()} ({cites})"
    if verdict == "depends":
        return f"depends: {what} — turns on " + "; ".join(h.question for h in hinges)
    if verdict == "unknown":
        return f"unknown: {what} — {reason}"
    fails = [g for g in grounds if g.failure is not None]
    if not fails:
        return f"not obliged: {what} — no clause in the corpus obliges it in this situation"
    first = fails[0]
    # Other instruments that fail in the same way, between the same states, are named too.
    peers = [g for g in fails[1:4] if g.failure.kind == first.failure.kind and g.instrument != first.instrument
             and g.failure.kind not in ("victim_not_covered", "not_party", "draft", "different_event")]
    short = lambda g: g.failure.reason.split("; ")[0]
    also = "".join(f"; {g.instrument} Art. {g.article}: {short(g)}" for g in peers)
    return f"not obliged: {what} — {first.instrument} Art. {first.article}: {first.failure.reason if not peers else short(first)}{also}"
