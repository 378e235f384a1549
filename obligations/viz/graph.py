"""Graphs of obligations: the network on a date (`network`) and a scenario's cascade (`cascade`).

The network asks, for every state that exists on the date, about an armed attack on its home territory (the
application layer's `Workspace.scenario` fills in the place, as `ask` and `who` do), and draws an edge A → B
for every state A that `who` finds obliged (or, depending on open terms, perhaps obliged) to take the action
for B. Each edge carries the clauses its verdict rests on: for `obliged`, the clauses that oblige by
themselves (or, when only their combination does, every clause that may apply); for `depends`, every clause
that may apply. The cascade is `who`'s own cascade, drawn.
"""

from __future__ import annotations

import datetime as dt

from obligations import explain as X
from obligations.app import Workspace, usage
from obligations.errors import UnknownName, UsageError
from obligations.results import (EdgeGround, GraphArticle, GraphEdge, GraphNode, GraphResult, WhoEntry, WhoResult)
from obligations.scenario import Question, Scenario
from obligations.smt.decision import Limits
from obligations.vocab import ACTIONS, Event

FORMATS = ("dot", "graphml", "gexf", "json", "svg")


def _action(action: str) -> None:
    if action not in ACTIONS:
        e = UnknownName("action", action, ACTIONS, listing="actions (see --help)")
        e.field = "action"  # type: ignore[attr-defined]
        raise e


class _Grounds:
    """The clauses an edge rests on, from the encoding of the question `who` decided."""

    def __init__(self, ws: Workspace, date: dt.date, limits: Limits):
        from obligations.smt.encode import Encoder

        self.ws, self.limits = ws, limits
        self.enc = Encoder(ws.corpus, date, ws.drafts)
        self.articles: dict[tuple[str, str], GraphArticle] = {}

    def __call__(self, s: Scenario, party: str, action: str, verdict: str) -> list[EdgeGround]:
        from obligations.smt.encode import SymScenario
        from obligations.smt.solver import decide

        enc = self.enc
        e = enc.question(Question(party=party, action=action), SymScenario.of(s))
        decided = []
        for cl, f in e.parts:
            v = ("valid" if f else "unsat") if isinstance(f, bool) else \
                decide(f, enc.background(), enc.ctx, self.limits, find_hinges=False).verdict
            decided.append((cl, v))
        chosen = [cl for cl, v in decided if v == "valid"] if verdict == "obliged" else []
        chosen = chosen or [cl for cl, v in decided if v != "unsat"]
        out, seen = [], set()
        for cl in chosen:
            if (cl.instrument, cl.article) in seen:
                continue
            seen.add((cl.instrument, cl.article))
            out.append(EdgeGround(instrument=cl.instrument, article=cl.article, heading=cl.heading, clause=cl.id,
                                  location=str(cl.span)))
            self.articles.setdefault((cl.instrument, cl.article), GraphArticle(
                instrument=cl.instrument, article=cl.article, heading=f"Article {cl.article}", text=cl.article_text,
                location=str(cl.span)))
        return out

    def cited(self) -> list[GraphArticle]:
        return [self.articles[k] for k in sorted(self.articles)]

    def entries(self, s: Scenario, action: str) -> list[WhoEntry]:
        from obligations.query.who import entries

        return entries(self.ws.corpus, s, action, self.ws.drafts, self.limits, include_negative=False, enc=self.enc)


def _edge(g: _Grounds, s: Scenario, e: WhoEntry, action: str, depth: int | None = None) -> GraphEdge:
    return GraphEdge(source=e.party, target=s.victim, kind="obligation", action=action, verdict=e.verdict,
                     summary=e.summary, instruments=list(e.instruments), grounds=g(s, e.party, action, e.verdict),
                     hinges=list(e.hinges), depth=depth, scenario=X.describe_scenario(s))


def _node(ws: Workspace, code: str, role: str = "state", depth: int | None = None) -> GraphNode:
    st = ws.corpus.states.get(code)
    return GraphNode(id=code, name=st.name if st else code, role=role, depth=depth)


