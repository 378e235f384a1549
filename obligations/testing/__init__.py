"""Public testing API: Hypothesis strategies and fast evaluation for draft treaty text.

    from hypothesis import given
    from obligations.scenario import Question
    from obligations.testing import Engine, questions, scenarios

    engine = Engine.load(["treaties/"], with_=["my-draft.treaty"], drafts={"my-draft"})

    @given(scenarios(engine.corpus))
    def test_every_attack_on_a_member_obliges_the_us(s):
        assert engine.verdict(s, Question(party="USA", action="assist")) in ("obliged", "depends", "not_obliged")

`scenarios(corpus)`, `questions(corpus)`, `files()` and `conditions()` are Hypothesis strategies; `Engine` is
the fast evaluator (`verdict`, `ask`, `who`). The pytest plugin adds the fixtures `obligations_load`,
`obligations_corpus` and `obligations_engine`. The strategies live in private modules; this module is the
stable surface (a test checks that every name this docstring shows exists).
"""

from __future__ import annotations

from obligations.testing._corpora import conditions, files
from obligations.testing._scenarios import questions, scenarios

__all__ = ["conditions", "files", "questions", "scenarios"]

from obligations.api import Engine  # noqa: E402  (the fast evaluator property tests call)

__all__ += ["Engine"]
