"""Public testing API: Hypothesis strategies and fast evaluation for draft treaty text.

    from hypothesis import given
    from obligations.testing import Engine, asks, scenarios

    engine = Engine.load(with_=["my-draft.treaty"], drafts={"my-draft"})

    @given(asks(engine.corpus))
    def test_verdicts_are_never_unknown(case):
        scenario, question = case
        assert engine.verdict(scenario, question) != "unknown"

`scenarios(corpus)` draws scenarios that can happen (existing states, the victim's territory attacked where it
holds or claims it), `questions(corpus)` questions, `asks(corpus)` the two together as `Engine.verdict`
accepts them, `files()` whole clause files (for testing the language itself), `conditions(ctx)` conditions.
The strategies live in private modules; this module is the stable surface.

The pytest plugin adds the fixtures `obligations_load`, `obligations_corpus` and `obligations_engine` (a test
checks that every name this docstring shows exists).
"""

from __future__ import annotations

from obligations.testing._corpora import conditions, files
from obligations.testing._scenarios import asks, questions, scenarios

__all__ = ["asks", "conditions", "files", "questions", "scenarios"]

from obligations.api import Engine  # noqa: E402  (the fast evaluator property tests call)

__all__ += ["Engine"]
