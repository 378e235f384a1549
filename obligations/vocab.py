"""The language's closed word lists, in one place. The grammar (grammar/treaty.lark) spells the same lists;
tests/test_vocab.py checks that they agree."""

from __future__ import annotations

from enum import StrEnum


class Event(StrEnum):
    ARMED_ATTACK = "armed-attack"
    THREAT = "threat"
    JOIN = "join"
    PURCHASE = "purchase"

    @property
    def is_attack(self) -> bool:
        """An armed attack or a threat: the events with an attacker, a victim, a target and a place."""
        return self in (Event.ARMED_ATTACK, Event.THREAT)


class Target(StrEnum):
    TERRITORY = "territory"
    ARMED_FORCES = "armed-forces"
    PUBLIC_VESSELS = "public-vessels"
    AIRCRAFT = "aircraft"


class Role(StrEnum):
    """The states a scenario names; a condition refers to them by these words."""

    VICTIM = "victim"
    ATTACKER = "attacker"
    ACTOR = "actor"
    SELLER = "seller"

    def has_value_in(self, event: "Event | str | None") -> bool:
        """Whether the role names a state in a scenario of `event`."""
        if event is None:
            return False
        e = Event(event)
        if self in (Role.VICTIM, Role.ATTACKER):
            return e.is_attack
        if self is Role.ACTOR:
            return e in (Event.JOIN, Event.PURCHASE)
        return e is Event.PURCHASE


class Deontic(StrEnum):
    MUST = "must"
    MUST_NOT = "must not"
    MAY = "may"


EVENTS: tuple[str, ...] = tuple(e.value for e in Event)
TARGETS: tuple[str, ...] = tuple(t.value for t in Target)
ROLES: tuple[str, ...] = tuple(r.value for r in Role)
DEONTICS: tuple[str, ...] = tuple(d.value for d in Deontic)

ACTIONS: tuple[str, ...] = (
    "act", "assist", "meet-common-danger", "use-armed-force", "consult", "report-to-security-council",
    "supply-defense-articles", "maintain-capacity", "join-alliance", "host", "impose-sanctions",
    "settle-peacefully", "refrain-from-force", "participate", "inform-legislature", "determine-response",
    "remain-neutral", "join-offensive",
)

# What an obligation to do the key also obliges. `meet-common-danger` ("act to meet the common danger") is read
# as assisting the party attacked, which is how the Pacific treaties' parties and ATOP read it; it does not
# entail armed force.
ENTAILS: dict[str, frozenset[str]] = {
    "use-armed-force": frozenset({"use-armed-force", "assist", "act"}),
    "assist": frozenset({"assist", "act"}),
    "meet-common-danger": frozenset({"meet-common-danger", "assist", "act"}),
}

# Actions owed to the victim of an attack against its attacker: a state is never obliged to do them for the
# victim of its own attack, whatever a clause's subject says (see model/resolve.py).
HELP_ACTIONS: frozenset[str] = frozenset({"assist", "meet-common-danger", "use-armed-force"})
# Qualifiers that are words of the article kept for answers (how and when the duty is done, not whether it arises).
TEXT_QUALIFIERS: frozenset[str] = frozenset({"discretionary", "means-all", "immediately", "constitutional"})

INSTRUMENT_KINDS: tuple[str, ...] = ("treaty", "protocol", "statute", "pledge", "joint-statement",
                                     "interpretive-statement", "understanding", "arrangement", "designation")
# Kinds whose facts are readings of the treaty they belong to (`to NAME`): scoped to it and to their authors.
READING_KINDS: frozenset[str] = frozenset({"interpretive-statement", "understanding", "joint-statement"})
CATEGORIES: tuple[str, ...] = ("alliance", "security", "cooperation", "economic", "partnership", "neutrality",
                               "non-aggression", "statute", "pledge", "interpretation")
BINDINGS: tuple[str, ...] = ("legal", "political", "none")


def entails(clause_action: str, asked: str) -> bool:
    return asked in ENTAILS.get(clause_action, frozenset({clause_action}))
