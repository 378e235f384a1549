"""The engine as a library: load once, ask many times.

    from obligations.api import Engine
    from obligations.scenario import Scenario, Question
    engine = Engine.load()                                   # the bundled corpus
    engine = Engine.load(with_=["draft.treaty"], drafts={"pato-draft"}, without={"pompeo-2019"})
    engine.verdict(Scenario(...), Question(party="USA", action="assist"))   # "obliged" | ...
    engine.ask(Scenario(...), Question(...))                 # the full answer, with grounds

`verdict` gives exactly `ask`'s verdict without building the explanation: it is what property-based tests
call thousands of times. Every call checks its scenario and question as the CLI does (a misspelt state,
place or action raises `UnknownName` with the closest known name, an impossible scenario
`IllFormedScenario`), so a typo in a test cannot pass silently. An Engine may be shared by threads: calls
are serialised (Z3 contexts are not thread-safe).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from pathlib import Path

from obligations.app import Workspace
from obligations.errors import CorpusError, IllFormedScenario, UnknownName, UsageError  # noqa: F401 (re-exported)
from obligations.model.core import Corpus
from obligations.results import AskResult, WhoResult
from obligations.scenario import Question, Scenario
from obligations.smt.decision import Limits

# A scenario or question the corpus cannot answer as given: an unknown name (the closest is suggested) or an
# event that cannot happen. A ValueError, so that a typo in a property test fails instead of passing.
InvalidQuery = UsageError


class Engine:
    def __init__(self, corpus: Corpus | Workspace, drafts: frozenset[str] | set[str] = frozenset(),
                 limits: Limits = Limits(), cache_dates: int = 64):
        if isinstance(drafts, str):
            drafts = {drafts}
        if isinstance(corpus, Workspace):
            self.workspace = corpus
            drafts = corpus.drafts | frozenset(drafts)
        else:
            self.workspace = Workspace(corpus, frozenset(), {})
        unknown = [d for d in drafts if d not in self.workspace.corpus.instruments]
        if unknown:
            raise UnknownName("draft", sorted(unknown)[0], self.workspace.corpus.instruments, listing="instruments")
        self.workspace.drafts = frozenset(drafts)
        if not isinstance(limits, Limits):
            raise TypeError(f"Engine(limits={limits!r}): expected obligations.smt.decision.Limits")
        self.limits = limits
        self._encoders: OrderedDict[dt.date, object] = OrderedDict()
        self._cache_dates = cache_dates
        self._root = None
        self._lock = threading.RLock()

    @property
    def corpus(self) -> Corpus:
        return self.workspace.corpus

    @property
    def drafts(self) -> frozenset[str]:
        return self.workspace.drafts

    @classmethod
    def load(cls, paths: list[str | Path] | None = None, with_: list[str | Path] | None = None,
             drafts: set[str] | frozenset[str] = frozenset(), limits: Limits = Limits(),
             without: set[str] | frozenset[str] = frozenset(), join: list[tuple[str, str]] = (),
             assume: list[str] = ()) -> "Engine":
        """Open the bundled corpus (or `paths`) with the user's files `with_`, exactly as the CLI's query
        options do (`--corpus`, `--with`, `--draft`, `--without`, `--join INSTRUMENT:STATE`,
        `--assume TERM(ARGS)=READING`)."""
        return cls(Workspace.open(paths, with_, drafts, without, join, assume=list(assume)), limits=limits)

    def encoder(self, date: dt.date):
        from obligations.smt.encode import Encoder

        enc = self._encoders.get(date)
        if enc is None:
            if self._root is None:
                self._root = Encoder(self.corpus, dt.date(2000, 1, 1), self.drafts)
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
        """The verdict `ask` would give, without the explanation."""
        from obligations.query.ask import VERDICT
        from obligations.smt.encode import SymScenario
        from obligations.smt.solver import decide

        with self._lock:
            s, _ = self.workspace.scenario(_check_type(scenario, Scenario, "scenario"))
            self.workspace.question(_check_type(question, Question, "question"), s)
            enc = self.encoder(s.date)
            f = enc.question(question, SymScenario.of(s)).formula
            if isinstance(f, bool):
                return "obliged" if f else "not_obliged"
            return VERDICT[decide(f, enc.background(), enc.ctx, self.limits, find_hinges=False).verdict]

    def ask(self, scenario: Scenario, question: Question) -> AskResult:
        with self._lock:
            s = _check_type(scenario, Scenario, "scenario")
            return self.workspace.ask(s, _check_type(question, Question, "question"), self.limits,
                                      encoder=self.encoder(s.date))

    def who(self, scenario: Scenario, action: str = "assist", depth: int = 2, include_negative: bool = False) -> WhoResult:
        with self._lock:
            return self.workspace.who(_check_type(scenario, Scenario, "scenario"), action, self.limits, depth, include_negative)

    def conflicts(self, party: str, date: dt.date, within: bool = False):
        with self._lock:
            return self.workspace.conflicts(party, date, self.limits, within)

    def eligible(self, candidate: str, instrument: str, date: dt.date):
        with self._lock:
            return self.workspace.eligible(candidate, instrument, date, self.limits)


def _check_type(v, cls, name: str):
    if not isinstance(v, cls):
        raise TypeError(f"{name}: expected an obligations {cls.__name__}, got {type(v).__name__}")
    return v
