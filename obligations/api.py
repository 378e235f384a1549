"""The engine as a library: load once, ask many times.

    from obligations.api import Engine
    engine = Engine.load()                              # the bundled corpus
    engine = Engine.load(["treaties/", "draft.treaty"], drafts={"pato"})
    engine.verdict(Scenario(...), Question(party="USA", action="assist"))   # "obliged" | ...
    engine.ask(Scenario(...), Question(...))            # the full answer, with grounds

`verdict` gives exactly `ask`'s verdict without building the explanation: it
is what property-based tests call thousands of times.

Arguments are checked as `obligations ask` checks them: a misspelt state, place, instrument or action is a
ValueError (`InvalidQuery`) naming the closest known name, so a typo in a test fails instead of passing as
`not_obliged`. One Engine may be shared by threads: a lock per engine serialises what touches Z3 (a Z3
context is not thread-safe).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from pathlib import Path

from obligations.model.corpus import Corpus
from obligations.model.load import load_corpus
from obligations.query.ask import VERDICT, QueryError, _suggest, ask, validate
from obligations.query.results import AskResult, WhoResult
from obligations.scenario import ACTIONS, Question, Scenario
from obligations.smt.encode import Encoder
from obligations.smt.solver import Limits, decide


class CorpusError(ValueError):
    """The clause files have errors; `diagnostics` says which."""

    def __init__(self, diagnostics):
        super().__init__("clause files have errors:\n" + "\n".join(d.short() for d in diagnostics))
        self.diagnostics = diagnostics


class InvalidQuery(QueryError, ValueError):
    """A scenario or question the corpus cannot answer as given (an unknown name: the closest is suggested)."""


def _checked(fn):
    """QueryErrors from the engine's validation, raised as InvalidQuery (a ValueError)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kw):
        try:
            return fn(*args, **kw)
        except InvalidQuery:
            raise
        except QueryError as e:
            raise InvalidQuery(str(e)) from None

    return wrapper


class Engine:
    def __init__(self, corpus: Corpus, drafts: frozenset[str] | set[str] = frozenset(), limits: Limits = Limits(),
                 cache_dates: int = 64):
        if not isinstance(limits, Limits):
            raise TypeError(f"limits must be obligations.smt.decision.Limits, not {type(limits).__name__}")
        self.corpus = corpus
        self.drafts = frozenset([drafts] if isinstance(drafts, str) else drafts)
        self.limits = limits
        self._lock = threading.RLock()
        self._encoders: OrderedDict[dt.date, Encoder] = OrderedDict()
        self._cache_dates = cache_dates
        self._root = Encoder(corpus, dt.date(2000, 1, 1), self.drafts)
        unknown = [d for d in self.drafts if d not in corpus.instruments]
        if unknown:
            raise ValueError(f"unknown draft(s): {', '.join(sorted(unknown))}")

    @classmethod
    def load(cls, paths: list[str | Path] | None = None, with_: list[str | Path] | None = None,
             drafts: set[str] | frozenset[str] = frozenset(), limits: Limits = Limits()) -> "Engine":
        from obligations.fsio import path_list

        loaded = load_corpus(path_list(paths, "Engine.load(paths=...)"), path_list(with_, "Engine.load(with_=...)"))
        if not loaded.ok:
            raise CorpusError(loaded.diagnostics)
        return cls(loaded.corpus, drafts, limits)

    def encoder(self, date: dt.date) -> Encoder:
        with self._lock:
            return self._encoder(date)

    def _encoder(self, date: dt.date) -> Encoder:
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

    def _names(self, scenario: Scenario, question: Question | None) -> None:
        """Every name in the scenario and question is one the corpus knows (`verdict`, like `ask`, answers
        only what was meant: a typo is an error, never `not_obliged`)."""
        if not isinstance(scenario, Scenario):
            raise TypeError(f"scenario must be an obligations.scenario.Scenario, not {type(scenario).__name__}")
        if question is not None and not isinstance(question, Question):
            raise TypeError(f"question must be an obligations.scenario.Question, not {type(question).__name__}")
        c = self.corpus
        for field in ("attacker", "victim", "actor", "seller"):
            v = getattr(scenario, field)
            if v is not None and v not in c.states:
                raise _suggest("state", v, c.states)
        if scenario.place is not None and scenario.place not in c.places:
            raise _suggest("place", scenario.place, c.places)
        if scenario.alliance is not None and scenario.alliance not in c.instruments:
            raise _suggest("instrument", scenario.alliance, c.instruments)
        if question is not None:
            if question.party not in c.states:
                raise _suggest("state", question.party, c.states)
            if question.action not in ACTIONS:
                raise _suggest("action", question.action, ACTIONS)
            if question.obj is not None and question.obj.isupper() and question.obj not in c.states:
                raise _suggest("state", question.obj, c.states)

    @_checked
    def verdict(self, scenario: Scenario, question: Question) -> str:
        from obligations.query.ask import sym

        self._names(scenario, question)
        with self._lock:
            enc = self._encoder(scenario.date)
            f = enc.question(question, sym(scenario)).formula
            if isinstance(f, bool):
                return "obliged" if f else "not_obliged"
            return VERDICT[decide(f, enc.background(), enc.ctx, self.limits, find_hinges=False).verdict]

    @_checked
    def ask(self, scenario: Scenario, question: Question, check: bool = True) -> AskResult:
        self._names(scenario, question)
        if check:
            validate(self.corpus, scenario, question, self.drafts)
        with self._lock:
            return ask(self.corpus, scenario, question, self.drafts, self.limits, encoder=self._encoder(scenario.date))

    @_checked
    def who(self, scenario: Scenario, action: str = "assist", depth: int = 2) -> WhoResult:
        from obligations.query.who import MAX_CASCADE_DEPTH, who

        self._names(scenario, None)
        if action not in ACTIONS:
            raise _suggest("action", action, ACTIONS)
        if isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth <= MAX_CASCADE_DEPTH:
            raise InvalidQuery(f"depth must be a whole number from 0 to {MAX_CASCADE_DEPTH}, not {depth!r}")
        validate(self.corpus, scenario, None, self.drafts)
        with self._lock:
            return who(self.corpus, scenario, action, self.drafts, self.limits, depth)
