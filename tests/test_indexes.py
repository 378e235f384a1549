"""The shortcuts that keep `conflicts` and `who` from scanning every state against every clause give the answers
the scans give: the victims a clause's conditions allow (Encoder.victim_domain), a party's clauses by the
instruments that name it (Corpus.clauses_naming), the background of a formula's own disputed places
(Encoder.background_of), and the classification without a solver of residuals that are and/or of open terms
(Grounder._classify). Checked on the bundled corpus, the semantics tests' world and generated corpora."""

import datetime as dt
import itertools
import random
from pathlib import Path

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from obligations.model.load import load_paths
from obligations.query.grounded import Grounder
from obligations.query.who import who
from obligations.query.ask import ask
from obligations.scenario import Question, Scenario
from obligations.smt.decision import Limits
from obligations.smt.encode import AND, OR, Encoder, SymScenario
from obligations.smt.solver import _relevant, _vars, decide
from obligations.testing import files, scenarios
from scale import examples
from test_symbolic import _corpus

WORLD = Path(__file__).resolve().parent / "semantics" / "world.treaty"
LIMITS = Limits(timeout_ms=10000)


def _world():
    loaded = load_paths([WORLD])
    assert loaded.ok
    return loaded.corpus


def _scan(corpus, enc: Encoder, party: str) -> list:
    """What binding_clauses scanned before the index: every clause of the corpus."""
    out = []
    for cl in corpus.clauses:
        inst = corpus.instruments[cl.instrument]
        if party in enc.member_set(inst) or party in inst.authors or party in enc.designated(inst):
            out.append(cl)
    return out


def _check_victim_domain(corpus, s: Scenario, drafts=frozenset()) -> int:
    """For every clause and party it can bind: a victim outside the clause's domain makes it False. Returns how
    many clauses the domain ruled out (so that a test can see the check was not vacuous)."""
    enc = Encoder(corpus, s.date, drafts)
    sym = SymScenario.of(s)
    ruled_out = 0
    for cl in corpus.clauses:
        d = enc.victim_domain(cl)
        if d is None or s.victim in d:
            continue
        ruled_out += 1
        inst = corpus.instruments[cl.instrument]
        for party in sorted({m.state for m in inst.memberships} | set(inst.authors) | {cl.subject.code or ""} - {""}):
            assert enc.applies(cl, party, sym) is False, (cl.id, party, s)
    return ruled_out


@settings(max_examples=examples(60), deadline=None)
@given(st.data(), files())
def test_victim_domain_is_sound_on_generated_corpora(data, f):
    corpus = _corpus(f)
    s = data.draw(scenarios(corpus, events=("armed-attack",)))
    _check_victim_domain(corpus, s, frozenset(n for n, i in corpus.instruments.items() if i.draft))


def test_victim_domain_is_sound_and_used_on_the_bundled_corpus(bundled):
    corpus = bundled.corpus
    rng = random.Random(7)
    ruled_out = 0
    for d in (dt.date(1960, 1, 1), dt.date(2025, 6, 1)):
        states = sorted(x for x in corpus.states if corpus.state_exists(x, d))
        for victim in states[::7]:
            attacker = rng.choice([x for x in states if x != victim])
            own = sorted(p for p in corpus.places if victim in {h.state for h in corpus.places[p].territory_of})
            for target, place in [("armed-forces", rng.choice(sorted(corpus.places))), ("armed-forces", None)] + [
                    ("territory", p) for p in own[:2]]:
                s = Scenario(date=d, attacker=attacker, victim=victim, target=target, place=place)
                ruled_out += _check_victim_domain(corpus, s)
    assert ruled_out > 0  # the domains do rule clauses out


def test_clauses_naming_is_the_scan(bundled):
    for corpus in (bundled.corpus, _world()):
        for d in (dt.date(1955, 1, 1), dt.date(1980, 1, 1), dt.date(2025, 6, 1)):
            enc = Encoder(corpus, d)
            for party in sorted(corpus.states):
                got = [cl for cl in corpus.clauses_naming(party)
                       if party in enc.member_set(corpus.instruments[cl.instrument])
                       or party in corpus.instruments[cl.instrument].authors
                       or party in enc.designated(corpus.instruments[cl.instrument])]
                assert [cl.id for cl in got] == [cl.id for cl in _scan(corpus, enc, party)], (party, d)


def _sovereign_terms(enc: Encoder) -> list[z3.BoolRef]:
    enc.background()  # creates the open terms of every disputed place
    return [ot.var for ot in enc.opens.values() if ot.term == "sovereign"]


def test_background_of_is_what_decide_keeps(bundled):
    for corpus in (bundled.corpus, _world()):
        enc = Encoder(corpus, dt.date(2025, 6, 1))
        terms = _sovereign_terms(enc)
        assert terms
        rng = random.Random(3)
        for _ in range(200):
            pick = rng.sample(terms, min(len(terms), rng.randint(1, 3)))
            f = AND(*pick) if rng.random() < 0.5 else OR(*pick)
            want = {b.get_id() for b in _relevant(enc.background(), _vars(f))}
            assert {b.get_id() for b in enc.background_of(f)} == want


def _formulas(enc: Encoder, rng: random.Random, n: int):
    """and/or of open terms (the shortcut's case) and a few that are not (negations, constants)."""
    terms = _sovereign_terms(enc) + [z3.Bool(f"hostile(X{k})", enc.ctx) for k in range(3)]
    for _ in range(n):
        pick = rng.sample(terms, min(len(terms), rng.randint(1, 4)))
        f = pick[0]
        for t in pick[1:]:
            f = AND(f, t) if rng.random() < 0.5 else OR(f, t)
        if rng.random() < 0.15:
            f = z3.Not(f)
        yield f


