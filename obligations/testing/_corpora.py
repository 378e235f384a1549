"""Hypothesis strategies for whole clause files: small random worlds and treaties.

They build surface trees, so a generated corpus can be printed (`fmt`),
parsed back, checked, and asked about. Every generated corpus passes `check`:
the strategies only combine what the language allows.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from obligations.record import replace
from obligations.source import Span
from obligations.syntax import ast as A
from obligations.vocab import TARGETS, Event

SPAN = Span.point("<generated>")
CODES = ("AAA", "BBB", "CCC", "DDD", "EEE")
DATES = tuple(dt.date(y, 1, 1) for y in (1950, 1960, 1970, 1980, 1990))


# The actions drawn: those the entailment relation connects, and one it does not.
ACTIONS = ("assist", "meet-common-danger", "use-armed-force", "consult", "act")
_ATTACKS = tuple(e.value for e in Event if e.is_attack)

# Strings: printable text including quotes and backslashes, which the printer must escape.
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\x00"), max_size=40)


def _opt_date():
    return st.one_of(st.none(), st.sampled_from(DATES))


@st.composite
def _interval(draw):
    a, b = draw(_opt_date()), draw(_opt_date())
    if a and b and b < a:
        a, b = b, a
    if a and b and a == b:
        b = None
    return a, b


@st.composite
def conditions(draw, ctx: dict, depth: int = 3):
    """A condition over the roles that `ctx["trigger"]` makes available."""
    trig = ctx["trigger"]
    roles = list(ctx["states"])
    if trig in _ATTACKS:
        roles += ["victim", "attacker"]
    if trig == "join":
        roles += ["actor"]
    role = st.sampled_from(roles)
    atoms = [
        st.builds(A.IsParty, span=st.just(SPAN), role=role),
        st.builds(A.RoleEq, span=st.just(SPAN), role=role, other=role),
        st.builds(A.RoleIn, span=st.just(SPAN), role=role, codes=st.lists(st.sampled_from(ctx["states"]), min_size=1, max_size=2)),
        st.builds(A.DateCmp, span=st.just(SPAN), op=st.sampled_from(["<", "<=", ">", ">="]), date=st.sampled_from(DATES)),
        st.builds(A.Const, span=st.just(SPAN), value=st.booleans()),
        st.builds(A.Dispute, span=st.just(SPAN), role=role, other=st.one_of(st.none(), role)),
    ]
    if ctx["state_terms"]:
        atoms.append(st.builds(A.RoleHas, span=st.just(SPAN), role=role, term=st.sampled_from(ctx["state_terms"])))
    if ctx["defines"]:
        atoms.append(st.builds(A.Ref, span=st.just(SPAN), name=st.sampled_from(ctx["defines"])))
    if trig in _ATTACKS:
        atoms += [
            st.builds(A.IsDesignated, span=st.just(SPAN), role=role),
            st.builds(A.PlaceIn, span=st.just(SPAN), region=st.sampled_from(ctx["regions"])),
            st.builds(A.PlaceEq, span=st.just(SPAN), place=st.sampled_from(ctx["places"])),
            st.builds(A.PlaceTerritory, span=st.just(SPAN), role=role),
            st.builds(A.PlaceAdministered, span=st.just(SPAN), role=role),
            st.builds(A.PlaceClaimed, span=st.just(SPAN), role=role),
            st.builds(A.PlaceAttr, span=st.just(SPAN), attr=st.sampled_from(["island", "metropolitan"])),
            st.builds(A.TargetIn, span=st.just(SPAN), targets=st.lists(st.sampled_from(TARGETS), min_size=1, max_size=3, unique=True)),
        ]
    if trig == "join" or ctx.get("alliance"):
        atoms += [
            st.builds(A.AllianceIncludes, span=st.just(SPAN), role=role),
            st.builds(A.AllianceMilitary, span=st.just(SPAN)),
            st.builds(A.AllianceEq, span=st.just(SPAN), instrument=st.sampled_from(ctx["instruments"])),
        ]
    atom = st.one_of(*atoms)
    if depth <= 0:
        return draw(atom)
    sub = conditions(ctx, depth - 1)
    return draw(st.one_of(
        atom, atom,
        st.builds(A.And, span=st.just(SPAN), items=st.lists(sub, min_size=2, max_size=3)),
        st.builds(A.Or, span=st.just(SPAN), items=st.lists(sub, min_size=2, max_size=3)),
        st.builds(A.Not, span=st.just(SPAN), item=sub),
    ))


def _normal(c: A.Cond) -> A.Cond:
    """What the parser would build: nested and/or of the same kind flattened."""
    if isinstance(c, (A.And, A.Or)):
        items = []
        for x in c.items:
            x = _normal(x)
            items.extend(x.items if type(x) is type(c) else [x])
        return type(c)(span=c.span, items=items)
    if isinstance(c, A.Not):
        return A.Not(span=c.span, item=_normal(c.item))
    return c


@st.composite
def clauses(draw, ctx: dict):
    trig = draw(st.sampled_from(["armed-attack", "armed-attack", "threat", "join", None]))
    c = dict(ctx, trigger=trig)
    attack = trig in _ATTACKS
    cond = draw(st.one_of(st.none(), conditions(c).map(_normal)))
    subj_mode = draw(st.sampled_from(["each_party", "named"]))
    if subj_mode == "each_party":
        other = draw(st.sampled_from([["victim"], ["victim", "attacker"], []])) if attack else []
        subject = A.Subject(span=SPAN, mode="each_party", other_than=list(other))
    else:
        subject = A.Subject(span=SPAN, mode="named", code=draw(st.sampled_from(ctx["parties"])))
    deontic = draw(st.sampled_from(["must", "must", "must", "must not", "may"]))
    if trig == "join" and draw(st.booleans()):
        action = A.Action(span=SPAN, name="join-alliance", obj=None,
                          where=draw(st.one_of(st.none(), conditions(dict(c, alliance=True), 1).map(_normal))))
    else:
        obj = draw(st.sampled_from(["victim", None])) if attack else None
        action = A.Action(span=SPAN, name=draw(st.sampled_from(ACTIONS)), obj=obj, where=None)
    quals = []
    modes = ["discretionary", "means-all", "immediately", "constitutional", "against", "unless", "from", "until"]
    for mode in draw(st.lists(st.sampled_from(modes), max_size=3, unique=True)):
        if mode in ("discretionary", "means-all") and any(q.mode in ("discretionary", "means-all") for q in quals):
            continue  # one statement of the means (two are an error, E046)
        if mode in ("discretionary", "means-all", "immediately", "constitutional"):
            quals.append(A.Qualifier(span=SPAN, mode=mode, text=draw(text)))
        elif mode in ("against", "unless"):
            quals.append(A.Qualifier(span=SPAN, mode=mode, cond=_normal(draw(conditions(c, 1))), text=draw(st.one_of(st.none(), text))))
        else:
            quals.append(A.Qualifier(span=SPAN, mode=mode, date=draw(st.sampled_from(DATES))))
    label = draw(st.one_of(st.none(), st.just("c")))
    return A.Clause(span=SPAN, label=label, trigger=trig, condition=cond, subject=subject, deontic=deontic, action=action, qualifiers=quals)


@st.composite
def files(draw, max_instruments: int = 3) -> A.File:
    """A whole clause file: states, regions, places, terms, facts and treaties."""
    codes = draw(st.lists(st.sampled_from(CODES), min_size=2, max_size=5, unique=True))
    items: list = []
    for code in codes:
        spans = [A.CcodeSpan(span=SPAN, code=draw(st.integers(1, 999)), start=s, end=e)
                 for s, e in draw(st.lists(st.sampled_from([(None, DATES[1]), (DATES[1], None), (DATES[0], DATES[-1])]), max_size=2))]
        items.append(A.StateDecl(span=SPAN, code=code, name=draw(text), ccode=draw(st.one_of(st.none(), st.integers(1, 999))),
                                 ccodes=spans, start=None, end=None, notes=[]))
    n_regions = draw(st.integers(1, 4))
    regions = [f"r{i}" for i in range(n_regions)]
    for i, r in enumerate(regions):
        later = regions[i + 1:]
        inc = draw(st.lists(st.sampled_from(later), unique=True, max_size=2)) if later else []
        exc = draw(st.lists(st.sampled_from([x for x in later if x not in inc] or ["_"]), unique=True, max_size=1)) if len(later) > len(inc) else []
        exc = [x for x in exc if x != "_"]
        items.append(A.RegionDecl(span=SPAN, name=r, title=draw(text), includes=inc, excludes=exc, notes=[]))
    n_places = draw(st.integers(1, 4))
    places = [f"p{i}" for i in range(n_places)]
    possibly: list[tuple[str, str]] = []
    claims: list[tuple[str, str]] = []
    for p in places:
        terr = []
        if draw(st.booleans()):
            a, b = draw(_interval())
            terr = [A.Holding(span=SPAN, state=draw(st.sampled_from(codes)), start=a, end=b)]
        adm = []
        for _ in range(draw(st.integers(0, 2))):
            a, b = draw(_interval())
            adm.append(A.Holding(span=SPAN, state=draw(st.sampled_from(codes)), start=a, end=b))
        claimed = draw(st.lists(st.sampled_from(codes), unique=True, max_size=3)) if not terr else []
        if len(claimed) == 1:
            claimed = []
        claims += [(p, x) for x in claimed]
        regs = draw(st.lists(st.sampled_from(regions), unique=True, max_size=2))
        pos = [A.PossiblyIn(span=SPAN, region=r, why=draw(text)) for r in draw(st.lists(st.sampled_from(regions), unique=True, max_size=2)) if r not in regs]
        possibly += [(p, x.region) for x in pos]
        items.append(A.PlaceDecl(span=SPAN, name=p, title=draw(text), island=draw(st.booleans()), metropolitan=draw(st.booleans()),
                                 territory_of=terr, administered_by=adm, claimed_by=claimed, regions=regs, possibly_in=pos, notes=[]))
    state_terms = ["t0"] if draw(st.booleans()) else []
    for t in state_terms:
        items.append(A.TermDecl(span=SPAN, name=t, question=draw(text), arg="state",
                                readings=[A.Reading(span=SPAN, label="yes", text=draw(text))] if draw(st.booleans()) else [], notes=[]))
    facts = []
    used = set()
    for _ in range(draw(st.integers(0, 3))):
        choice = draw(st.sampled_from(["t0", "in", "sovereign"]))
        if choice == "t0" and state_terms:
            args = [draw(st.sampled_from(list(codes) + ["*"]))]
        elif choice == "in" and possibly:
            args = list(draw(st.sampled_from(possibly)))
        elif choice == "sovereign" and claims:
            args = list(draw(st.sampled_from(claims)))
        else:
            continue
        key = (choice, tuple(args))
        if key in used:
            continue
        used.add(key)
        if choice == "sovereign":
            # One fact per disputed place: two sovereigns would not be a reading of anything.
            if any(k[0] == "sovereign" and k[1][0] == args[0] for k in used if k != key):
                continue
        facts.append(A.FactDecl(span=SPAN, negated=draw(st.booleans()), term=choice, args=args, start=None, end=None,
                                grounds=draw(st.one_of(st.none(), text))))
    items += facts
    n_inst = draw(st.integers(1, max_instruments))
    inst_names = [f"i{k}" for k in range(n_inst)]
    for name in inst_names:
        parties = []
        members = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=len(codes), unique=True))
        for code in members:
            a, b = draw(_interval())
            parties.append(A.Parties(span=SPAN, codes=[code], start=a, end=b, note=None))
        susp = []
        if draw(st.booleans()) and len(members) > 1:
            susp.append(A.Suspension(span=SPAN, state=members[0], toward=draw(st.one_of(st.none(), st.sampled_from(members[1:]))),
                                     start=None, end=None, note=None))
        defines = []
        ctx0 = {"states": codes, "regions": regions, "places": places, "state_terms": state_terms, "defines": [],
                "instruments": inst_names, "parties": members}
        if draw(st.booleans()):
            defines.append(A.DefineDecl(span=SPAN, name="d0", title=None,
                                        cond=_normal(draw(conditions(dict(ctx0, trigger="armed-attack"), 2)))))
        ctx = dict(ctx0, defines=[d.name for d in defines])
        arts = []
        for k in range(draw(st.integers(1, 2))):
            cls = []
            for _ in range(draw(st.integers(1, 2))):
                cl = draw(clauses(ctx))
                # A definition may use attack roles: only attack clauses may refer to it.
                if cl.trigger not in _ATTACKS and defines and _refers(cl):
                    continue
                if cl.subject.mode == "named":
                    # Binding a named party before it joins is an error `check` reports (E030).
                    cl = replace(cl, qualifiers=[q for q in cl.qualifiers if q.mode != "from"])
                if cl.label is not None:
                    cl = replace(cl, label=f"c{len(cls)}")
                cls.append(cl)
            arts.append(A.Article(span=SPAN, ref=str(k + 1), text=draw(text.filter(lambda s: s.strip() != "")), items=cls))
        draft = draw(st.booleans()) and draw(st.booleans())
        in_force = None if draft else draw(st.sampled_from(DATES[:3]))
        # A spell without `from` begins when the instrument enters into force; one that ends by then is an
        # error `check` reports (E034): give it a start before its end, or no end when none is earlier.
        parties = [p if p.start is not None or in_force is None or p.end is None or p.end > in_force
                   else replace(p, **({"start": DATES[0]} if DATES[0] < p.end else {"end": None}))
                   for p in parties]
        items.append(A.Instrument(
            span=SPAN, kind="treaty", name=name, title=draw(text), draft=draft,
            binding=draw(st.sampled_from(["legal", "political"])), category=draw(st.sampled_from(["alliance", "security", "cooperation"])),
            in_force=in_force, terminated=draw(st.sampled_from([None, None, DATES[4]])) if in_force else None,
            parties=parties, suspensions=susp, defines=defines, articles=arts,
        ))
    return A.File(path="<generated>", items=items, comments=[])


def _refers(cl: A.Clause) -> bool:
    return any(isinstance(n, A.Ref) for c in A.clause_conds(cl) for n in A.walk(c))
