"""Time: nobody is suspended, named or bound before they join or after they cease to exist, and nobody is a
party twice over the same days."""

from __future__ import annotations

import datetime as dt

from obligations.diagnostics import Diagnostic
from obligations.model.core import Corpus, InEffect, Interval


def _first_joined(intervals: list[Interval]) -> dt.date | None:
    starts = [i.start for i in intervals]
    if any(s is None for s in starts):
        return None
    return min(starts) if starts else None


def check(c: Corpus) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for inst in c.instruments.values():
        trail = inst.name
        if inst.signed and inst.entry_into_force and inst.entry_into_force < inst.signed:
            out.append(Diagnostic(code="E004", message=f"{inst.name} enters into force ({inst.entry_into_force}) before it is signed ({inst.signed})", span=inst.span, trail=trail))
        if inst.entry_into_force and inst.terminated and inst.terminated < inst.entry_into_force:
            out.append(Diagnostic(code="E004", message=f"{inst.name} terminates ({inst.terminated}) before it enters into force ({inst.entry_into_force})", span=inst.span, trail=trail))
        spells: dict[str, list[Interval]] = {}
        for group, what in ((inst.memberships, "a party of"), (inst.designations, "designated under")):
            seen: dict[str, list] = {}
            for m in group:
                for other in seen.get(m.state, []):
                    if other.interval.overlaps(m.interval):
                        out.append(Diagnostic(
                            code="E033", message=f"{m.state} is {what} {inst.name} twice over the same days "
                                                 f"({other.interval.describe()}; {m.interval.describe()})",
                            span=m.span, trail=trail,
                            hint=f"the other spell is at {other.span}; a withdrawal ends the spell it ends "
                                 f"(`parties {m.state} from A until B`), it is not a spell of its own"))
                        break
                seen.setdefault(m.state, []).append(m)
        for m in inst.memberships + inst.designations:
            spells.setdefault(m.state, []).append(m.interval)
            st = c.states.get(m.state)
            if st is None:
                continue
            ex = st.exists
            if ex.start and m.interval.start and m.interval.start < ex.start:
                out.append(Diagnostic(code="E032", message=f"{m.state} is a party of {inst.name} from {m.interval.start}, before the state exists ({ex.start})", span=m.span, trail=trail,
                                      hint=f"{m.state} ({st.name}) is declared from {ex.start} at {st.span}"))
            if ex.end and m.interval.start and m.interval.start >= ex.end:
                out.append(Diagnostic(code="E032", message=f"{m.state} is a party of {inst.name} from {m.interval.start}, after the state ceased to exist ({ex.end})", span=m.span, trail=trail))
        for s in inst.suspensions:
            for who in [s.state] + ([s.toward] if s.toward else []):
                if who not in c.states:
                    continue
                ivs = spells.get(who)
                if not ivs:
                    out.append(Diagnostic(code="E030", message=f"{who} is suspended in {inst.name} but is not a party to it", span=s.span, trail=trail,
                                          hint=f"add `parties {who} from DATE`, or name the right state"))
                    continue
                first = _first_joined(ivs)
                if s.interval.start and first and s.interval.start < first:
                    out.append(Diagnostic(code="E030", message=f"{who} is used from {s.interval.start}, before it joins {inst.name} on {first}", span=s.span, trail=trail))
        bound = set(inst.bound_states()) | {m.state for m in inst.designations}
        for cl in c.clauses_of(inst.name):
            subj = cl.subject
            ctrail = f"{inst.name} › {cl.heading}"
            if subj.kind == "named" and subj.code in c.states:
                if subj.code not in bound:
                    out.append(Diagnostic(code="E031", message=f"{subj.code} is bound by this clause but is not a party to {inst.name}", span=subj.span or cl.span, trail=ctrail,
                                          hint=f"parties are {', '.join(sorted(bound)) or 'none'}; add it with `parties` or `by`"))
                    continue
                start = next((st.start for st in cl.steps if isinstance(st, InEffect) and st.start), None)
                first = _first_joined(spells.get(subj.code, [])) if subj.code not in inst.authors else None
                # Joining when the instrument enters into force is no late joining.
                if start and first and start < first and (inst.entry_into_force is None or first > inst.entry_into_force):
                    out.append(Diagnostic(code="E030", message=f"{subj.code} is bound from {start}, before it joins {inst.name} on {first}", span=subj.span or cl.span, trail=ctrail))
    return out
