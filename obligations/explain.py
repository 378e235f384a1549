"""The engine's words: grounds, hinges, summaries, scenarios and witnesses, in one module.

Grounds replay the reference evaluator step by step over a clause's steps (model/steps.py) under an
interpretation taken from a Z3 model, so the chain shown is one the solver's verdict rests on. Every step
type has its label and its failure here, every atom its sentence; nothing is found by matching rendered
text, and no internal value (None, True/False, an empty term) reaches an answer. `render.py` only lays out
what this module says.
"""

from __future__ import annotations

import datetime as dt

from obligations.model import core as C
from obligations.model.core import Clause, Corpus, Fact, Instrument
from obligations.reference import Evaluator, NeedTerm
from obligations.results import Failure, FactUse, Ground, Hinge, Reading, StepOut, Witness
from obligations.scenario import Question, Scenario
from obligations.vocab import Event, Role

# ---- conditions as text (the clause language's own spelling) ---------------------------------------


def cond_text(c: C.Cond, prec: int = 0) -> str:
    if isinstance(c, C.Or):
        s = " or ".join(cond_text(x, 1) for x in c.items)
        return f"({s})" if prec > 1 else s
    if isinstance(c, C.And):
        s = " and ".join(cond_text(x, 2) for x in c.items)
        return f"({s})" if prec > 2 else s
    if isinstance(c, C.Not):
        return "not " + cond_text(c.item, 3)
    return _atom_src(c)


def _atom_src(c: C.Cond) -> str:
    match c:
        case C.Const(value=v):
            return "true" if v else "false"
        case C.Defined(define=d):
            return d.name
        case C.Term0(term=t):
            return t
        case C.IsParty(who=w):
            return f"{w} is party"
        case C.IsDesignated(who=w):
            return f"{w} is designated"
        case C.StateTerm(who=w, term=t):
            return f"{w} is {t}"
        case C.SameState(a=a, b=b):
            return f"{a} = {b}"
        case C.StateIn(who=w, codes=cs):
            return f"{w} in {{{' '.join(cs)}}}"
        case C.Dispute(who=w, other=o):
            return f"{w} has-dispute-with {o if o is not None else 'party'}"
        case C.PlaceIn(region=g):
            return f"place in {g}"
        case C.PlaceIs(place=p):
            return f"place = {p}"
        case C.PlaceTerritory(who=w):
            return f"place is territory-of {w}"
        case C.PlaceAdministered(who=w):
            return f"place is administered-by {w}"
        case C.PlaceClaimed(who=w):
            return f"place is claimed-by {w}"
        case C.PlaceTerm(term=t):
            return f"place is {t}"
        case C.PlaceAttr(attr=a):
            return f"place is {a}"
        case C.TargetIn(targets=ts):
            return f"target is {ts[0]}" if len(ts) == 1 else f"target in {{{', '.join(ts)}}}"
        case C.DateCmp(op=op, date=d):
            return f"date {op} {d.isoformat()}"
        case C.AllianceIncludes(who=w):
            return f"alliance includes {w}"
        case C.AllianceMilitary():
            return "alliance is military"
        case C.AllianceTerm(term=t):
            return f"alliance is {t}"
        case C.AllianceIs(instrument=i):
            return f"alliance = {i}"
    raise AssertionError(f"no text for {type(c).__name__}")


# ---- scenarios and witnesses ----------------------------------------------------------------------------


def describe_scenario(s: Scenario) -> str:
    if s.event.is_attack:
        what = "an armed attack" if s.event is Event.ARMED_ATTACK else "a threat"
        by = f" by {s.attacker}" if s.attacker else ""
        on = f" on {s.victim}" if s.victim else ""
        tgt = f" ({s.target.replace('-', ' ')})" if s.target else ""
        at = f" at {s.place}" if s.place else ""
        return f"{what}{by}{on}{tgt}{at} on {s.date}"
    if s.event is Event.JOIN:
        return f"{s.actor} joins {s.alliance} on {s.date}"
    return f"{s.actor} buys major defense equipment from {s.seller} on {s.date}"


