"""The core model: what a corpus says, with every name resolved once.

Surface trees (syntax/ast.py) keep the file's words and spans; `model/resolve.py` translates them into the
values here, in the manner of Catala's name resolution: a role is a `RoleRef`, a named state a `StateRef`,
a reference to a definition the resolved `Definition` itself, qualifiers typed fields, and each clause
carries one ordered description of when it applies (`steps`, see model/steps.py) that the Z3 encoder, the
reference evaluator and the explanation all read. Nothing here is looked up by name again, and nothing
here needs pydantic or Lark: the cached corpus is plain data.
"""

from __future__ import annotations

import datetime as dt

from obligations.record import field, record
from obligations.source import Span
from obligations.vocab import Deontic, Event, Role, Target

FAR_FUTURE = dt.date(9999, 12, 31)


@record(frozen=True, slots=True)
class Interval:
    start: dt.date | None
    end: dt.date | None  # exclusive: the day a withdrawal takes effect no longer counts

    def contains(self, d: dt.date) -> bool:
        return (self.start is None or self.start <= d) and (self.end is None or d < self.end)

    def overlaps(self, other: "Interval") -> bool:
        lo = max((x for x in (self.start, other.start) if x is not None), default=None)
        hi = min((x for x in (self.end, other.end) if x is not None), default=None)
        return lo is None or hi is None or lo < hi

    def describe(self) -> str:
        if self.start and self.end:
            return f"from {self.start} until {self.end}"
        if self.start:
            return f"since {self.start}"
        if self.end:
            return f"until {self.end}"
        return "at all times"


ALWAYS = Interval(None, None)


# ---- references ------------------------------------------------------------------------------------


@record(frozen=True, slots=True)
class RoleRef:
    """A state named by its role in the scenario (`victim`)."""

    role: Role

    def __str__(self) -> str:
        return self.role.value


@record(frozen=True, slots=True)
class StateRef:
    """A state named by its code (`USA`)."""

    code: str

    def __str__(self) -> str:
        return self.code


Who = RoleRef | StateRef


# ---- conditions ------------------------------------------------------------------------------------
# One class per atom; every node keeps the span of the words it came from. `Defined` points at the resolved
# definition: the encoder memoises it per scenario, so a definition used twice is built once.


@record(frozen=True, slots=True, eq=False)
class Cond:
    span: Span


@record(frozen=True, slots=True, eq=False)
class And(Cond):
    items: tuple[Cond, ...]


@record(frozen=True, slots=True, eq=False)
class Or(Cond):
    items: tuple[Cond, ...]


@record(frozen=True, slots=True, eq=False)
class Not(Cond):
    item: Cond


@record(frozen=True, slots=True, eq=False)
class Const(Cond):
    value: bool


@record(frozen=True, slots=True, eq=False)
class IsParty(Cond):
    """`who is party`: of `instrument`, resolved where the condition is used (an understanding or protocol with
    no parties of its own speaks of its treaty's parties)."""

    who: Who
    instrument: str


@record(frozen=True, slots=True, eq=False)
class IsDesignated(Cond):
    """`who is designated` under `instrument` or an instrument in force that designates for it (`to` it)."""

    who: Who
    instrument: str


@record(frozen=True, slots=True, eq=False)
class StateTerm(Cond):
    """`attacker is communist`: an open-textured term of a state."""

    who: Who
    term: str


@record(frozen=True, slots=True, eq=False)
class SameState(Cond):
    a: Who
    b: Who


@record(frozen=True, slots=True, eq=False)
class StateIn(Cond):
    who: Who
    codes: tuple[str, ...]


@record(frozen=True, slots=True, eq=False)
class Dispute(Cond):
    """`who has-dispute-with other`: a place one claims and the other holds or claims. `other` None: any party."""

    who: Who
    other: Who | None
    instrument: str  # whose parties `party` means


