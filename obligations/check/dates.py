"""Time: nobody is suspended, named or bound before they join or after they cease to exist."""

from __future__ import annotations

import datetime as dt

from obligations.diagnostics import Diagnostic
from obligations.model.corpus import Corpus, Interval


def _first_joined(intervals: list[Interval]) -> dt.date | None:
    starts = [i.start for i in intervals]
    if any(s is None for s in starts):
        return None
    return min(starts) if starts else None


def check(c: Corpus) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for inst in c.instruments.values():
        n = inst.node
        trail = n.name
        if n.signed and n.in_force and n.in_force < n.signed:
            out.append(Diagnostic(code="E004", message=f"{n.name} enters into force ({n.in_force}) before it is signed ({n.signed})", span=n.span, trail=trail))
        if n.in_force and n.terminated and n.terminated < n.in_force:
            out.append(Diagnostic(code="E004", message=f"{n.name} terminates ({n.terminated}) before it enters into force ({n.in_force})", span=n.span, trail=trail))
        spells: dict[str, list[Interval]] = {}
        for m in inst.memberships + inst.designations:
            spells.setdefault(m.state, []).append(m.interval)
            st = c.states.get(m.state)
            if st is None:
                continue
            if st.start and m.interval.start and m.interval.start < st.start:
                out.append(Diagnostic(code="E032", message=f"{m.state} is a party of {n.name} from {m.interval.start}, before the state exists ({st.start})", span=m.span, trail=trail,
                                      hint=f"{m.state} ({st.name}) is declared from {st.start} at {st.span}"))
            if st.end and m.interval.start and m.interval.start >= st.end:
                out.append(Diagnostic(code="E032", message=f"{m.state} is a party of {n.name} from {m.interval.start}, after the state ceased to exist ({st.end})", span=m.span, trail=trail))
        for s in inst.suspensions:
            for who in [s.state] + ([s.toward] if s.toward else []):
                if who not in c.states:
                    continue
                ivs = spells.get(who)
                if not ivs:
                    out.append(Diagnostic(code="E030", message=f"{who} is suspended in {n.name} but is not a party to it", span=s.span, trail=trail,
                                          hint=f"add `parties {who} from DATE`, or name the right state"))
                    continue
                first = _first_joined(ivs)
                if s.interval.start and first and s.interval.start < first:
                    out.append(Diagnostic(code="E030", message=f"{who} is used from {s.interval.start}, before it joins {n.name} on {first}", span=s.span, trail=trail))
        bound = set(inst.bound_states()) | {m.state for m in inst.designations}
        for cl in c.clauses_of(n.name):
            subj = cl.node.subject
            ctrail = f"{n.name} › {cl.heading}"
            if subj.mode == "named" and subj.code in c.states:
                if subj.code not in bound:
                    out.append(Diagnostic(code="E031", message=f"{subj.code} is bound by this clause but is not a party to {n.name}", span=subj.span, trail=ctrail,
                                          hint=f"parties are {', '.join(sorted(bound)) or 'none'}; add it with `parties` or `by`"))
                    continue
                start = next((q.date for q in cl.node.qualifiers if q.mode == "from" and q.date), None)
                first = _first_joined(spells.get(subj.code, [])) if subj.code not in n.authors else None
                # Joining when the instrument enters into force is no late joining.
                if start and first and start < first and (n.in_force is None or first > n.in_force):
                    out.append(Diagnostic(code="E030", message=f"{subj.code} is bound from {start}, before it joins {n.name} on {first}", span=subj.span, trail=ctrail))
    return out