def witness_text(event: str, date: dt.date, v: dict) -> str:
    """A witness scenario in words: "CHN attacks JPN's territory at senkaku-islands on 2025-06-01"."""
    e = Event(event)
    if e.is_attack:
        verb = "attacks" if e is Event.ARMED_ATTACK else "threatens"
        target = str(v.get("target") or "territory").replace("-", " ")
        where = f" at {v['place']}" if v.get("place") else ""
        return f"{v.get('attacker')} {verb} {v.get('victim')}'s {target}{where} on {date}"
    if e is Event.JOIN:
        return f"{v.get('actor')} joins {v.get('alliance')} on {date}"
    return f"{v.get('actor')} buys major defense equipment from {v.get('seller')} on {date}"


_EVENT_FIELDS = {Event.ARMED_ATTACK: ("attacker", "victim", "target", "place"),
                 Event.THREAT: ("attacker", "victim", "target", "place"),
                 Event.JOIN: ("actor", "alliance"), Event.PURCHASE: ("actor", "seller")}


def witness(event: str, date: dt.date, values: dict, readings: list[str] | None = None) -> Witness:
    """A witness scenario: the fields its event has (a joining has no attacker), and the sentence."""
    keep = {k: values.get(k) for k in _EVENT_FIELDS[Event(event)]}
    text = witness_text(event, date, keep) + (f" (under the reading {'; '.join(readings)})" if readings else "")
    return Witness(event=str(event), date=date, text=text, readings=list(readings or []), **keep)


# ---- atoms, conditions, steps ---------------------------------------------------------------------------


def fact_use(f: Fact) -> FactUse:
    neg = "not " if f.negated else ""
    settles = None
    if f.assumed:
        settles = "every party's obligations, for this question only (posed with --assume)"
    elif f.reading or f.scoped:
        whose = ("the obligations of " + ", ".join(f.parties)) if f.parties else "every party's obligations"
        under = f" under {f.scope}" if f.scope else ""
        when = f", when {cond_text(f.when)}" if f.when is not None else ""
        settles = f"{whose}{under}{when}"
    return FactUse(fact=f"{neg}{f.key}", grounds=f.grounds, instrument=f.instrument, location=str(f.span),
                   reading=f.reading, authors=list(f.authors) if f.reading else [], interprets=f.scope,
                   settles=settles, quote=f.quote if f.reading else None)


def _safe(fn) -> bool | None:
    try:
        return fn()
    except NeedTerm:
        return None


def _who(ev: Evaluator, w: C.Who) -> str:
    """A state as text: `victim JPN`, or `JPN` when the condition names the state itself; never `None`."""
    if isinstance(w, C.StateRef):
        return w.code
    v = ev.value(w)
    return f"{w.role} {v}" if v is not None else f"the {w.role} (none in this scenario)"


def _place(ev: Evaluator) -> str:
    return ev.s.place or "the place of the event (none given)"