def test_residuals_classified_without_a_solver_as_decide_does(bundled):
    for corpus in (bundled.corpus, _world()):
        enc = Encoder(corpus, dt.date(2025, 6, 1))
        g = Grounder(enc, sorted(corpus.states)[0], LIMITS)
        rng = random.Random(11)
        seen = set()
        for f in _formulas(enc, rng, 300):
            want = decide(f, enc.background(), enc.ctx, LIMITS, find_hinges=False).verdict
            assert g._classify(f) == want, f
            seen.add(want)
        assert {"contingent", "unsat"} <= seen  # two claims of one place together: impossible


def _shown(r) -> list:
    return [(e.party, e.verdict, e.summary, tuple(e.instruments), tuple(e.hinges)) for e in r.entries]


def _check_who(corpus, s: Scenario, drafts=frozenset(), depth=0) -> int:
    """who's shown entries are the full answer's positive ones, and each bound state's verdict is `ask`'s (which
    evaluates every clause of the party: no victim domain). Returns how many states are obliged or may be."""
    short = who(corpus, s, drafts=drafts, depth=depth, limits=LIMITS)
    full = who(corpus, s, drafts=drafts, depth=depth, limits=LIMITS, include_negative=True)
    assert _shown(short) == [x for x in _shown(full) if x[1] != "not_obliged"], s
    assert [c.party for c in short.cascade] == [c.party for c in full.cascade]
    got = {e.party: e.verdict for e in short.entries}
    for e in full.entries:
        want = ask(corpus, s, Question(party=e.party, action="assist"), drafts, LIMITS, explain=False).verdict
        assert got.get(e.party, "not_obliged") == want, (e.party, s)
    return len(got)


def test_who_equals_ask_for_every_bound_state(bundled):
    # Parties whose clauses cannot bind for this victim are skipped when negative answers are not shown.
    corpus = bundled.corpus
    d = dt.date(2025, 6, 1)
    rng = random.Random(5)
    states = sorted(x for x in corpus.states if corpus.state_exists(x, d))
    positive = 0
    for victim in ["JPN", "PHL", "KOR", "POL", "TWN"] + rng.sample(states, 5):
        attacker = "CHN" if victim != "CHN" else "RUS"
        places = sorted(p for p in corpus.places if victim in {h.state for h in corpus.places[p].territory_of})
        for place in places[:2]:
            positive += _check_who(corpus, Scenario(date=d, attacker=attacker, victim=victim, target="territory",
                                                    place=place))
    assert positive > 0


@settings(max_examples=examples(30), deadline=None)
@given(st.data(), files())
def test_who_equals_ask_on_generated_corpora(data, f):
    corpus = _corpus(f)
    s = data.draw(scenarios(corpus, events=("armed-attack",)))
    _check_who(corpus, s, frozenset(n for n, i in corpus.instruments.items() if i.draft), depth=1)


def test_a_lone_open_term_is_decided_as_the_solver_decides(bundled):
    # decide answers a lone unconstrained term without a solver; And(t, t) (not simplified) goes through one.
    enc = Encoder(bundled.corpus, dt.date(2025, 6, 1))
    terms = _sovereign_terms(enc) + [z3.Bool("hostile(XXX)", enc.ctx)]
    lone = 0
    for t in terms:
        for hinges in (True, False):
            got = decide(t, enc.background(), enc.ctx, LIMITS, find_hinges=hinges)
            want = decide(z3.And(t, t), enc.background(), enc.ctx, LIMITS, find_hinges=hinges)
            assert (got.verdict, got.model_true, got.model_false, got.hinges) == \
                   (want.verdict, want.model_true, want.model_false, want.hinges), t
        lone += not _relevant(enc.background(), [t])
    assert lone > 0


def test_small_formulas_by_truth_table_as_the_solver_decides(bundled):
    from obligations.smt.solver import verdict_by_table

    enc = Encoder(bundled.corpus, dt.date(2025, 6, 1))
    free = [z3.Bool(f"hostile(X{k})", enc.ctx) for k in range(4)]
    rng = random.Random(13)
    tabled, kinds = 0, set()
    for f in itertools.chain(_formulas(enc, rng, 150), _free_formulas(free, rng, 150)):
        for hinges in (True, False):
            got = verdict_by_table(f, enc.background(), hinges)
            if got is None:
                continue
            tabled += 1
            want = decide(f, enc.background(), enc.ctx, LIMITS, find_hinges=hinges)
            assert (got.verdict, got.hinges) == (want.verdict, want.hinges), f
            kinds.add(want.verdict)
    assert tabled > 100 and {"contingent", "valid", "unsat"} <= kinds


def _free_formulas(terms, rng: random.Random, n: int):
    """and/or/not over unconstrained terms, with repeats (absorption, tautologies, contradictions)."""
    def build(depth):
        if depth == 0 or rng.random() < 0.3:
            t = rng.choice(terms)
            return z3.Not(t) if rng.random() < 0.3 else t
        kids = [build(depth - 1) for _ in range(rng.randint(2, 3))]
        op = rng.choice([z3.And, z3.Or])
        f = op(*kids)
        return z3.Not(f) if rng.random() < 0.2 else f
    for _ in range(n):
        f = build(3)
        if rng.random() < 0.1:
            f = z3.Or(f, z3.Not(f)) if rng.random() < 0.5 else z3.And(f, z3.Not(f))
        yield f
