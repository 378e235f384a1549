"""When a clause applies: one ordered description, read by the encoder, the reference evaluator and the
explanation alike (Catala's verification conditions, stated apart from how they are decided).

A clause binds a party in a scenario when, in order:

  InForce       its instrument is in force on the date (a draft only when the user asks about it);
  InEffect      the clause's own `from`/`until` dates include it;
  Trigger       the event is the one the clause answers to;
  Bound         the party is bound: a party of the instrument, an author, or the state named;
  NotRole       the party is not the state in an excluded role (`each party other than victim`), and — the
                engine's rule, written nowhere because every text implies it — a state is never obliged to
                help the victim of its own attack;
  NotSuspended  its obligations are not suspended (toward the state the obligation is owed to);
  Holds         the clause's condition, its action's `where`, each `against` qualifier, hold;
  Unless        no `unless` exception holds;
  NotReleased   its constitutional processes do not release it (`constitutional` qualifiers);
  Restricted    each restriction an instrument in force puts on the clause holds.
"""

from __future__ import annotations

from obligations.model import core as C
from obligations.syntax import ast as A
from obligations.vocab import HELP_ACTIONS, Event, Role


def clause_steps(instrument: str, item: A.Clause, trigger: Event | None, subject: C.Subject, obj,
                 cond: C.Cond | None, where: C.Cond | None, quals: list[tuple[A.Qualifier, C.Cond | None]],
                 restrictions: list[tuple[A.Restrict, str, C.Cond]]) -> tuple[C.Step, ...]:
    sp = item.span
    out: list[C.Step] = [C.InForce(sp, instrument)]
    starts = [q.date for q, _ in quals if q.mode == "from" and q.date]
    ends = [q.date for q, _ in quals if q.mode == "until" and q.date]
    if starts or ends:
        out.append(C.InEffect(sp, max(starts) if starts else None, min(ends) if ends else None))
    if trigger is not None:
        out.append(C.Trigger(sp, trigger))
    ssp = subject.span or sp
    if subject.kind == "each_party":
        out.append(C.Bound(ssp, instrument, "party"))
    elif subject.kind == "each_author":
        out.append(C.Bound(ssp, instrument, "author"))
    else:
        out.append(C.Bound(ssp, instrument, "named", subject.code))
    for r in subject.excluded:
        out.append(C.NotRole(ssp, r))
    # An obligation to help (not a prohibition: an attacker may well be forbidden to use force).
    if (trigger is not None and trigger.is_attack and item.action.name in HELP_ACTIONS and item.deontic == "must"
            and Role.ATTACKER not in subject.excluded):
        out.append(C.NotRole(ssp, Role.ATTACKER, implied=True))
    out.append(C.NotSuspended(sp, instrument))
    if cond is not None:
        out.append(C.Holds(item.condition.span, cond, "condition"))
    if where is not None:
        out.append(C.Holds(item.action.where.span, where, "where"))
    for q, qc in quals:
        if q.mode == "against":
            out.append(C.Holds(q.span, qc, "against", q.text))
        elif q.mode == "unless":
            out.append(C.Unless(q.span, qc, q.text))
        elif q.mode == "constitutional":
            out.append(C.NotReleased(q.span, instrument, q.text or ""))
    for r, source, rc in restrictions:
        out.append(C.Restricted(r.span, source, r.mode, rc, r.party, r.text))
    return tuple(out)
