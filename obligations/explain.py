"""Grounds: why a clause applies or fails in a scenario, in words, with the article quoted.

Explanations replay the reference evaluator under an interpretation taken
from a Z3 model, so the chain shown is one that the solver's verdict rests on.
"""

from __future__ import annotations

from obligations.model.corpus import Clause, Corpus, Fact, Instrument
from obligations.query.results import Failure, FactUse, Ground, Hinge, Reading, StepOut
from obligations.reference import Evaluator, NeedTerm, term_key
from obligations.syntax import ast as A
from obligations.syntax.format import cond_text


def fact_use(f: Fact) -> FactUse:
    neg = "not " if f.negated else ""
    return FactUse(fact=f"{neg}{term_key(f.term, f.args)}", grounds=f.grounds, instrument=f.instrument, location=str(f.span))


def _name(c: Corpus, code: str | None) -> str:
    if code is None:
        return "nobody"
    s = c.states.get(code)
    return f"{code}" if s is None else f"{code} ({s.name})"


def _safe(ev: Evaluator, fn) -> bool | None:
    try:
        return fn()
    except NeedTerm:
        return None


def _r(ev: Evaluator, r: str) -> str:
    """A role as text: `victim JPN`, or just `JPN` when the condition names the state itself."""
    return r if r not in A.ROLES else f"{r} {ev.role(r)}"


def atom_text(ev: Evaluator, c: A.Cond, inst: Instrument, value: bool | None) -> str:
    """What an atom says about this scenario, true or false."""
    s = ev.s
    corpus = ev.c
    is_ = {True: "is", False: "is not", None: "may or may not be"}[value]
    match c:
        case A.IsParty(role=r):
            st = ev.role(r)
            spells = [m.interval.describe() + (" — supposed, --join" if m.note == "hypothetical accession" else "")
                      for m in inst.memberships if m.state == st]
            extra = f" (party {'; '.join(spells)})" if spells else ""
            return f"{_r(ev, r)} {is_} a party of {inst.name} on {ev.d}{extra}"
        case A.IsDesignated(role=r):
            return f"{_r(ev, r)} {is_} covered by designation under {inst.name} on {ev.d}"
        case A.RoleHas(role=r, term=t):
            return f"{_r(ev, r)} {is_} {t}"
        case A.PlaceIn(region=g):
            reg = corpus.regions.get(g)
            return f"{s.place} {is_} in {g}" + (f" ({reg.title})" if reg else "")
        case A.PlaceTerritory(role=r):
            return f"{s.place} {is_} territory of {_r(ev, r)}"
        case A.PlaceAdministered(role=r):
            p = corpus.places.get(s.place or "")
            admins = [f"{h.state} {('from ' + str(h.start)) if h.start else ''}{(' until ' + str(h.end)) if h.end else ''}".strip()
                      for h in (p.administered_by if p else [])]
            extra = f" (administered by {', '.join(admins)})" if admins else ""
            return f"{s.place} {is_} administered by {_r(ev, r)} on {ev.d}{extra}"
        case A.PlaceClaimed(role=r):
            p = corpus.places.get(s.place or "")
            claims = f" (claimed by {', '.join(p.claimed_by)})" if p and p.claimed_by else ""
            return f"{s.place} {is_} claimed by {_r(ev, r)}{claims}"
        case A.PlaceHas(term=t):
            return f"{s.place} {is_} {t}"
        case A.PlaceAttr(attr=a):
            return f"{s.place} {is_} {'an island' if a == 'island' else 'metropolitan territory'}"
        case A.TargetIn(targets=ts):
            return f"the target ({s.target}) {is_} {' or '.join(ts)}"
        case A.RoleEq(role=r, other=o):
            return f"{_r(ev, r)} {is_} {ev.role(o)}"
        case A.RoleIn(role=r, codes=cs):
            return f"{_r(ev, r)} {is_} one of {' '.join(cs)}"
        case A.Dispute(role=r, other=o):
            a = ev.role(r)
            others = [ev.role(o)] if o else inst.members_on(ev.d)
            found = [(b, p.name) for b in others for p in ev.c.places.values()
                     if b != a and p.claimed_by and ev.dispute(a, b) and _disputed_between(ev, p, a, b)]
            if value and found:
                return f"{a} has a territorial dispute with " + "; ".join(f"{b} over {pl}" for b, pl in found)
            who = ev.role(o) if o else f"any party of {inst.name}"
            return f"{a} {'has' if value else 'has no' if value is False else 'may have'} territorial dispute with {who}"
        case A.DateCmp(op=op, date=d):
            return f"the date {ev.d} {is_} {op} {d}"
        case A.AllianceIncludes(role=r):
            return f"{s.alliance} {'includes' if value else 'does not include' if value is False else 'may include'} {ev.role(r)}"
        case A.AllianceMilitary():
            return f"{s.alliance} {is_} a military alliance"
        case A.AllianceHas(term=t):
            return f"{s.alliance} {is_} {t}"
        case A.AllianceEq(instrument=i):
            return f"the alliance {is_} {i}"
        case A.Const(value=v):
            return "always" if v else "never"
    return cond_text(c) + ("" if value else " does not hold")


