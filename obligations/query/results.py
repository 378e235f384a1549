"""Typed results of every query; their JSON Schema is what `obligations schema` prints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from obligations.scenario import Question, Scenario

Verdict = Literal["obliged", "depends", "not_obliged", "unknown"]


class _M(BaseModel):
    """A result the engine builds. Its values are typed where they are made, so building it does not validate
    them: validating would build every model's schema, which costs a query from the shell some 40 ms (more
    than the rest of its work). Results read back from JSON go through `model_validate`, which validates;
    the CLI's golden JSON tests check the output against the published schema."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def __init__(self, /, **data):
        unknown = set(data) - set(type(self).model_fields)
        if unknown:  # the one check that cannot wait for a test: a misspelt field would vanish silently
            raise TypeError(f"{type(self).__name__}: unknown field(s) {', '.join(sorted(unknown))}")
        built = type(self).model_construct(**data)
        for k in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"):
            object.__setattr__(self, k, getattr(built, k))


class FactUse(_M):
    fact: str
    grounds: str | None = None
    instrument: str | None = None
    location: str


class StepOut(_M):
    kind: str
    label: str
    holds: bool | None  # None: turns on an open term
    detail: list[str] = []
    facts: list[FactUse] = []


class Failure(_M):
    kind: str  # not_in_force | not_party | withdrawn | suspended | out_of_area | victim_not_covered | target_not_covered | adversary_restriction | exception | ...
    reason: str


class Ground(_M):
    """One clause that bears on the answer: what it says and how it applies."""

    clause: str
    instrument: str
    instrument_title: str
    instrument_kind: str
    binding: str
    draft: bool = False
    article: str
    heading: str
    text: str
    location: str
    action: str
    deontic: str
    status: Literal["applies", "may_apply", "does_not_apply"]
    qualifiers: list[str] = []
    steps: list[StepOut] = []
    failure: Failure | None = None


class Reading(_M):
    label: str
    text: str


class Hinge(_M):
    term: str
    question: str
    readings: list[Reading] = []
    when_obliged: bool | None = None
    when_not_obliged: bool | None = None


class Related(_M):
    """An instrument that ties the party to the situation without obliging the action asked."""

    instrument: str
    title: str
    category: str | None
    binding: str
    note: str


class AskResult(_M):
    scenario: Scenario
    question: Question
    verdict: Verdict
    summary: str
    grounds: list[Ground] = []
    hinges: list[Hinge] = []
    related: list[Related] = []
    reason_unknown: str | None = None
    drafts: list[str] = []


class WhoEntry(_M):
    party: str
    name: str
    verdict: Verdict
    summary: str
    instruments: list[str] = []
    hinges: list[str] = []


class CascadeStep(_M):
    """When `party` acts, an attack on its forces could bring in these obligations."""

    party: str
    scenario: Scenario
    obliged: list[WhoEntry] = []
    then: list["CascadeStep"] = []


class WhoResult(_M):
    scenario: Scenario
    action: str
    entries: list[WhoEntry]
    cascade: list[CascadeStep] = []
    cascade_depth: int = 0
    drafts: list[str] = []


class ConflictSide(_M):
    clause: str
    instrument: str
    instrument_title: str
    binding: str
    article: str
    text: str
    location: str
    deontic: str
    action: str


class Conflict(_M):
    kind: Literal["static", "contingent"]
    summary: str
    witness: str
    sides: list[ConflictSide]
    verdict: Literal["conflict", "possible_conflict"]
    hinges: list[str] = []


class ConflictsResult(_M):
    party: str
    date: str
    conflicts: list[Conflict]
    scope: str
    unknown: list[str] = []


class CriterionOut(_M):
    name: str
    title: str
    article: str
    verdict: Literal["met", "not_met", "depends", "unknown"]
    reasons: list[str] = []
    hinges: list[str] = []


class EligibleResult(_M):
    candidate: str
    instrument: str
    date: str
    verdict: Literal["eligible", "not_eligible", "depends", "unknown"]
    criteria: list[CriterionOut]
    conflicts: list[Conflict] = []
    procedure: list[str] = []