def atom_text(ev: Evaluator, c: C.Cond, value: bool | None) -> str:
    """What an atom says about this scenario, true or false."""
    s = ev.s
    corpus = ev.c
    is_ = {True: "is", False: "is not", None: "may or may not be"}[value]
    match c:
        case C.IsParty(who=w, instrument=i):
            st = ev.value(w)
            inst = corpus.instruments.get(i)
            spells = [m.interval.describe() + (" — supposed, --join" if m.supposed else "")
                      for m in (inst.memberships if inst else ()) if m.state == st]
            extra = f" (party {'; '.join(spells)})" if spells else ""
            return f"{_who(ev, w)} {is_} a party of {i} on {ev.d}{extra}"
        case C.IsDesignated(who=w, instrument=i):
            return f"{_who(ev, w)} {is_} covered by designation under {i} on {ev.d}"
        case C.StateTerm(who=w, term=t):
            return f"{_who(ev, w)} {is_} {t}"
        case C.PlaceIn(region=g):
            reg = corpus.regions.get(g)
            return f"{_place(ev)} {is_} in {g}" + (f" ({reg.title})" if reg else "")
        case C.PlaceIs(place=p):
            return f"the place ({_place(ev)}) {is_} {p}"
        case C.PlaceTerritory(who=w):
            return f"{_place(ev)} {is_} territory of {_who(ev, w)}"
        case C.PlaceAdministered(who=w):
            p = corpus.places.get(s.place or "")
            admins = [f"{h.state} {h.interval.describe() if h.interval != C.ALWAYS else ''}".strip()
                      for h in (p.administered_by if p else ())]
            extra = f" (administered by {', '.join(admins)})" if admins else ""
            return f"{_place(ev)} {is_} administered by {_who(ev, w)} on {ev.d}{extra}"
        case C.PlaceClaimed(who=w):
            p = corpus.places.get(s.place or "")
            claims = f" (claimed by {', '.join(p.claimed_by)})" if p and p.claimed_by else ""
            return f"{_place(ev)} {is_} claimed by {_who(ev, w)}{claims}"
        case C.PlaceTerm(term=t):
            return f"{_place(ev)} {is_} {t}"
        case C.PlaceAttr(attr=a):
            return f"{_place(ev)} {is_} {'an island' if a == 'island' else 'metropolitan territory'}"
        case C.TargetIn(targets=ts):
            tgt = s.target.replace("-", " ") if s.target else "none"
            return f"the target ({tgt}) {is_} {' or '.join(t.replace('-', ' ') for t in ts)}"
        case C.SameState(a=a, b=b):
            return f"{_who(ev, a)} {is_} {ev.value(b) or b}"
        case C.StateIn(who=w, codes=cs):
            return f"{_who(ev, w)} {is_} one of {' '.join(cs)}"
        case C.Dispute(who=w, other=o, instrument=i):
            a = ev.value(w)
            inst = corpus.instruments.get(i)
            others = [ev.value(o)] if o is not None else (inst.members_on(ev.d) if inst else [])
            found = [(b, pl) for b in others for pl in ev.disputed_places(a, b)]
            if value and found:
                return f"{a} has a territorial dispute with " + "; ".join(f"{b} over {pl}" for b, pl in found)
            whom = (ev.value(o) or str(o)) if o is not None else f"any party of {i}"
            return f"{a} {'has' if value else 'has no' if value is False else 'may have'} territorial dispute with {whom}"
        case C.DateCmp(op=op, date=d):
            return f"the date {ev.d} {is_} {op} {d}"
        case C.AllianceIncludes(who=w):
            verb = "includes" if value else "does not include" if value is False else "may include"
            return f"{s.alliance} {verb} {ev.value(w)}"
        case C.AllianceMilitary():
            return f"{s.alliance} {is_} a military alliance"
        case C.AllianceTerm(term=t):
            return f"{s.alliance} {is_} {t}"
        case C.AllianceIs(instrument=i):
            return f"the alliance {is_} {i}"
        case C.Const(value=v):
            return "always" if v else "never"
        case C.Term0(term=t):
            return f"{t} {'holds' if value else 'does not hold' if value is False else 'is open'}"
    return cond_text(c) + ("" if value else " does not hold")


class _Why:
    """Reasons, in words, for the values a condition takes; each definition is explained once per answer."""

    def __init__(self, ev: Evaluator, limit: int = 8):
        self.ev = ev
        self.limit = limit
        self.shown: set[int] = set()

    def val(self, c: C.Cond) -> bool | None:
        return _safe(lambda: self.ev.cond(c))

    def __call__(self, c: C.Cond) -> list[str]:
        v = self.val(c)
        out: list[str] = []
        match c:
            case C.And(items=items):
                if v is not False:  # true, or open: every conjunct, the open ones saying so
                    for x in items:
                        out += self(x)
                else:
                    for x in items:
                        if self.val(x) is not True:
                            out += self(x)
                            break
            case C.Or(items=items):
                if v:
                    for x in items:
                        if self.val(x):
                            out += self(x)
                            break
                elif v is None:  # open: the disjuncts that might hold
                    for x in items:
                        if self.val(x) is None:
                            out += self(x)
                else:
                    for x in items:
                        out += self(x)
            case C.Not(item=x):
                out += self(x)
            case C.Defined(define=d):
                title = f" ({d.title})" if d.title else ""
                where = f" — {d.instrument} Article {d.article}" if d.article else ""
                state = "holds" if v else "does not hold" if v is False else "is open"
                if id(d) in self.shown:
                    out.append(f"{d.name}{title} {state} (as above)")
                else:
                    self.shown.add(id(d))
                    out.append(f"{d.name}{title}{where} {state}:")
                    out += ["  " + r for r in self(d.cond)]
            case _:
                out.append(atom_text(self.ev, c, v))
        return out[: self.limit * 4]