def _disputed_between(ev: Evaluator, p, a: str, b: str) -> bool:
    a_in = a in p.claimed_by or ev.holds(p.administered_by, a)
    b_in = b in p.claimed_by or ev.holds(p.administered_by, b)
    return a_in and b_in and (a in p.claimed_by or b in p.claimed_by)


def why(ev: Evaluator, c: A.Cond, inst: Instrument, limit: int = 8) -> list[str]:
    """Reasons, in words, for the value `c` takes under the evaluator's interpretation."""
    v = _safe(ev, lambda: ev.cond(c, inst))
    out: list[str] = []
    match c:
        case A.And(items=items):
            if v is not False:  # true, or open: every conjunct, the open ones saying so
                for x in items:
                    out += why(ev, x, inst, limit)
            else:
                for x in items:
                    xv = _safe(ev, lambda x=x: ev.cond(x, inst))
                    if xv is not True:
                        out += why(ev, x, inst, limit)
                        break
        case A.Or(items=items):
            if v:
                for x in items:
                    if _safe(ev, lambda x=x: ev.cond(x, inst)):
                        out += why(ev, x, inst, limit)
                        break
            elif v is None:  # open: the disjuncts that might hold
                for x in items:
                    if _safe(ev, lambda x=x: ev.cond(x, inst)) is None:
                        out += why(ev, x, inst, limit)
            else:
                for x in items:
                    out += why(ev, x, inst, limit)
        case A.Not(item=x):
            inner = why(ev, x, inst, limit)
            out += inner
        case A.Ref(name=n):
            d = ev.c.lookup_define(n, inst.name)
            if d is None:
                out.append(f"{n} {'holds' if v else 'does not hold' if v is False else 'is open'}")
            else:
                art = _define_article(ev.c, inst, n)
                title = f" ({d.title})" if d.title else ""
                out.append(f"{n}{title}{' — ' + art if art else ''} {'holds' if v else 'does not hold' if v is False else 'is open'}:")
                out += ["  " + r for r in why(ev, d.cond, inst, limit)]
        case _:
            out.append(atom_text(ev, c, inst, v))
    return out[:limit * 4]


def _define_article(c: Corpus, inst: Instrument, name: str) -> str | None:
    for i in (inst, c.instruments.get(inst.node.parent or "")):
        if i is not None and name in i.define_articles:
            return f"{i.name} Article {i.define_articles[name]}"
    return None


def _failed_atom(ev: Evaluator, c: A.Cond, inst: Instrument) -> A.Cond | None:
    """The first atom that makes `c` false (for classifying why a condition fails)."""
    match c:
        case A.And(items=items):
            for x in items:
                if _safe(ev, lambda x=x: ev.cond(x, inst)) is False:
                    return _failed_atom(ev, x, inst)
        case A.Or(items=items):
            return _failed_atom(ev, items[0], inst) if items else None
        case A.Not(item=x):
            return x
        case A.Ref(name=n):
            d = ev.c.lookup_define(n, inst.name)
            return _failed_atom(ev, d.cond, inst) if d is not None else c
        case _:
            return c
    return None