@record(frozen=True, slots=True, eq=False)
class PlaceIn(Cond):
    region: str


@record(frozen=True, slots=True, eq=False)
class PlaceIs(Cond):
    place: str


@record(frozen=True, slots=True, eq=False)
class PlaceTerritory(Cond):
    who: Who


@record(frozen=True, slots=True, eq=False)
class PlaceAdministered(Cond):
    who: Who


@record(frozen=True, slots=True, eq=False)
class PlaceClaimed(Cond):
    who: Who


@record(frozen=True, slots=True, eq=False)
class PlaceTerm(Cond):
    term: str


@record(frozen=True, slots=True, eq=False)
class PlaceAttr(Cond):
    attr: str  # "island" | "metropolitan"


@record(frozen=True, slots=True, eq=False)
class TargetIn(Cond):
    targets: tuple[Target, ...]


@record(frozen=True, slots=True, eq=False)
class DateCmp(Cond):
    op: str  # < <= > >=
    date: dt.date


@record(frozen=True, slots=True, eq=False)
class AllianceIncludes(Cond):
    who: Who


@record(frozen=True, slots=True, eq=False)
class AllianceMilitary(Cond):
    pass


@record(frozen=True, slots=True, eq=False)
class AllianceTerm(Cond):
    term: str


@record(frozen=True, slots=True, eq=False)
class AllianceIs(Cond):
    instrument: str


# The atoms that speak of the scenario's alliance (a joining): `check` allows them only where there is one, the
# encoder decides them over every instrument, and a packed corpus is read whole for them.
ALLIANCE_ATOMS = (AllianceIncludes, AllianceMilitary, AllianceTerm, AllianceIs)


@record(frozen=True, slots=True, eq=False)
class Term0(Cond):
    """A term of no argument (`hostile-act`)."""

    term: str


@record(frozen=True, slots=True, eq=False)
class Defined(Cond):
    define: "Definition"


@record(frozen=True, slots=True, eq=False)
class Definition:
    """A named condition, resolved for the instrument that uses it (a protocol reads its treaty's definitions)."""

    name: str
    title: str | None
    cond: Cond
    instrument: str | None  # where it is declared (None: top level)
    article: str | None  # the article that states it
    span: Span


def walk(c: Cond, into_definitions: bool = False):
    """Every node of a condition, parents first; iterative so depth is no limit. Definitions are entered once."""
    stack = [c]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, (And, Or)):
            stack.extend(reversed(n.items))
        elif isinstance(n, Not):
            stack.append(n.item)
        elif into_definitions and isinstance(n, Defined) and id(n.define) not in seen:
            seen.add(id(n.define))
            stack.append(n.define.cond)


def intersect_domains(domains) -> frozenset | None:
    """The states in every bounded domain (None: unbounded, and so is the result when every one is)."""
    out = None
    for d in domains:
        if d is not None:
            out = d if out is None else out & d
    return out


def victim_domain(cl: "Clause", atom) -> frozenset[str] | None:
    """The states outside which clause `cl` binds no one, whatever the attack: what its conditions require of
    the victim (None when nothing bounds it). `atom(a)` bounds one atom about the victim (`victim is party of
    X`: X's members), or None; the encoder answers for its date, the packed corpus's index for every date.
    Anything unbounded is always sound: it only means more victims are tried."""
    return intersect_domains(_victim_domain(st.cond, atom) for st in cl.steps if isinstance(st, Holds))


def _victim_domain(c: Cond, atom) -> frozenset[str] | None:
    match c:
        case And(items=items):
            return intersect_domains(_victim_domain(x, atom) for x in items)
        case Or(items=items):
            ds = [_victim_domain(x, atom) for x in items]
            return None if any(d is None for d in ds) else frozenset().union(*ds)
        case Const(value=False):
            return frozenset()
        case Defined(define=d):
            return _victim_domain(d.cond, atom)
    who = getattr(c, "who", None)
    if isinstance(who, RoleRef) and who.role == Role.VICTIM:
        if isinstance(c, StateIn):
            return frozenset(c.codes)
        return atom(c)
    return None