def why(ev: Evaluator, c: C.Cond, limit: int = 8) -> list[str]:
    """Reasons, in words, for the value `c` takes under the evaluator's interpretation."""
    return _Why(ev, limit)(c)


def _failed_atom(ev: Evaluator, c: C.Cond) -> C.Cond | None:
    """The first atom that makes `c` false (for classifying why a condition fails)."""
    match c:
        case C.And(items=items):
            for x in items:
                if _safe(lambda x=x: ev.cond(x)) is False:
                    return _failed_atom(ev, x)
        case C.Or(items=items):
            return _failed_atom(ev, items[0]) if items else None
        case C.Not(item=x):
            return x
        case C.Defined(define=d):
            return _failed_atom(ev, d.cond)
        case _:
            return c
    return None


def _classify(atom: C.Cond | None) -> str:
    victim = C.RoleRef(Role.VICTIM)
    attacker = C.RoleRef(Role.ATTACKER)
    match atom:
        case C.IsParty(who=w) | C.IsDesignated(who=w) | C.StateIn(who=w) if w == victim:
            return "victim_not_covered"
        case C.SameState(a=a) if a == victim:
            return "victim_not_covered"
        case C.PlaceIn() | C.PlaceIs() | C.PlaceTerritory() | C.PlaceAdministered() | C.PlaceClaimed() | C.PlaceTerm() | C.PlaceAttr():
            return "out_of_area"
        case C.TargetIn():
            return "target_not_covered"
        case C.StateTerm(who=w) | C.StateIn(who=w) if w == attacker:
            return "adversary_restriction"
        case C.SameState(a=a) if a == attacker:
            return "adversary_restriction"
        case C.DateCmp():
            return "date"
        case C.AllianceIncludes() | C.AllianceMilitary() | C.AllianceTerm() | C.AllianceIs():
            return "alliance_not_covered"
    return "condition_failed"


# ---- steps: label, kind, details, failure ---------------------------------------------------------------

_KIND = {C.InForce: "force", C.InEffect: "effect", C.Trigger: "trigger", C.Bound: "bound", C.NotRole: "bound",
         C.NotSuspended: "suspension", C.Unless: "unless", C.NotReleased: "release", C.Restricted: "restriction"}


def step_kind(st: C.Step) -> str:
    if isinstance(st, C.Holds):
        return st.kind
    return _KIND[type(st)]


def step_label(ev: Evaluator, st: C.Step, cl: Clause, party: str) -> str:
    match st:
        case C.InForce(instrument=i):
            if ev.c.instruments[i].draft and i in ev.drafts:
                return f"{i} read as if in force (a draft)"
            return f"{i} in force on {ev.d}"
        case C.InEffect():
            return "the clause applies on the date"
        case C.Trigger(event=e):
            return f"the event is {e.replace('-', ' ')}"
        case C.Bound(instrument=i, how=how):
            if how == "party":
                return f"{party} is a party"
            if how == "author":
                return f"{party} is an author"
            return f"{party} is bound by {i} (named in the clause)"
        case C.NotRole(role=r):
            return f"{party} is not the {r}"
        case C.NotSuspended():
            return f"{party}'s obligations are not suspended"
        case C.Holds(cond=c):
            return cond_text(c)
        case C.Unless(cond=c):
            return "not " + cond_text(c, 3)
        case C.NotReleased():
            return f"{party}'s constitutional processes do not release it"
        case C.Restricted(source=src, mode=mode, cond=c):
            text = ("not " + cond_text(c, 3)) if mode == "unless" else cond_text(c)
            return f"{text} ({src})"
    raise AssertionError(type(st).__name__)