def _classify(atom: A.Cond | None) -> str:
    match atom:
        case A.IsParty(role="victim") | A.IsDesignated(role="victim") | A.RoleEq(role="victim") | A.RoleIn(role="victim"):
            return "victim_not_covered"
        case A.PlaceIn() | A.PlaceEq() | A.PlaceTerritory() | A.PlaceAdministered() | A.PlaceClaimed() | A.PlaceHas() | A.PlaceAttr():
            return "out_of_area"
        case A.TargetIn():
            return "target_not_covered"
        case A.RoleHas(role="attacker") | A.RoleEq(role="attacker") | A.RoleIn(role="attacker"):
            return "adversary_restriction"
        case A.DateCmp():
            return "date"
        case A.AllianceIncludes() | A.AllianceMilitary() | A.AllianceHas() | A.AllianceEq():
            return "alliance_not_covered"
    return "condition_failed"


def describe_term(c: Corpus, key: str) -> Hinge:
    term, _, rest = key.partition("(")
    args = [a.strip() for a in rest.rstrip(")").split(",") if a.strip()]
    if term == "in" and len(args) == 2:
        p, r = c.places.get(args[0]), c.regions.get(args[1])
        why_ = next((pi.why for pi in (p.possibly_in if p else []) if pi.region == args[1]), "")
        q = f"whether {p.title if p else args[0]} lies in {r.title if r else args[1]}" + (f": {why_}" if why_ else "")
        rd = [Reading(label="inside", text=f"{args[0]} is in {args[1]}"), Reading(label="outside", text=f"{args[0]} is not in {args[1]}")]
    elif term == "sovereign" and len(args) == 2:
        p = c.places.get(args[0])
        claimants = p.claimed_by if p else []
        others = [x for x in claimants if x != args[1]]
        q = f"whose territory {p.title if p else args[0]} is (claimed by {', '.join(claimants)})"
        rd = [Reading(label=f"{args[1]}'s claim", text=f"{args[0]} is territory of {args[1]}")]
        if others:
            rd.append(Reading(label=f"{'/'.join(others)}'s claim", text=f"{args[0]} is not territory of {args[1]}"))
    elif term == "release" and len(args) == 2:
        i = c.instruments.get(args[0])
        q = f"whether \"in accordance with its constitutional processes\" lets {args[1]} decline to act under {i.title if i else args[0]}"
        rd = [Reading(label="manner only", text="the qualifier governs how the party acts, not whether (obliged)"),
              Reading(label="release", text="the qualifier leaves the decision to act to the party's constitutional organs (not obliged)")]
    elif term == "military" and len(args) == 1:
        i = c.instruments.get(args[0])
        q = f"whether {i.title if i else args[0]} counts as a military alliance"
        rd = [Reading(label="military alliance", text="it is"), Reading(label="not an alliance", text="it is not")]
    else:
        t = c.terms.get(term)
        q = t.question if t else key
        q = f"{q} — {', '.join(args)}" if args else q
        rd = [Reading(label=r.label, text=r.text) for r in (t.readings if t else [])]
        if not rd:
            rd = [Reading(label="yes", text=f"{key} holds"), Reading(label="no", text=f"{key} does not hold")]
    return Hinge(term=key, question=q, readings=rd)


_STEP_FAILURE = {
    "force": "not_in_force",
    "effect": "clause_not_in_effect",
    "trigger": "different_event",
    "bound": "not_party",
    "suspension": "suspended",
    "against": "adversary_restriction",
    "unless": "exception",
    "release": "released",
}


