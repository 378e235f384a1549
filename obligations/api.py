"""The engine as a library: load once, ask many times.

    from obligations.api import Engine
    engine = Engine.load()                              # the bundled corpus
    engine = Engine.load(["treaties/", "draft.treaty"], drafts={"pato"})
    engine.verdict(Scenario(...), Question(party="USA", action="assist"))   # "obliged" | ...
    engine.ask(Scenario(...), Question(...))            # the full answer, with grounds

`verdict` gives exactly `ask`'s verdict without building the explanation: it
is what property-based tests call thousands of times.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from pathlib import Path

from obligations.model.corpus import Corpus
from obligations.model.load import load_corpus
from obligations.query.ask import VERDICT, ask, validate
from obligations.query.results import AskResult, WhoResult
from obligations.scenario import Question, Scenario
from obligations.smt.encode import Encoder
from obligations.smt.solver import Limits, decide


class CorpusError(ValueError):
    """The clause files have errors; `diagnostics` says which."""

    def __init__(self, diagnostics):
        super().__init__("clause files have errors:\n" + "\n".join(d.short() for d in diagnostics))
        self.diagnostics = diagnostics


class Engine:
    def __init__(self, corpus: Corpus, drafts: frozenset[str] | set[str] = frozenset(), limits: Limits = Limits(),
                 cache_dates: int = 64):
        self.corpus = corpus
        self.drafts = frozenset(drafts)
        self.limits = limits
        self._encoders: OrderedDict[dt.date, Encoder] = OrderedDict()
        self._cache_dates = cache_dates
        self._root = Encoder(corpus, dt.date(2000, 1, 1), self.drafts)
        unknown = [d for d in self.drafts if d not in corpus.instruments]
        if unknown:
            raise ValueError(f"unknown draft(s): {', '.join(sorted(unknown))}")

    @classmethod
    def load(cls, paths: list[str | Path] | None = None, with_: list[str | Path] | None = None,
             drafts: set[str] | frozenset[str] = frozenset(), limits: Limits = Limits()) -> "Engine":
        loaded = load_corpus(paths, with_)
        if not loaded.ok:
            raise CorpusError(loaded.diagnostics)
        return cls(loaded.corpus, drafts, limits)

    def encoder(self, date: dt.date) -> Encoder:
        enc = self._encoders.get(date)
        if enc is None:
            # One Z3 context for every date: a context costs tens of megabytes.
            first = next(iter(self._encoders.values()), None) or self._root
            enc = Encoder(self.corpus, date, self.drafts, share=first)
            self._encoders[date] = enc
            if len(self._encoders) > self._cache_dates:
                self._encoders.popitem(last=False)
        else:
            self._encoders.move_to_end(date)
        return enc

    def verdict(self, scenario: Scenario, question: Question) -> str:
        from obligations.query.ask import sym

        enc = self.encoder(scenario.date)
        f = enc.question(question, sym(scenario)).formula
        if isinstance(f, bool):
            return "obliged" if f else "not_obliged"
        return VERDICT[decide(f, enc.background(), enc.ctx, self.limits, find_hinges=False).verdict]

    def ask(self, scenario: Scenario, question: Question, check: bool = True) -> AskResult:
        if check:
            validate(self.corpus, scenario, question, self.drafts)
        return ask(self.corpus, scenario, question, self.drafts, self.limits, encoder=self.encoder(scenario.date))

    def who(self, scenario: Scenario, action: str = "assist", depth: int = 2) -> WhoResult:
        from obligations.query.who import who

        validate(self.corpus, scenario, None, self.drafts)
        return who(self.corpus, scenario, action, self.drafts, self.limits, depth)