def _details(ev: Evaluator, st: C.Step, w: _Why) -> list[str]:
    match st:
        case C.Holds(cond=c) | C.Unless(cond=c):
            return w(c)
        case C.Restricted(source=src, cond=c, text=text):
            return w(c) + ([f'{src}: "{text}"'] if text else [])
    return []


def step_failure(ev: Evaluator, st: C.Step, cl: Clause, party: str, label: str) -> Failure:
    d = ev.d
    match st:
        case C.InForce(instrument=i):
            inst = ev.c.instruments[i]
            if inst.draft:
                return Failure(kind="draft", reason=f"{i} is a draft, not in force (add --draft {i} to ask what it would oblige)")
            if inst.entry_into_force is None and inst.kind in ("treaty", "protocol"):
                return Failure(kind="not_in_force", reason=f"{i} never entered into force")
            start = inst.force.start
            if start is not None and d < start:
                return Failure(kind="not_yet_in_force", reason=f"{i} enters into force only on {start}")
            note = f" ({inst.terminated_note})" if inst.terminated_note else ""
            return Failure(kind="terminated", reason=f"{i} terminated on {inst.terminated}{note}")
        case C.InEffect(start=a, end=b):
            when = C.Interval(a, b).describe()
            return Failure(kind="clause_not_in_effect", reason=f"the clause applies only {when}")
        case C.Trigger(event=e):
            return Failure(kind="different_event", reason=f"the clause answers to {e.replace('-', ' ')}, not to {ev.s.event.replace('-', ' ')}")
        case C.Bound(instrument=i, how=how, code=code):
            inst = ev.c.instruments[i]
            if how == "named" and party != code:
                return Failure(kind="not_party", reason=f"the clause binds {code}, not {party}")
            if how == "author":
                return Failure(kind="not_party", reason=f"{party} is not an author of {i}")
            spells = [m.interval for m in inst.memberships if m.state == party]
            if not spells:
                return Failure(kind="not_party", reason=f"{party} is not a party of {i}")
            if all(s.start and d < s.start for s in spells):
                return Failure(kind="not_yet_party", reason=f"{party} becomes a party of {i} only on {min(s.start for s in spells)}")
            ended = [s.end for s in spells if s.end and s.end <= d]
            if ended:
                return Failure(kind="withdrawn", reason=f"{party} ceased to be a party of {i} on {max(ended)}")
            return Failure(kind="not_party", reason=f"{party} is not a party of {i} on {d}")
        case C.NotRole(role=r, implied=implied):
            if implied:
                return Failure(kind="attacker", reason=f"{party} is the attacker: no state is obliged to help the victim of its own attack")
            return Failure(kind="excluded", reason=f"{party} is the {r}, whom the clause leaves out")
        case C.NotSuspended(instrument=i):
            sp = ev.suspension(ev.c.instruments[i], party, ev.counterpart(cl))
            note = f" ({sp.note})" if sp and sp.note else ""
            toward = f" toward {sp.toward}" if sp and sp.toward else ""
            return Failure(kind="suspended", reason=f"{party}'s obligations under {i}{toward} are suspended {sp.interval.describe() if sp else ''}{note}")
        case C.Holds(cond=c, kind=kind):
            if kind == "against":
                return Failure(kind="adversary_restriction", reason=f"the obligation holds only where {label}")
            k = _classify(_failed_atom(ev, c))
            reasons = why(ev, c)
            return Failure(kind=k, reason="; ".join(r.strip().rstrip(":") for r in reasons[:4]) or f"{label} does not hold")
        case C.Unless(cond=c):
            return Failure(kind="exception", reason=f"an exception applies ({cond_text(c)})")
        case C.NotReleased():
            return Failure(kind="released", reason=f"{party}'s constitutional processes release it under this reading")
        case C.Restricted(source=src, cond=c, text=text):
            quote = f' ("{text}")' if text else ""
            reasons = "; ".join(r.strip().rstrip(":") for r in why(ev, c)[:3])
            return Failure(kind="adversary_restriction", reason=f"{src} restricts it{quote}: {reasons}")
    raise AssertionError(type(st).__name__)


