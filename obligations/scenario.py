"""Scenarios and questions: what a query asks about, as typed values.

Plain frozen dataclasses: a query from the shell builds them without pydantic. Their fields are checked
when they are made (types and closed word lists); whether the names exist in a corpus is the application
layer's check (`obligations.app`), which knows the corpus.
"""

from __future__ import annotations

import datetime as dt

from obligations.record import field, field_names, record, replace
from obligations.vocab import ACTIONS, DEONTICS, EVENTS, TARGETS, ENTAILS, Deontic, Event, Role, Target, entails  # noqa: F401

_ROLES = frozenset(r.value for r in Role)


def _check(cls: str, name: str, v, allowed=None, kind: type | tuple = str, optional: bool = True):
    if v is None and optional:
        return
    if not isinstance(v, kind):
        raise TypeError(f"{cls}({name}={v!r}): expected {getattr(kind, '__name__', kind)}, got {type(v).__name__}")
    if allowed is not None and v not in allowed:
        raise ValueError(f"{cls}({name}={v!r}): one of {', '.join(allowed)}")


@record(frozen=True, slots=True)
class Scenario:
    """One event on one date. Fields that the event does not use stay None."""

    event: Event = Event.ARMED_ATTACK
    date: dt.date = field(kw_only=True)
    attacker: str | None = None
    victim: str | None = None
    target: Target | None = None
    place: str | None = None  # a place, or a region (a sea, an ocean) where forces, vessels or aircraft are
    actor: str | None = None
    alliance: str | None = None
    seller: str | None = None

    __pydantic_config__ = {"extra": "forbid"}

    def __post_init__(self):
        if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            raise TypeError(f"Scenario(date={self.date!r}): expected a datetime.date")
        _check("Scenario", "event", self.event, EVENTS, optional=False)
        object.__setattr__(self, "event", Event(self.event))
        _check("Scenario", "target", self.target, TARGETS)
        if self.target is not None:
            object.__setattr__(self, "target", Target(self.target))
        for f in ("attacker", "victim", "place", "actor", "alliance", "seller"):
            _check("Scenario", f, getattr(self, f))

    def role(self, name: str) -> str | None:
        """The state a role names in this scenario; a state code stands for itself."""
        return getattr(self, name) if name in _ROLES else name

    def replace(self, **kw) -> "Scenario":
        return replace(self, **kw)

    def to_json(self) -> dict:
        return {n: _plain(getattr(self, n)) for n in field_names(self)}


@record(frozen=True, slots=True)
class Question:
    """Is `party` bound (`deontic`) to do `action` (toward `obj`)?"""

    party: str
    action: str
    deontic: Deontic = Deontic.MUST
    obj: str | None = None

    __pydantic_config__ = {"extra": "forbid"}

    def __post_init__(self):
        _check("Question", "party", self.party, optional=False)
        _check("Question", "action", self.action, optional=False)
        d = self.deontic.replace("-", " ") if isinstance(self.deontic, str) else self.deontic
        _check("Question", "deontic", d, DEONTICS, optional=False)
        object.__setattr__(self, "deontic", Deontic(d))
        _check("Question", "obj", self.obj)

    def to_json(self) -> dict:
        return {n: _plain(getattr(self, n)) for n in field_names(self)}


def _plain(v):
    if isinstance(v, dt.date):
        return v.isoformat()
    return v