def ground(ev: Evaluator, cl: Clause, party: str, status: str) -> Ground:
    c = ev.c
    inst = c.instruments[cl.instrument]
    n = cl.node
    steps: list[StepOut] = []
    failure = None
    for kind, label, fn in ev.steps(cl, party):
        ev._consulted, ev._used = [], []
        v = _safe(ev, fn)
        facts = [fact_use(f) for f in dict.fromkeys(ev._used)]
        detail: list[str] = []
        if kind in ("condition", "where", "against", "unless"):
            cond = n.condition if kind == "condition" else n.action.where if kind == "where" else next(
                q.cond for q in n.qualifiers if q.mode == kind and (cond_text(q.cond) == label or "not " + cond_text(q.cond, 3) == label))
            detail = why(ev, cond, inst)
        elif kind == "restriction":
            for ar in cl.restrictions:
                if label.endswith(f"({ar.source})"):
                    detail = why(ev, ar.restrict.cond, inst)
                    if ar.restrict.text:
                        detail.append(f'{ar.source}: "{ar.restrict.text}"')
        steps.append(StepOut(kind=kind, label=label, holds=v, detail=detail, facts=facts))
        if v is False:
            failure = _failure(ev, cl, party, kind, label, n, inst)
            break
    quals = []
    for q in n.qualifiers:
        if q.mode in ("discretionary", "constitutional"):
            quals.append(f"{q.mode}: \"{q.text}\"")
    return Ground(
        clause=cl.id, instrument=inst.name, instrument_title=inst.title, instrument_kind=inst.node.kind,
        binding=inst.binding, draft=inst.draft, article=cl.article, heading=cl.heading, text=cl.article_text,
        location=str(cl.span), action=n.action.name + (f" {n.action.obj}" if n.action.obj else ""),
        deontic=n.deontic, status=status, qualifiers=quals, steps=steps, failure=failure,
    )


def _failure(ev: Evaluator, cl: Clause, party: str, kind: str, label: str, n: A.Clause, inst: Instrument) -> Failure:
    d = ev.d
    if kind == "force":
        node = inst.node
        if inst.draft:
            return Failure(kind="draft", reason=f"{inst.name} is a draft, not in force (add --draft {inst.name} to ask what it would oblige)")
        if node.in_force is None:
            return Failure(kind="not_in_force", reason=f"{inst.name} never entered into force")
        if d < node.in_force:
            return Failure(kind="not_yet_in_force", reason=f"{inst.name} enters into force only on {node.in_force}")
        return Failure(kind="terminated", reason=f"{inst.name} terminated on {node.terminated}" + (f" ({node.terminated_note})" if node.terminated_note else ""))
    if kind == "bound":
        spells = [m.interval for m in inst.memberships if m.state == party]
        if not spells:
            return Failure(kind="not_party", reason=f"{party} is not a party of {inst.name}" if "party" in label else f"{label}: no")
        if all(s.start and d < s.start for s in spells):
            return Failure(kind="not_yet_party", reason=f"{party} becomes a party of {inst.name} only on {min(s.start for s in spells)}")
        ended = [s.end for s in spells if s.end and s.end <= d]
        if ended:
            return Failure(kind="withdrawn", reason=f"{party} ceased to be a party of {inst.name} on {max(ended)}")
        return Failure(kind="not_party", reason=label.replace(" is ", " is not ", 1))
    if kind == "suspension":
        sp = next((s for s in inst.suspensions if s.state == party and s.interval.contains(d)), None)
        note = f" ({sp.note})" if sp and sp.note else ""
        toward = f" toward {sp.toward}" if sp and sp.toward else ""
        return Failure(kind="suspended", reason=f"{party}'s obligations under {inst.name}{toward} are suspended {sp.interval.describe() if sp else ''}{note}")
    if kind in ("condition", "where"):
        cond = n.condition if kind == "condition" else n.action.where
        atom = _failed_atom(ev, cond, inst)
        k = _classify(atom)
        reasons = why(ev, cond, inst)
        return Failure(kind=k, reason="; ".join(r.strip().rstrip(":") for r in reasons[:4]) or f"{label} does not hold")
    if kind == "restriction":
        for ar in cl.restrictions:
            if label.endswith(f"({ar.source})"):
                quote = f' ("{ar.restrict.text}")' if ar.restrict.text else ""
                reasons = "; ".join(r.strip().rstrip(":") for r in why(ev, ar.restrict.cond, inst)[:3])
                return Failure(kind="adversary_restriction", reason=f"{ar.source} restricts it{quote}: {reasons}")
        return Failure(kind="adversary_restriction", reason=f"restricted by {label}")
    if kind == "release":
        return Failure(kind="released", reason=f"{party}'s constitutional processes release it under this reading")
    if kind == "against":
        return Failure(kind="adversary_restriction", reason=f"the obligation holds only where {label}")
    if kind == "unless":
        return Failure(kind="exception", reason=f"an exception applies ({label[4:]})")
    return Failure(kind=_STEP_FAILURE.get(kind, kind), reason=f"{label}: no")
