"""`ask`: is a party bound to take an action in a scenario? Three values, with grounds.

obliged      facts ∧ rules ∧ ¬bound is unsat: bound under every reading of the open terms
not_obliged  facts ∧ rules ∧ bound is unsat
depends      both are sat: the hinges are the open terms whose reading flips it
unknown      the solver hit a limit; never a guess

The scenario and question are taken as valid: the application layer (obligations/app.py) checks them first.
"""

from __future__ import annotations

from obligations import explain as X
from obligations.model.core import Corpus
from obligations.reference import Evaluator, NeedTerm
from obligations.results import AskResult, Ground, Hinge, Related
from obligations.scenario import Question, Scenario
from obligations.smt.decision import Decision, Limits
from obligations.vocab import Deontic, entails

VERDICT = {"valid": "obliged", "unsat": "not_obliged", "contingent": "depends", "unknown": "unknown"}


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
        limits: Limits = Limits(), encoder=None, explain: bool = True, assumptions: list[str] | None = None) -> AskResult:
    """Is `q.party` obliged (forbidden, permitted) to do `q.action` in `scenario`? The verdict, and with `explain`
    the grounds: every clause that could concern the party, how far it applies, and why it stops."""
    applying = _concrete(corpus, scenario, q, drafts) if encoder is None else None
    opens: dict = {}
    if applying is not None:
        dec = Decision("valid" if applying else "unsat", model_true={} if applying else None,
                       model_false=None if applying else {})
        judged = ((cl, "applies", {}) for cl in applying)
    else:
        from obligations.smt.encode import Encoder, SymScenario
        from obligations.smt.solver import decide

        enc = encoder or Encoder(corpus, scenario.date, drafts)
        opens = enc.opens
        e = enc.question(q, SymScenario.of(scenario))
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
                         drafts=sorted(drafts), assumptions=list(assumptions or []))
    grounds: list[Ground] = []
    shown: set[str] = set()
    for cl, status, model in judged:
        if status == "may_apply":
            ev = Evaluator(corpus, scenario, {}, drafts)  # open terms stay open: shown as "?"
        else:
            ev = Evaluator(corpus, scenario, dict(model or {}), drafts, default=False)
        grounds.append(X.ground(ev, cl, q.party, status))
        shown.add(cl.id)
    # Clauses that could concern this party but do not apply: the reasons a verdict is negative.
    ev0 = Evaluator(corpus, scenario, {}, drafts, default=False)
    for cl in corpus.clauses:
        if cl.id in shown or not ev0.matches(cl, q):
            continue
        inst = corpus.instruments[cl.instrument]
        if q.party in inst.bound_states() or (cl.subject.kind == "named" and cl.subject.code == q.party):
            grounds.append(X.ground(ev0, cl, q.party, "does_not_apply"))
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
        ot = opens.get(key)
        term, args = (ot.term, ot.args) if ot is not None else (key, ())
        hinges.append(X.hinge(corpus, term, args, (dec.model_true or {}).get(key), (dec.model_false or {}).get(key)))
    related = _related(corpus, scenario, q, drafts, grounds)
    # The readings the answer rests on: those the clauses that decide it consulted.
    deciding = [g for g in grounds if g.status != "does_not_apply"] or grounds
    readings = list({f.location: f for g in deciding for st in g.steps for f in st.facts if f.reading}.values())
    return AskResult(
        scenario=scenario, question=q, verdict=verdict, summary=X.summary(verdict, scenario, q, grounds, hinges, dec.reason),
        grounds=grounds, hinges=hinges, related=related, reason_unknown=dec.reason, drafts=sorted(drafts),
        assumptions=list(assumptions or []), readings=readings)


def _related(corpus: Corpus, scenario: Scenario, q: Question, drafts, grounds: list[Ground]) -> list[Related]:
    """Instruments binding the party in this situation that oblige something else, or nothing of the kind."""
    ev = Evaluator(corpus, scenario, {}, drafts, default=False)
    counterpart = scenario.victim or scenario.actor
    have = {g.instrument for g in grounds}
    out: list[Related] = []
    for inst in corpus.instruments.values():
        if inst.name in have or not ev.in_force(inst.name):
            continue
        if not ev.is_party(inst, q.party) and q.party not in inst.authors:
            continue
        if counterpart and not (ev.is_party(inst, counterpart) or counterpart in inst.addressees or ev.is_designated(inst, counterpart)):
            continue
        weaker = []
        for cl in corpus.clauses_of(inst.name):
            if cl.deontic is Deontic.MUST and not entails(cl.action, q.action):
                if ev.applies(cl, q.party):
                    weaker.append(f"{cl.action} (Article {cl.article})")
        cat = inst.category
        if weaker:
            note = f"obliges {q.party} here only to: " + ", ".join(sorted(set(weaker)))
        elif cat in ("cooperation", "economic", "partnership"):
            note = f"{'an' if cat[0] in 'aeiou' else 'a'} {cat} arrangement: it creates no obligation to {q.action}"
        else:
            note = f"contains no clause obliging {q.party} to {q.action} in this situation"
        out.append(Related(instrument=inst.name, title=inst.title, category=cat, binding=inst.binding, note=note))
    if q.action == "use-armed-force" and q.deontic is Deontic.MUST:
        # An obligation to assist with means at the party's discretion is not one to use force: say so.
        ev_open = Evaluator(corpus, scenario, {}, drafts)
        for cl in corpus.clauses:
            if cl.deontic is not Deontic.MUST or cl.action not in ("assist", "meet-common-danger", "act"):
                continue
            try:
                applies = ev_open.applies(cl, q.party)
            except NeedTerm:
                applies = None
            if applies is False:
                continue
            inst = corpus.instruments[cl.instrument]
            disc = [x.text for x in cl.qualifiers if x.kind == "discretionary"]
            every = [x.text for x in cl.qualifiers if x.kind == "means-all"]
            if every:
                how, tail = f'by all the means at its disposal ("{every[0]}")', "whether that includes armed force the text does not say"
            else:
                how = f'with the means at its discretion ("{disc[0]}")' if disc else "without prescribing the means"
                tail = "it need not use armed force"
            may = "" if applies else "may "
            out.append(Related(instrument=inst.name, title=inst.title, category=inst.category, binding=inst.binding,
                               note=f"Article {cl.article} {may}oblige{'s' if applies else ''} {q.party} to {cl.action} {how}: {tail}"))
    return out