def ground(ev: Evaluator, cl: Clause, party: str, status: str) -> Ground:
    """One clause's steps for `party` in words, each with its value under `ev`'s interpretation, up to the first
    that fails; and the reason it fails."""
    inst = ev.c.instruments[cl.instrument]
    steps: list[StepOut] = []
    failure = None
    w = _Why(ev)
    for st in cl.steps:
        ev.consulted, ev.used = [], []
        v = _safe(lambda st=st: ev.step(st, cl, party))
        facts = [fact_use(f) for f in dict.fromkeys(ev.used)]
        label = step_label(ev, st, cl, party)
        steps.append(StepOut(kind=step_kind(st), label=label, holds=v, detail=_details(ev, st, w), facts=facts))
        if v is False:
            failure = step_failure(ev, st, cl, party, label)
            break
    quals = [f'{q.kind}: "{q.text}"' for q in cl.qualifiers]
    return Ground(
        clause=cl.id, instrument=inst.name, instrument_title=inst.title, instrument_kind=inst.kind,
        binding=inst.binding, draft=inst.draft, article=cl.article, heading=cl.heading, text=cl.article_text,
        location=str(cl.span), action=cl.action_text, deontic=str(cl.deontic), status=status, qualifiers=quals,
        steps=steps, failure=failure)


# ---- open terms ----------------------------------------------------------------------------------------


def describe_term(c: Corpus, term: str, args: tuple[str, ...]) -> tuple[Hinge, dict[bool, str]]:
    """The question an open term asks, its readings, and which reading each value of the term stands for."""
    key = f"{term}({', '.join(args)})"
    if term == "in" and len(args) == 2:
        here, r = c.area(args[0]), c.regions.get(args[1])
        why_ = next((pi.why for pi in (here.possibly_in if here else ()) if pi.region == args[1]), "")
        q = (f"whether {here.title if here else args[0]} lies in {r.title if r else args[1]}" + (f": {why_}" if why_ else ""))
        rd = [Reading(label="inside", text=f"{args[0]} is in {args[1]}"),
              Reading(label="outside", text=f"{args[0]} is not in {args[1]}")]
        values = {True: "inside", False: "outside"}
    elif term == "sovereign" and len(args) == 2:
        p = c.places.get(args[0])
        claimants = list(p.claimed_by) if p else []
        others = [x for x in claimants if x != args[1]]
        q = f"whose territory {p.title if p else args[0]} is (claimed by {', '.join(claimants)})"
        rd = [Reading(label=f"{args[1]}'s claim", text=f"{args[0]} is territory of {args[1]}")]
        values = {True: f"{args[1]}'s claim"}
        if others:
            label = f"{'/'.join(others)}'s claim"
            rd.append(Reading(label=label, text=f"{args[0]} is not territory of {args[1]}"))
            values[False] = label
        else:
            values[False] = f"not {args[1]}'s"
    elif term == "release" and len(args) == 2:
        i = c.instruments.get(args[0])
        q = (f"whether \"in accordance with its constitutional processes\" lets {args[1]} decline to act under "
             f"{i.title if i else args[0]}")
        rd = [Reading(label="manner only", text="the qualifier governs how the party acts, not whether (obliged)"),
              Reading(label="release", text="the qualifier leaves the decision to act to the party's constitutional organs (not obliged)")]
        values = {False: "manner only", True: "release"}
    elif term == "military" and len(args) == 1:
        i = c.instruments.get(args[0])
        q = f"whether {i.title if i else args[0]} counts as a military alliance"
        rd = [Reading(label="military alliance", text="it is"), Reading(label="not an alliance", text="it is not")]
        values = {True: "military alliance", False: "not an alliance"}
    else:
        t = c.terms.get(term)
        q = t.question if t else term
        q = f"{q} — {', '.join(args)}" if args else q
        rd = [Reading(label=r.label, text=r.text) for r in (t.readings if t else ())]
        if len(rd) >= 2:
            values = {True: rd[0].label, False: rd[1].label}
        else:
            subject = ", ".join(args)
            yes, no = (f"{subject} is {term}", f"{subject} is not {term}") if args else (f"{term} holds", f"{term} does not hold")
            rd = rd or [Reading(label="yes", text=yes), Reading(label="no", text=no)]
            values = {True: rd[0].label, False: rd[1].label if len(rd) > 1 else "no"}
    return Hinge(term=key, question=q, readings=rd), values