def network(ws: Workspace, date: dt.date, action: str = "assist", parties: list[str] = (), instruments: list[str] = (),
            attacker: str | None = None, event: str = "armed-attack", limits: Limits = Limits()) -> GraphResult:
    """The network of obligations on `date`: an edge A → B when an armed attack (or threat) on B's home
    territory obliges A (or may: `depends`) to take `action`. `parties` keeps the edges that touch one of them,
    `instruments` those that rest on one of them; `attacker` names who attacks (by default nobody is named,
    and clauses that turn on who attacks do not apply)."""
    c = ws.corpus
    _action(action)
    if event not in (Event.ARMED_ATTACK, Event.THREAT):
        raise usage(f"the network is drawn for an armed attack or a threat, not {event!r}", "event")
    for p in parties:
        if p not in c.states:
            e = UnknownName("state", p, c.states)
            e.field = "party"  # type: ignore[attr-defined]
            raise e
    for i in instruments:
        if i not in c.instruments:
            e = UnknownName("instrument", i, c.instruments)
            e.field = "instrument"  # type: ignore[attr-defined]
            raise e
    if attacker is not None:
        ws.state_on(attacker, date, "attacker")
    g = _Grounds(ws, date, limits)
    edges: list[GraphEdge] = []
    not_asked: list[str] = []
    unknown: list[str] = []
    keep_p, keep_i = set(parties), set(instruments)
    for v in sorted(code for code in c.states if c.state_exists(code, date)):
        if v == attacker:
            continue
        try:
            s, _ = ws.scenario(Scenario(event=event, date=date, attacker=attacker, victim=v))
        except UsageError as e:
            not_asked.append(f"{v}: {e}")
            continue
        for e in g.entries(s, action):
            if e.party == v:
                continue  # the victim's own obligations toward itself are not edges
            if e.verdict == "unknown":
                unknown.append(f"{e.party} toward {v}: {e.summary}")
                continue
            if keep_p and not ({e.party, v} & keep_p):
                continue
            edge = _edge(g, s, e, action)
            if keep_i and not any(gr.instrument in keep_i for gr in edge.grounds):
                continue
            edges.append(edge)
    codes = sorted({x for e in edges for x in (e.source, e.target)} | keep_p)
    by = f"by {attacker}" if attacker else "by no state named (clauses that turn on who attacks do not apply)"
    what = "an armed attack" if event == Event.ARMED_ATTACK else "a threat"
    scope = (f"for each state that exists on {date} and has territory in the corpus, {what} {by} on its home "
             f"territory; an edge A → B when A is obliged (or, for depends, obliged under some readings of open "
             f"terms) to {action} in that scenario")
    cited = {(gr.instrument, gr.article) for e in edges for gr in e.grounds}
    return GraphResult(kind="network", date=date, action=action, event=str(event), nodes=[_node(ws, x) for x in codes],
                       edges=edges, articles=[a for a in g.cited() if (a.instrument, a.article) in cited], scope=scope,
                       attacker=attacker, parties=sorted(keep_p), instruments=sorted(keep_i), drafts=sorted(ws.drafts),
                       not_asked=not_asked, unknown=unknown)


def cascade(ws: Workspace, r: WhoResult, limits: Limits = Limits()) -> GraphResult:
    """`who`'s answer drawn: the attack, the states obliged at the first step, and at each further step the
    attack on the acting states' forces and who it brings in."""
    s = r.scenario
    g = _Grounds(ws, s.date, limits)
    nodes: dict[str, GraphNode] = {}
    edges: list[GraphEdge] = []
    unknown: list[str] = []

    def node(code: str | None, role: str, depth: int) -> None:
        if code is not None and code not in nodes:
            nodes[code] = _node(ws, code, role, depth)

    node(s.victim, "victim", 0)
    node(s.attacker, "attacker", 0)
    if s.attacker and s.victim:
        edges.append(GraphEdge(source=s.attacker, target=s.victim, kind="attack", action=str(s.event), depth=1,
                               scenario=X.describe_scenario(s), summary=X.describe_scenario(s)))

    def add(step_s: Scenario, es: list[WhoEntry], depth: int) -> None:
        for e in es:
            if e.verdict == "not_obliged":
                continue
            if e.verdict == "unknown":
                unknown.append(f"{e.party} toward {step_s.victim}: {e.summary}")
                continue
            node(e.party, "state", depth)
            edges.append(_edge(g, step_s, e, r.action, depth))

    add(s, r.entries, 1)

    def walk(steps, depth: int) -> None:
        for st in steps:
            if s.attacker:
                edges.append(GraphEdge(source=s.attacker, target=st.party, kind="attack", action=str(st.scenario.event),
                                       depth=depth, scenario=X.describe_scenario(st.scenario),
                                       summary=X.describe_scenario(st.scenario)))
            add(st.scenario, st.obliged, depth)
            walk(st.then, depth + 1)

    walk(r.cascade, 2)
    scope = (f"{X.describe_scenario(s)}: who is obliged to {r.action} at the first step, and, to depth "
             f"{r.cascade_depth}, who an attack on the acting states' armed forces at {s.place} brings in")
    cited = {(gr.instrument, gr.article) for e in edges for gr in e.grounds}
    return GraphResult(kind="cascade", date=s.date, action=r.action, event=str(s.event), nodes=list(nodes.values()),
                       edges=edges, articles=[a for a in g.cited() if (a.instrument, a.article) in cited], scope=scope,
                       attacker=s.attacker, scenario=s, drafts=list(r.drafts), unknown=unknown,
                       assumptions=list(r.assumptions))
