"""Public testing API: Hypothesis strategies and fast evaluation for draft treaty text.

    from hypothesis import given
    from obligations.testing import load, scenarios, evaluate

    corpus = load(["treaties/", "my-draft.treaty"])

    @given(scenarios(corpus.corpus))
    def test_every_attack_on_a_member_obliges_the_us(s): ...

The strategies live in private modules; this module is the stable surface.
"""

from __future__ import annotations

from obligations.testing._corpora import conditions, files
from obligations.testing._scenarios import questions, scenarios

__all__ = ["conditions", "files", "questions", "scenarios"]

from obligations.api import Engine  # noqa: E402  (the fast evaluator property tests call)

__all__ += ["Engine"]