def hinge(c: Corpus, term: str, args: tuple[str, ...], when_obliged: bool | None = None,
          when_not: bool | None = None) -> Hinge:
    h, values = describe_term(c, term, args)
    return Hinge(term=h.term, question=h.question, readings=h.readings,
                 when_obliged=values.get(when_obliged) if when_obliged is not None else None,
                 when_not_obliged=values.get(when_not) if when_not is not None else None)


def reading_text(c: Corpus, term: str, args: tuple[str, ...], value: bool) -> str:
    """`in(spratly-islands, pacific-ocean)` read one way, in words: "inside: spratly-islands is in pacific-ocean"."""
    h, values = describe_term(c, term, args)
    return f"{h.term} read as \"{values.get(value)}\""


# ---- summaries -------------------------------------------------------------------------------------------


def question_text(q: Question) -> str:
    act = q.action if q.deontic == "must" else f"{q.deontic} {q.action}"
    return f"{q.party} {act}" + (f" {q.obj}" if q.obj else "")


def summary(verdict: str, s: Scenario, q: Question, grounds: list[Ground], hinges: list[Hinge], reason: str | None) -> str:
    what = question_text(q)
    applying = [g for g in grounds if g.status == "applies"]
    if verdict == "obliged":
        cites = ", ".join(sorted({f"{g.instrument} Art. {g.article}" for g in applying}))
        return f"obliged: {what} — {describe_scenario(s)} ({cites})"
    if verdict == "depends":
        return f"depends: {what} — turns on " + "; ".join(h.question for h in hinges)
    if verdict == "unknown":
        return f"unknown: {what} — {reason}"
    return f"not obliged: {what} — {not_obliged_reason(grounds)}"


def not_obliged_reason(grounds: list[Ground]) -> str:
    fails = [g for g in grounds if g.failure is not None]
    if not fails:
        return "no clause in the corpus obliges it in this situation"
    first = fails[0]
    # Other instruments that fail in the same way, between the same states, are named too.
    peers = [g for g in fails[1:4] if g.failure.kind == first.failure.kind and g.instrument != first.instrument
             and g.failure.kind not in ("victim_not_covered", "not_party", "draft", "different_event")]
    short = lambda g: g.failure.reason.split("; ")[0]
    also = "".join(f"; {g.instrument} Art. {g.article}: {short(g)}" for g in peers)
    return f"{first.instrument} Art. {first.article}: {first.failure.reason if not peers else short(first)}{also}"


def verdict_line(verdict: str, s: Scenario, q: Question, grounds: list[Ground], hinges: list[Hinge], reason: str | None) -> str:
    """The first line of an answer: the summary without its verdict word (render prints the verdict)."""
    if verdict == "obliged":
        cites = ", ".join(sorted({f"{g.instrument} Art. {g.article}" for g in grounds if g.status == "applies"}))
        return f"{describe_scenario(s)} ({cites})"
    if verdict == "depends":
        return "turns on " + "; ".join(h.question for h in hinges)
    if verdict == "unknown":
        return reason or "a solver limit was reached"
    return not_obliged_reason(grounds)


def instrument_name(inst: Instrument) -> str:
    return f"{inst.name} ({inst.title})"
