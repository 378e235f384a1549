"""Scenarios and questions: what a query asks about, as typed values."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

Event = Literal["armed-attack", "threat", "join", "purchase"]
Target = Literal["territory", "armed-forces", "public-vessels", "aircraft"]
Deontic = Literal["must", "must not", "may"]

TARGETS: tuple[str, ...] = ("territory", "armed-forces", "public-vessels", "aircraft")
EVENTS: tuple[str, ...] = ("armed-attack", "threat", "join", "purchase")

ACTIONS: tuple[str, ...] = (
    "act", "assist", "meet-common-danger", "use-armed-force", "consult", "report-to-security-council",
    "supply-defense-articles", "maintain-capacity", "join-alliance", "host", "impose-sanctions",
    "settle-peacefully", "refrain-from-force", "participate", "inform-legislature", "determine-response",
    "remain-neutral", "join-offensive",
)

# What an obligation to do the key also obliges. `meet-common-danger` ("act to
# meet the common danger") is read as assisting the party attacked, which is
# how the Pacific treaties' parties and ATOP read it; it does not entail armed force.
ENTAILS: dict[str, frozenset[str]] = {
    "use-armed-force": frozenset({"use-armed-force", "assist", "act"}),
    "assist": frozenset({"assist", "act"}),
    "meet-common-danger": frozenset({"meet-common-danger", "assist", "act"}),
}


def entails(clause_action: str, asked: str) -> bool:
    return asked in ENTAILS.get(clause_action, frozenset({clause_action}))


class Scenario(BaseModel):
    """One event on one date. Fields that the event does not use stay None."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    event: Event = "armed-attack"
    date: dt.date
    attacker: str | None = None
    victim: str | None = None
    target: Target | None = None
    place: str | None = None
    actor: str | None = None
    alliance: str | None = None
    seller: str | None = None

    def role(self, name: str) -> str | None:
        return getattr(self, name) if name in ("victim", "attacker", "actor", "seller") else name

    def describe(self) -> str:
        if self.event in ("armed-attack", "threat"):
            what = "an armed attack" if self.event == "armed-attack" else "a threat"
            by = f" by {self.attacker}" if self.attacker else ""
            on = f" on {self.victim}" if self.victim else ""
            tgt = f" ({self.target.replace('-', ' ')})" if self.target else ""
            at = f" at {self.place}" if self.place else ""
            return f"{what}{by}{on}{tgt}{at} on {self.date}"
        if self.event == "join":
            return f"{self.actor} joins {self.alliance} on {self.date}"
        return f"{self.actor} buys major defense equipment from {self.seller} on {self.date}"


class Question(BaseModel):
    """Is `party` bound (`deontic`) to do `action` (toward `obj`)?"""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    party: str
    action: str
    deontic: Deontic = "must"
    obj: str | None = None
