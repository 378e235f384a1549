"""The surface tree: what a clause file says, with a span on every node.

Options that may appear in any order in the source are stored in typed fields,
so the tree is already canonical: `fmt` prints it back in one fixed order and
`parse(fmt(x))` equals `parse(x)` up to spans (see `semantic`).

The nodes are frozen, slotted records (obligations/record.py), not pydantic models: a corpus of 80,000 files
is millions of nodes, and a pydantic model carries a `__dict__` and a set of the fields given on each (an
`Instrument` came to ~4 KB). Nothing here validates or converts what it is given: the parser
(syntax/parse.py) and the strategies (testing/_corpora.py) build each field with its type.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Union

from obligations.record import field, field_names, record
from obligations.source import Span

Role = str  # "victim" | "attacker" | "actor" | a state code
ROLES = ("victim", "attacker", "actor", "seller")

_NO_DEFAULT = object()


def _node(cls):
    """`@record(frozen=True, slots=True)`, with every field keyword-only: nodes are built by name (as the pydantic
    models they replaced had to be), so a base's fields (`span`) and a field with a default (`kind`) may come
    before fields without one. A list default (`= []`) is a new list for each node, as pydantic made it."""
    for name in cls.__dict__.get("__annotations__", {}):
        default = cls.__dict__.get(name, _NO_DEFAULT)
        if default is _NO_DEFAULT:
            f = field(kw_only=True)
        elif isinstance(default, list):
            if default:
                raise TypeError(f"{cls.__name__}.{name}: a list default must be empty")
            f = field(default_factory=list, kw_only=True)
        else:
            f = field(default=default, kw_only=True)
        setattr(cls, name, f)
    return record(frozen=True, slots=True)(cls)


@_node
class Node:
    span: Span


# ---- conditions ----------------------------------------------------------------


@_node
class And(Node):
    kind: Literal["and"] = "and"
    items: list["Cond"]


@_node
class Or(Node):
    kind: Literal["or"] = "or"
    items: list["Cond"]


@_node
class Not(Node):
    kind: Literal["not"] = "not"
    item: "Cond"


@_node
class Const(Node):
    kind: Literal["const"] = "const"
    value: bool


@_node
class IsParty(Node):
    kind: Literal["is_party"] = "is_party"
    role: Role


@_node
class IsDesignated(Node):
    kind: Literal["is_designated"] = "is_designated"
    role: Role


@_node
class RoleHas(Node):
    """`attacker is communist`: an open-textured term applied to a state."""

    kind: Literal["role_has"] = "role_has"
    role: Role
    term: str


@_node
class RoleEq(Node):
    kind: Literal["role_eq"] = "role_eq"
    role: Role
    other: Role


@_node
class RoleIn(Node):
    kind: Literal["role_in"] = "role_in"
    role: Role
    codes: list[str]


@_node
class Dispute(Node):
    """`actor has-dispute-with party`: a place that one claims and the other holds or claims."""

    kind: Literal["dispute"] = "dispute"
    role: Role
    other: Role | None = None  # None: any party of the instrument


@_node
class PlaceIn(Node):
    kind: Literal["place_in"] = "place_in"
    region: str


@_node
class PlaceEq(Node):
    kind: Literal["place_eq"] = "place_eq"
    place: str


@_node
class PlaceTerritory(Node):
    kind: Literal["place_territory"] = "place_territory"
    role: Role


@_node
class PlaceAdministered(Node):
    kind: Literal["place_administered"] = "place_administered"
    role: Role


@_node
class PlaceClaimed(Node):
    """`place is claimed-by R`: R claims the place (it is disputed and R is a claimant)."""

    kind: Literal["place_claimed"] = "place_claimed"
    role: Role


@_node
class PlaceHas(Node):
    """`place is TERM`: an open-textured term of the place attacked."""

    kind: Literal["place_has"] = "place_has"
    term: str


@_node
class PlaceAttr(Node):
    kind: Literal["place_attr"] = "place_attr"
    attr: Literal["island", "metropolitan"]


@_node
class TargetIn(Node):
    kind: Literal["target_in"] = "target_in"
    targets: list[str]


@_node
class DateCmp(Node):
    kind: Literal["date_cmp"] = "date_cmp"
    op: Literal["<", "<=", ">", ">="]
    date: dt.date


@_node
class AllianceIncludes(Node):
    kind: Literal["alliance_includes"] = "alliance_includes"
    role: Role


@_node
class AllianceMilitary(Node):
    kind: Literal["alliance_military"] = "alliance_military"


@_node
class AllianceHas(Node):
    """`alliance is TERM`: an open-textured term of the instrument being joined."""

    kind: Literal["alliance_has"] = "alliance_has"
    term: str


@_node
class AllianceEq(Node):
    kind: Literal["alliance_eq"] = "alliance_eq"
    instrument: str


@_node
class Ref(Node):
    """A named definition (`define`) or a state-free term."""

    kind: Literal["ref"] = "ref"
    name: str


# A condition is one of these; its class says which (`kind` names it in `semantic`, as it did in the JSON).
Cond = Union[
    And, Or, Not, Const, IsParty, IsDesignated, RoleHas, RoleEq, RoleIn, Dispute, PlaceIn,
    PlaceEq, PlaceTerritory, PlaceAdministered, PlaceClaimed, PlaceHas, PlaceAttr, TargetIn, DateCmp,
    AllianceIncludes, AllianceMilitary, AllianceHas, AllianceEq, Ref,
]


# ---- declarations ----------------------------------------------------------------


@_node
class Holding(Node):
    """A state's hold on a place, or a party's membership, over an interval."""

    state: str
    start: dt.date | None = None
    end: dt.date | None = None


@_node
class CcodeSpan(Node):
    """A Correlates of War code that a state carries over an interval (COW gave the Federal Republic 260 until
    unification, Germany 255 after)."""

    code: int
    start: dt.date | None = None
    end: dt.date | None = None


@_node
class StateDecl(Node):
    code: str
    name: str
    ccode: int | None = None
    ccodes: list[CcodeSpan] = []
    start: dt.date | None = None
    end: dt.date | None = None
    source: str | None = None
    notes: list[str] = []

    def cow_codes_in(self, year: int) -> list[int]:
        """The COW codes the state carries on some day of `year`."""
        out = [] if self.ccode is None else [self.ccode]
        lo, hi = dt.date(year, 1, 1), dt.date(year + 1, 1, 1) if year < 9999 else dt.date.max
        out += [c.code for c in self.ccodes if (c.start is None or c.start < hi) and (c.end is None or c.end > lo)]
        return out

    def all_cow_codes(self) -> list[int]:
        return ([] if self.ccode is None else [self.ccode]) + [c.code for c in self.ccodes]


@_node
class PossiblyIn(Node):
    region: str
    why: str


@_node
class RegionDecl(Node):
    name: str
    title: str
    includes: list[str] = []  # regions or places
    excludes: list[str] = []
    possibly_in: list[PossiblyIn] = []
    source: str | None = None
    notes: list[str] = []


@_node
class PlaceDecl(Node):
    name: str
    title: str
    island: bool = False
    metropolitan: bool = False
    territory_of: list[Holding] = []
    administered_by: list[Holding] = []
    claimed_by: list[str] = []
    regions: list[str] = []
    possibly_in: list[PossiblyIn] = []
    source: str | None = None
    notes: list[str] = []


@_node
class Reading(Node):
    label: str
    text: str


@_node
class TermDecl(Node):
    name: str
    question: str
    arg: Literal["state", "place", "instrument"] | None = None
    readings: list[Reading] = []
    notes: list[str] = []


@_node
class FactDecl(Node):
    negated: bool
    term: str
    args: list[str]
    start: dt.date | None = None
    end: dt.date | None = None
    parties: list[str] = []  # `for CODE...`: whose obligations a reading settles
    when: "Cond | None" = None  # `when COND`: the scenarios a reading speaks of
    grounds: str | None = None


@_node
class DefineDecl(Node):
    name: str
    title: str | None = None
    cond: Cond


@_node
class Restrict(Node):
    article: str
    instrument: str
    party: str | None = None
    mode: Literal["against", "unless", "only-if"]
    cond: Cond
    text: str | None = None


@_node
class Subject(Node):
    mode: Literal["each_party", "each_author", "named"]
    other_than: list[Role] = []
    code: str | None = None


@_node
class Action(Node):
    name: str
    obj: str | None = None  # a role, a state code or a name (a system, a term)
    where: Cond | None = None


@_node
class Qualifier(Node):
    mode: Literal["discretionary", "means-all", "immediately", "constitutional", "against", "unless", "from", "until"]
    text: str | None = None
    cond: Cond | None = None
    date: dt.date | None = None


@_node
class Clause(Node):
    label: str | None = None
    trigger: Literal["armed-attack", "threat", "join", "purchase"] | None = None
    condition: Cond | None = None
    subject: Subject
    deontic: Literal["must", "must not", "may"]
    action: Action
    qualifiers: list[Qualifier] = []


@_node
class Note(Node):
    text: str


@_node
class Criterion(Node):
    name: str
    title: str
    cond: Cond


ArticleItem = Union[Clause, DefineDecl, FactDecl, Restrict, Criterion, Note]


@_node
class Article(Node):
    ref: str
    text: str
    items: list[ArticleItem] = []


@_node
class Parties(Node):
    codes: list[str]
    start: dt.date | None = None
    end: dt.date | None = None
    note: str | None = None


@_node
class Suspension(Node):
    state: str
    toward: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    note: str | None = None


@_node
class Expectation(Node):
    mode: Literal["state", "count", "none", "no_conflicts"]
    who: Role | None = None
    count: int | None = None
    deontic: Literal["must", "must not", "may"] | None = None
    action: Action | None = None


@_node
class Property(Node):
    """A statement over every scenario of one kind, proved (or refuted) by `obligations prove`."""

    name: str
    statement: str
    event: Literal["armed-attack", "threat", "join", "purchase"] | None = None
    cond: Cond | None = None
    dates: list[dt.date] = []
    expect: Expectation | None = None


@_node
class Instrument(Node):
    kind: str
    name: str
    title: str
    short: str | None = None
    draft: bool = False
    binding: Literal["legal", "political", "none"] | None = None
    category: str | None = None
    signed: dt.date | None = None
    in_force: dt.date | None = None
    terminated: dt.date | None = None
    terminated_note: str | None = None
    parent: str | None = None
    authors: list[str] = []
    addressees: list[str] = []
    atop: list[int] = []
    source: str | None = None
    notes: list[str] = []
    parties: list[Parties] = []
    designates: list[Parties] = []
    suspensions: list[Suspension] = []
    facts: list[FactDecl] = []
    defines: list[DefineDecl] = []
    restricts: list[Restrict] = []
    articles: list[Article] = []
    properties: list[Property] = []


Item = Union[StateDecl, RegionDecl, PlaceDecl, TermDecl, FactDecl, DefineDecl, Instrument]


@_node
class Comment:
    line: int
    col: int
    text: str


@_node
class File:
    path: str
    items: list[Item]
    comments: list[Comment] = []


_NOT_MEANING = ("span", "comments", "path")


def semantic(node: Node | File | list) -> object:
    """The node as plain data without spans or comments: what `fmt` must preserve. A node becomes the dict of its
    fields (its `kind` included), a list a list, and any other value stays itself (a date stays a date)."""
    if isinstance(node, list):
        return [semantic(n) for n in node]
    names = field_names(node)
    if names is None:
        return node
    return {k: semantic(getattr(node, k)) for k in names if k not in _NOT_MEANING}


def walk(cond: "Cond"):
    """Every node of a condition, parents first; iterative so depth is no limit."""
    stack = [cond]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, (And, Or)):
            stack.extend(reversed(n.items))
        elif isinstance(n, Not):
            stack.append(n.item)


def clause_conds(cl: "Clause") -> list["Cond"]:
    """The conditions a clause carries: its `if`, its action's `where`, and its qualifiers'."""
    out = []
    if cl.condition is not None:
        out.append(cl.condition)
    if cl.action.where is not None:
        out.append(cl.action.where)
    out += [q.cond for q in cl.qualifiers if q.cond is not None]
    return out