def who_of(c: Cond) -> list[Who]:
    """The states an atom speaks of."""
    out = [getattr(c, a) for a in ("who", "a", "b", "other") if getattr(c, a, None) is not None]
    return out


# ---- steps: when a clause applies, in order (model/steps.py builds them) -----------------------------


@record(frozen=True, slots=True, eq=False)
class Step:
    span: Span


@record(frozen=True, slots=True, eq=False)
class InForce(Step):
    instrument: str


@record(frozen=True, slots=True, eq=False)
class InEffect(Step):
    """The clause's own dates (`from`, `until` qualifiers)."""

    start: dt.date | None
    end: dt.date | None


@record(frozen=True, slots=True, eq=False)
class Trigger(Step):
    event: Event


@record(frozen=True, slots=True, eq=False)
class Bound(Step):
    """The party is bound: a party of the instrument (`party`), an author (`author`), or the state named
    (`named`: then also a party, an author or designated)."""

    instrument: str
    how: str  # party | author | named
    code: str | None = None


@record(frozen=True, slots=True, eq=False)
class NotRole(Step):
    """The party is not the state in `role` (`each party other than victim`). `implied`: not written in the
    clause but the engine's rule that no state is obliged to help the victim of its own attack."""

    role: Role
    implied: bool = False


@record(frozen=True, slots=True, eq=False)
class NotSuspended(Step):
    instrument: str


@record(frozen=True, slots=True, eq=False)
class Holds(Step):
    """A condition that must hold: the clause's `if` (kind "condition"), its action's `where`, an `against`."""

    cond: Cond
    kind: str  # condition | where | against
    text: str | None = None  # the quotation an `against` carries


@record(frozen=True, slots=True, eq=False)
class Unless(Step):
    cond: Cond
    text: str | None = None


@record(frozen=True, slots=True, eq=False)
class NotReleased(Step):
    """`constitutional "..."`: the open term release(instrument, party) is false."""

    instrument: str
    text: str


@record(frozen=True, slots=True, eq=False)
class Restricted(Step):
    """A restriction another instrument (an understanding) puts on the clause, while that instrument is in force."""

    source: str
    mode: str  # against | unless | only-if
    cond: Cond
    party: str | None
    text: str | None


# ---- declarations ------------------------------------------------------------------------------------


@record(frozen=True, slots=True)
class CowCode:
    code: int
    interval: Interval


@record(frozen=True, slots=True, eq=False)
class State:
    code: str
    name: str
    exists: Interval
    ccodes: tuple[CowCode, ...]
    source: str | None
    notes: tuple[str, ...]
    span: Span

    @property
    def ccode(self) -> int | None:
        """The state's COW code when it has one throughout (listings show it)."""
        plain = [c.code for c in self.ccodes if c.interval == ALWAYS]
        return plain[0] if plain else (self.ccodes[0].code if self.ccodes else None)

    def cow_codes_in(self, year: int) -> list[int]:
        """The COW codes the state carries on some day of `year`."""
        lo = dt.date(year, 1, 1)
        hi = dt.date(year + 1, 1, 1) if year < 9999 else dt.date.max
        return [c.code for c in self.ccodes
                if (c.interval.start is None or c.interval.start < hi) and (c.interval.end is None or c.interval.end > lo)]

    def all_cow_codes(self) -> list[int]:
        return [c.code for c in self.ccodes]


@record(frozen=True, slots=True)
class PossiblyIn:
    region: str
    why: str
    span: Span


@record(frozen=True, slots=True, eq=False)
class Region:
    name: str
    title: str
    includes: tuple[str, ...]  # regions
    include_places: tuple[str, ...]
    excludes: tuple[str, ...]  # regions
    exclude_places: tuple[str, ...]
    possibly_in: tuple[PossiblyIn, ...]
    source: str | None
    notes: tuple[str, ...]
    span: Span


