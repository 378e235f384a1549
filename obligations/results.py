"""Every result the engine returns, in one module: plain frozen dataclasses.

A result carries structure (a witness is an object with its attacker, victim, place and date, and the
sentence beside it); `explain.py` owns the words, `render.py` only lays them out, and `to_json` is the one
way a result becomes JSON. The JSON Schema that `obligations schema` prints is generated from these classes
(pydantic reads dataclasses; it is imported only by that command and by the tests).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from obligations.record import field, field_names, record
from obligations.scenario import Question, Scenario


class _Literal:
    """`typing.Literal`, for the annotations below, imported only when one is read: by pydantic, which builds
    `obligations schema` from them and evaluates `Literal[...]` here. Nothing on a query's path reads an
    annotation, and importing typing was ~1.5 ms of every query from the shell (issue 18)."""

    def __getitem__(self, values):
        from typing import Literal

        return Literal[values]


Literal = _Literal()

_CONFIG = {"extra": "forbid"}


def to_json(x):
    """A result (or any value inside one) as JSON-ready data: dataclasses as objects in field order, enums as
    their values, dates in ISO form."""
    names = None if isinstance(x, type) else field_names(x)
    if names is None and not isinstance(x, type) and hasattr(type(x), "__dataclass_fields__"):
        from dataclasses import fields  # a dataclass that is not a record (the engine's own are records)

        names = [f.name for f in fields(x)]
    if names is not None:
        return {n: to_json(getattr(x, n)) for n in names}
    if isinstance(x, Enum):
        return x.value
    if isinstance(x, (list, tuple)):
        return [to_json(v) for v in x]
    if isinstance(x, dict):
        return {k: to_json(v) for k, v in x.items()}
    if isinstance(x, dt.date):
        return x.isoformat()
    return x


def _dc(cls):
    cls.__pydantic_config__ = _CONFIG
    return record(frozen=True, slots=True)(cls)


@_dc
class FactUse:
    """A fact an answer rests on. A reading (from an interpretive statement, understanding or joint statement)
    says who made it, which instrument it interprets, whose obligations it settles, and quotes the statement."""

    fact: str
    location: str
    grounds: str | None = None
    instrument: str | None = None
    reading: bool = False
    authors: list[str] = field(default_factory=list)
    interprets: str | None = None
    settles: str | None = None  # whose obligations, and where: "USA's obligations under us-philippines, when ..."
    quote: str | None = None


@_dc
class StepOut:
    kind: str  # force | effect | trigger | bound | suspension | condition | where | against | unless | release | restriction
    label: str
    holds: bool | None  # None: turns on an open term
    detail: list[str] = field(default_factory=list)
    facts: list[FactUse] = field(default_factory=list)


@_dc
class Failure:
    kind: str  # not_in_force | not_party | withdrawn | suspended | out_of_area | victim_not_covered | ...
    reason: str


@_dc
class Ground:
    """One clause that bears on the answer: what it says and how it applies."""

    clause: str
    instrument: str
    instrument_title: str
    instrument_kind: str
    binding: str
    article: str
    heading: str
    text: str
    location: str
    action: str
    deontic: str
    status: Literal["applies", "may_apply", "does_not_apply"]
    draft: bool = False
    qualifiers: list[str] = field(default_factory=list)
    steps: list[StepOut] = field(default_factory=list)
    failure: Failure | None = None


@_dc
class Reading:
    label: str
    text: str


@_dc
class Hinge:
    """An open term the answer turns on, with one reading on each side."""

    term: str
    question: str
    readings: list[Reading] = field(default_factory=list)
    when_obliged: str | None = None  # the reading (its label) under which the party is obliged
    when_not_obliged: str | None = None


@_dc
class Related:
    """An instrument that ties the party to the situation without obliging the action asked."""

    instrument: str
    title: str
    category: str | None
    binding: str
    note: str


@_dc
class AskResult:
    scenario: Scenario
    question: Question
    verdict: Literal["obliged", "depends", "not_obliged", "unknown"]
    summary: str
    grounds: list[Ground] = field(default_factory=list)
    hinges: list[Hinge] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    reason_unknown: str | None = None
    drafts: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)  # what the question did not say and the engine assumed
    readings: list[FactUse] = field(default_factory=list)  # the readings the answer rests on


@_dc
class WhoEntry:
    party: str
    name: str
    verdict: Literal["obliged", "depends", "not_obliged", "unknown"]
    summary: str
    instruments: list[str] = field(default_factory=list)
    hinges: list[str] = field(default_factory=list)


@_dc
class CascadeStep:
    """When `party` acts, an attack on its forces could bring in these obligations."""

    party: str
    scenario: Scenario
    obliged: list[WhoEntry] = field(default_factory=list)
    then: list["CascadeStep"] = field(default_factory=list)


@_dc
class WhoResult:
    scenario: Scenario
    action: str
    entries: list[WhoEntry]
    cascade: list[CascadeStep] = field(default_factory=list)
    cascade_depth: int = 0
    drafts: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)


@_dc
class Witness:
    """A scenario that shows something (a conflict, a counterexample, a difference), as data and in words."""

    event: str
    date: dt.date
    text: str
    attacker: str | None = None
    victim: str | None = None
    target: str | None = None
    place: str | None = None
    actor: str | None = None
    alliance: str | None = None
    seller: str | None = None
    readings: list[str] = field(default_factory=list)  # the readings of open terms it needs, if any


@_dc
class ConflictSide:
    clause: str
    instrument: str
    instrument_title: str
    binding: str
    article: str
    text: str
    location: str
    deontic: str
    action: str


@_dc
class Conflict:
    kind: Literal["static", "contingent"]
    summary: str
    witnesses: list[Witness]
    sides: list[ConflictSide]
    verdict: Literal["conflict", "possible_conflict"]
    hinges: list[str] = field(default_factory=list)
    per_witness: int = 1  # witnesses that make one scenario: 2 for both sides of one war (attack and counter-attack)


@_dc
class ConflictsResult:
    party: str
    date: dt.date
    conflicts: list[Conflict]
    scope: str
    unknown: list[str] = field(default_factory=list)


@_dc
class CriterionOut:
    name: str
    title: str
    article: str
    verdict: Literal["met", "not_met", "depends", "unknown"]
    reasons: list[str] = field(default_factory=list)
    hinges: list[str] = field(default_factory=list)


@_dc
class EligibleResult:
    candidate: str
    instrument: str
    date: dt.date
    verdict: Literal["eligible", "not_eligible", "depends", "unknown", "already_party"]
    criteria: list[CriterionOut]
    conflicts: list[Conflict] = field(default_factory=list)
    procedure: list[str] = field(default_factory=list)


@_dc
class PropertyResult:
    instrument: str
    name: str
    statement: str
    location: str
    date: dt.date
    verdict: Literal["holds", "vacuous", "fails", "fails_under_some_readings", "unknown"]
    expectation: str
    condition: str | None = None
    counterexample: Witness | None = None
    readings: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    scenarios: int | None = None  # the well-formed scenarios the proof ranged over (each under every reading)


@_dc
class ProveResult:
    results: list[PropertyResult]
    scope: str


@_dc
class DiffEntry:
    direction: Literal["added", "removed"]  # obliged in the new version only / in the old only
    party: str
    action: str
    event: str
    witnesses: list[Witness]
    readings: list[str] = field(default_factory=list)


@_dc
class DiffResult:
    old: list[str]
    new: list[str]
    date: dt.date
    compared: Literal["instruments", "corpus"]
    entries: list[DiffEntry]
    equivalent: bool
    scope: str
    unknown: list[str] = field(default_factory=list)


# ---- pictures: the network of obligations, a cascade, timelines (obligations/viz/) -------------------------


@_dc
class EdgeGround:
    """A clause an edge rests on."""

    instrument: str
    article: str
    heading: str
    clause: str
    location: str


@_dc
class GraphNode:
    id: str  # the state's code
    name: str
    role: Literal["state", "attacker", "victim"] = "state"
    depth: int | None = None  # in a cascade: the step at which the state is brought in (0: the victim, the attacker)


@_dc
class GraphEdge:
    """`source` is obliged (or may be: `depends`) to take `action` toward `target`; or, for kind `attack`,
    `source` attacks `target` (a cascade's scenarios)."""

    source: str
    target: str
    kind: Literal["obligation", "attack"]
    action: str
    verdict: Literal["obliged", "depends", "not_obliged", "unknown"] | None = None
    summary: str = ""  # the engine's words: the articles, or what the answer turns on
    instruments: list[str] = field(default_factory=list)
    grounds: list[EdgeGround] = field(default_factory=list)
    hinges: list[str] = field(default_factory=list)
    depth: int | None = None  # in a cascade: 1 for the scenario asked, 2 for an attack on the first helpers' forces...
    scenario: str | None = None  # the scenario the edge answers, in words


@_dc
class GraphArticle:
    """An article some edge cites, quoted once."""

    instrument: str
    article: str
    heading: str
    text: str
    location: str


@_dc
class GraphResult:
    kind: Literal["network", "cascade"]
    date: dt.date
    action: str
    event: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    articles: list[GraphArticle]
    scope: str
    attacker: str | None = None
    scenario: Scenario | None = None  # a cascade's scenario
    parties: list[str] = field(default_factory=list)  # the filters asked for (none: every state)
    instruments: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    not_asked: list[str] = field(default_factory=list)  # victims the network could not ask about, and why
    unknown: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)


@_dc
class TimelineBar:
    """One interval on a time line: `end` is exclusive (the day a withdrawal takes effect no longer counts)."""

    group: str  # the instrument (a party's time line) or the state (an instrument's)
    label: str
    kind: Literal["existence", "force", "membership", "designation", "suspension", "authorship"]
    instrument: str
    state: str | None
    start: dt.date | None  # None: no start recorded
    end: dt.date | None  # None: open
    text: str  # the interval in words ("since 1986-09-17")
    toward: str | None = None  # a suspension toward one state only
    ended_by: Literal["withdrawal", "termination", "end"] | None = None
    note: str | None = None
    location: str | None = None


@_dc
class TimelineResult:
    subject: Literal["party", "instrument"]
    name: str
    title: str
    start_year: int
    end_year: int
    bars: list[TimelineBar]
