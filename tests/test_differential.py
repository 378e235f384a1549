"""Z3's verdicts agree with brute-force enumeration of every interpretation (the reference evaluator)."""

from scale import examples
from hypothesis import given, settings
from hypothesis import strategies as st

import datetime as dt

from obligations.model.load import load_texts
from obligations.query.ask import ask
from obligations.reference import reference_verdict
from obligations.results import to_json
from obligations.scenario import Question
from obligations.vocab import ENTAILS
from obligations.smt.encode import Encoder
from obligations.syntax.format import format_file
from obligations.testing import files, questions, scenarios


@st.composite
def cases(draw):
    f = draw(files())
    loaded = load_texts({"gen.treaty": format_file(f)})
    assert loaded.ok, [d.short() for d in loaded.diagnostics]
    corpus = loaded.corpus
    drafts = frozenset(n for n, i in corpus.instruments.items() if i.draft and draw(st.integers(0, 4)))
    if corpus.clauses and draw(st.integers(0, 3)):
        # Mostly ask about a clause the corpus has, on a date its instrument is in force,
        # about the event it answers to, so that every verdict kind is exercised.
        cl = draw(st.sampled_from(corpus.clauses))
        inst = corpus.instruments[cl.instrument]
        q = Question(party=draw(st.sampled_from(inst.bound_states() or sorted(corpus.states))),
                     action=draw(st.sampled_from(sorted(ENTAILS.get(cl.action, {cl.action})))),
                     deontic=cl.deontic)
        events = (cl.trigger,) if cl.trigger else ("armed-attack", "threat", "join")
        s = draw(scenarios(corpus, events=events))
        lo = inst.entry_into_force or dt.date(1940, 1, 1)
        hi = inst.terminated or dt.date(2000, 1, 1)
        day = lo + dt.timedelta(days=draw(st.integers(0, max(0, (hi - lo).days - 1))))
        return corpus, s.replace(date=day), q, drafts
    q = draw(questions(corpus, actions=("assist", "act", "meet-common-danger", "consult", "use-armed-force", "join-alliance")))
    return corpus, draw(scenarios(corpus)), q, drafts


@settings(max_examples=examples(300))
@given(cases())
def test_z3_agrees_with_brute_force(case):
    corpus, scenario, q, drafts = case
    expected = reference_verdict(corpus, scenario, q, drafts)
    # An explicit encoder: without one, `ask` answers a concrete question in plain Python (tested below).
    got = ask(corpus, scenario, q, drafts, explain=False, encoder=Encoder(corpus, scenario.date, drafts)).verdict
    assert got == expected, (scenario, q)


@settings(max_examples=examples(150))
@given(cases())
def test_the_solver_free_answer_is_the_solvers(case):
    """A question that consults no open term is answered without Z3; the whole answer is the same."""
    corpus, scenario, q, drafts = case
    fast = ask(corpus, scenario, q, drafts)
    slow = ask(corpus, scenario, q, drafts, encoder=Encoder(corpus, scenario.date, drafts))
    assert to_json(fast) == to_json(slow), (scenario, q)


@settings(max_examples=examples(100))
@given(cases())
def test_explanations_never_crash_and_agree(case):
    corpus, scenario, q, drafts = case
    r = ask(corpus, scenario, q, drafts)
    applying = [g for g in r.grounds if g.status == "applies"]
    if r.verdict == "obliged":
        assert [g for g in r.grounds if g.status != "does_not_apply"], "an obliged verdict cites the clauses it rests on"
    if r.verdict == "not_obliged":
        assert not applying and not [g for g in r.grounds if g.status == "may_apply"]
    if r.verdict == "depends":
        assert r.hinges, "a depends verdict names its hinges"