@record(frozen=True, slots=True)
class Holding:
    """A state's hold on a place over an interval."""

    state: str
    interval: Interval
    span: Span


@record(frozen=True, slots=True, eq=False)
class Place:
    name: str
    title: str
    island: bool
    metropolitan: bool
    territory_of: tuple[Holding, ...]
    administered_by: tuple[Holding, ...]
    claimed_by: tuple[str, ...]
    regions: tuple[str, ...]
    possibly_in: tuple[PossiblyIn, ...]
    source: str | None
    notes: tuple[str, ...]
    span: Span

    def sovereign_on(self, d: dt.date) -> list[str]:
        return [h.state for h in self.territory_of if h.interval.contains(d)]

    def administrators_on(self, d: dt.date) -> list[str]:
        return [h.state for h in self.administered_by if h.interval.contains(d)]


@record(frozen=True, slots=True)
class Reading:
    label: str
    text: str


@record(frozen=True, slots=True, eq=False)
class Term:
    name: str
    question: str
    arg: str | None  # state | place | instrument | None
    readings: tuple[Reading, ...]
    notes: tuple[str, ...]
    span: Span


@record(frozen=True, slots=True, eq=False)
class Fact:
    """A fact settles an open term. One stated in an interpretive statement, understanding or joint statement is
    a reading: it settles the term only for the instrument the statement interprets (`scope`), only for the
    obligations of `parties` (its authors unless it names others), only where `when` holds, and from the
    interpreted treaty's start unless it gives its own date (later practice shows what a treaty meant; it does
    not amend it)."""

    negated: bool
    term: str
    args: tuple[str, ...]
    interval: Interval
    grounds: str | None
    instrument: str | None  # the instrument that states it; None for a fact stated at top level
    span: Span
    reading: bool = False
    scope: str | None = None  # the instrument it interprets; None: every instrument
    parties: tuple[str, ...] | None = None  # whose obligations it settles; None: everyone's
    when: "Cond | None" = None
    authors: tuple[str, ...] = ()
    quote: str | None = None  # the words of the statement that carries it
    article: str | None = None
    assumed: bool = False  # posed by the user for this question (`--assume`): outranks every other fact

    @property
    def key(self) -> str:
        return f"{self.term}({', '.join(self.args)})"

    @property
    def scoped(self) -> bool:
        return self.scope is not None or self.parties is not None or self.when is not None or self.assumed


@record(frozen=True, slots=True)
class Membership:
    state: str
    interval: Interval
    note: str | None
    span: Span
    supposed: bool = False  # a hypothetical accession (`--join`)


@record(frozen=True, slots=True)
class Suspension:
    state: str
    toward: str | None
    interval: Interval
    note: str | None
    span: Span


@record(frozen=True, slots=True)
class Article:
    ref: str
    text: str
    notes: tuple[str, ...]
    span: Span


@record(frozen=True, slots=True, eq=False)
class Criterion:
    name: str
    title: str
    article: str
    cond: Cond
    span: Span


@record(frozen=True, slots=True, eq=False)
class Expectation:
    mode: str  # state | count | none | no_conflicts
    span: Span
    who: Who | None = None
    count: int | None = None
    deontic: Deontic | None = None
    action: str | None = None
    obj: str | None = None
    text: str = ""  # as written, for answers


@record(frozen=True, slots=True, eq=False)
class Property:
    name: str
    statement: str
    event: Event | None
    cond: Cond | None
    cond_text: str | None
    dates: tuple[dt.date, ...]
    expect: Expectation | None
    span: Span


@record(slots=True, eq=False)
class Instrument:
    name: str
    kind: str
    title: str
    short: str | None
    draft: bool
    binding: str  # legal | political | none (a draft: none unless stated)
    category: str | None
    signed: dt.date | None
    entry_into_force: dt.date | None
    terminated: dt.date | None
    terminated_note: str | None
    parent: str | None
    authors: tuple[str, ...]
    addressees: tuple[str, ...]
    atop: tuple[int, ...]
    source: str | None
    notes: tuple[str, ...]
    span: Span
    memberships: tuple[Membership, ...] = ()
    designations: tuple[Membership, ...] = ()
    suspensions: tuple[Suspension, ...] = ()
    articles: tuple[Article, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    properties: tuple[Property, ...] = ()
    definitions: dict[str, Definition] = field(default_factory=dict)  # declared in this instrument

    @property
    def force(self) -> Interval:
        """When the instrument is in force. A draft is taken as in force at all times: asking about a draft asks
        what it would oblige."""
        if self.draft:
            return ALWAYS
        start = self.entry_into_force
        if start is None and self.kind in ("treaty", "protocol"):
            return Interval(FAR_FUTURE, FAR_FUTURE)  # signed, perhaps, but never entered into force
        if start is None:
            # A pledge, statute or statement takes effect when made; an arrangement with no date of its own
            # binds its members over their membership spells.
            start = self.signed
        return Interval(start, self.terminated)

    def members_on(self, d: dt.date) -> list[str]:
        return sorted({m.state for m in self.memberships if m.interval.contains(d)})

    def designated_on(self, d: dt.date) -> list[str]:
        return sorted({m.state for m in self.designations if m.interval.contains(d)})

    def bound_states(self) -> list[str]:
        """Everyone this instrument can bind: parties, and the authors of a unilateral act."""
        return sorted({m.state for m in self.memberships} | set(self.authors))


@record(frozen=True, slots=True, eq=False)
class Qualifier:
    """A qualifier as written, for answers: `means discretionary "..."`, `constitutional "..."`."""

    kind: str
    text: str


@record(frozen=True, slots=True, eq=False)
class Subject:
    kind: str  # each_party | each_author | named
    excluded: tuple[Role, ...] = ()
    code: str | None = None
    span: Span | None = None


@record(frozen=True, slots=True, eq=False)
class Clause:
    id: str
    instrument: str
    article: str
    article_text: str
    label: str | None
    index: int  # position within the article, from 1
    span: Span
    trigger: Event | None
    subject: Subject
    deontic: Deontic
    action: str
    obj: Who | str | None  # whom the action is toward (a state or role), or a name (a system); None: unstated
    steps: tuple[Step, ...]
    qualifiers: tuple[Qualifier, ...] = ()
    where: Cond | None = None
    action_span: Span | None = None

    @property
    def heading(self) -> str:
        label = f" › {self.label}" if self.label else ""
        return f"Article {self.article}{label}"

    @property
    def action_text(self) -> str:
        return self.action + (f" {self.obj}" if self.obj is not None else "")

    def restrictions(self) -> list[Restricted]:
        return [s for s in self.steps if isinstance(s, Restricted)]


def holders(corpus: "Corpus", place: str, d: dt.date) -> set[str]:
    """The states whose territory can be attacked at `place` on `d`: its sovereign, its administrator, its
    claimants. (A region is nobody's territory: only forces, vessels and aircraft are attacked there.) Here, not
    in smt/search.py, so that `ask` can check a scenario without importing Z3."""
    p = corpus.places.get(place)
    if p is None:
        return set()
    return set(p.sovereign_on(d)) | set(p.administrators_on(d)) | set(p.claimed_by)


@record(eq=False)
class Corpus:
    states: dict[str, State] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)  # top level, as declared
    instruments: dict[str, Instrument] = field(default_factory=dict)
    clauses: list[Clause] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def __post_init__(self):
        self._by_instrument: dict[str, list[Clause]] | None = None
        self._naming: dict[str, list[Clause]] | None = None
        self._naming_one: dict[str, list[Clause]] = {}  # clauses_naming, state by state, before the index
        self._children: dict[str, list[str]] | None = None

    def clauses_of(self, instrument: str) -> list[Clause]:
        if self._by_instrument is None:
            idx: dict[str, list[Clause]] = {}
            for cl in self.clauses:
                idx.setdefault(cl.instrument, []).append(cl)
            self._by_instrument = idx
        return self._by_instrument.get(instrument, [])

    def clauses_naming(self, state: str) -> list[Clause]:
        """The clauses of every instrument that names `state` as a party, an author, or a designee (its own or
        an instrument's `to` it), on any date, in the corpus's order: the only clauses that can bind it. The first
        few states asked are looked up alone (a `conflicts` from the shell asks one: indexing every state cost
        more than the rest of its query on large corpora); then one pass over the instruments indexes them all."""
        if self._naming is None:
            got = self._naming_one.get(state)
            if got is None:
                if len(self._naming_one) < 8:
                    got = self._naming_one[state] = self._naming_of(state)
                else:
                    self._naming = self._naming_all()
        return got if self._naming is None else self._naming.get(state, [])

    def _naming_of(self, state: str) -> list[Clause]:
        names: set[str] = set()
        for i in self.instruments.values():
            for m in i.memberships:
                if m.state == state:
                    names.add(i.name)
                    break
            if state in i.authors:
                names.add(i.name)
            for m in i.designations:
                if m.state == state:
                    names.add(i.name)
                    if i.parent:
                        names.add(i.parent)  # a protocol's designees are designated for its treaty
                    break
        return [cl for cl in self.clauses if cl.instrument in names]

    def _naming_all(self) -> dict[str, list[Clause]]:
        names: dict[str, set[str]] = {}
        for i in self.instruments.values():
            for x in {m.state for m in i.memberships} | set(i.authors) | {m.state for m in i.designations}:
                names.setdefault(x, set()).add(i.name)
            if i.parent and i.designations:  # a protocol's designees are designated for its treaty
                for m in i.designations:
                    names.setdefault(m.state, set()).add(i.parent)
        by_inst: dict[str, list[str]] = {}
        for x, ns in names.items():
            for n in ns:
                by_inst.setdefault(n, []).append(x)
        idx: dict[str, list[Clause]] = {}
        for cl in self.clauses:  # in the corpus's order
            for x in by_inst.get(cl.instrument, ()):
                idx.setdefault(x, []).append(cl)
        return idx

    def children(self, instrument: str) -> list[str]:
        """Instruments that declare `to instrument` (protocols, understandings, statements)."""
        if self._children is None:
            idx: dict[str, list[str]] = {}
            for i in self.instruments.values():
                if i.parent:
                    idx.setdefault(i.parent, []).append(i.name)
            self._children = idx
        return self._children.get(instrument, [])

    def state_exists(self, code: str, d: dt.date) -> bool:
        s = self.states.get(code)
        return s is not None and s.exists.contains(d)

    def is_place(self, name: str) -> bool:
        return name in self.places

    def area(self, name: str) -> Place | Region | None:
        """A place, or a region (a sea, an ocean) where forces, vessels or aircraft can be attacked."""
        return self.places.get(name) or self.regions.get(name)

    def copy(self) -> "Corpus":
        """A shallow copy with its own tables, for `--without` and `--join` (indexes rebuilt on use)."""
        return Corpus(states=self.states, regions=self.regions, places=self.places, terms=self.terms,
                      definitions=self.definitions, instruments=dict(self.instruments), clauses=list(self.clauses),
                      facts=list(self.facts))

    def __getstate__(self):
        return {k: getattr(self, k) for k in ("states", "regions", "places", "terms", "definitions", "instruments",
                                              "clauses", "facts")}

    def __setstate__(self, st):
        for k, v in st.items():
            setattr(self, k, v)
        self.__post_init__()
