"""A graph result written out: DOT (Graphviz), GraphML and GEXF (through networkx, the `graph` extra), JSON
(`to_json`, what `--json` prints) and SVG (DOT laid out by Graphviz's `dot`, where it is installed)."""

from __future__ import annotations

import json
import shutil
import subprocess

from obligations.app import usage
from obligations.results import GraphEdge, GraphResult, to_json

COLOR = {"obliged": "#1a7f37", "depends": "#b7791f", "unknown": "#6b46c1", "attack": "#c62828"}
FILL = {"victim": "#fde2e1", "attacker": "#2d3748", "state": "#edf2f7"}
FONT = "Helvetica,Arial,sans-serif"
DOT_TIMEOUT_S = 60


def _q(s: str) -> str:
    """A DOT string: quoted, with quotes and backslashes escaped and lines kept."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def cite(e: GraphEdge) -> str:
    """An edge's label: the articles it rests on (`nato Art. 5`), or the attack."""
    if e.kind == "attack":
        return "attacks" if e.depth == 1 else "attacks forces"
    return ", ".join(f"{g.instrument} Art. {g.article}" for g in e.grounds) or ", ".join(e.instruments)


PALETTE = ("#0072b2", "#009e73", "#d55e00", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b", "#4a5568", "#1a202c")
MAX_LABELLED_EDGES = 40  # past this, a network's edges are told apart by colour (legend) and their tooltips


def instrument_colors(g: GraphResult) -> dict[str, str]:
    """A colour per instrument of a network, in order of first use."""
    out: dict[str, str] = {}
    for e in g.edges:
        for x in e.grounds[:1] or []:
            if x.instrument not in out:
                out[x.instrument] = PALETTE[len(out) % len(PALETTE)]
    return out


def edge_color(g: GraphResult, e: GraphEdge, colors: dict[str, str] | None = None) -> str:
    if e.kind == "attack":
        return COLOR["attack"]
    if g.kind == "network":
        colors = colors if colors is not None else instrument_colors(g)
        return colors.get(e.grounds[0].instrument, "#4a5568") if e.grounds else "#4a5568"
    return COLOR.get(e.verdict or "", "#4a5568")


def _h(s: str) -> str:
    from html import escape

    return escape(str(s), quote=True)


def to_dot(g: GraphResult) -> str:
    network = g.kind == "network"
    colors = instrument_colors(g) if network else {}
    labelled = not network or len(g.edges) <= MAX_LABELLED_EDGES
    if network:
        layout = 'layout=neato, overlap=false, splines=true, sep="+8", '
        rows = [f'<tr><td align="left"><font point-size="13">{_h(_title(g))}</font></td></tr>']
        keys = " &#160; ".join(f'<font color="{c}">&#9473;&#9473; {_h(i)}</font>' for i, c in colors.items())
        if keys:
            rows.append(f'<tr><td align="left">{keys} &#160; (dashed: depends)</td></tr>')
        label = f"<<table border=\"0\" cellspacing=\"2\">{''.join(rows)}</table>>"
    else:
        layout = "rankdir=RL, nodesep=0.3, ranksep=0.9, "
        label = _q(_title(g))
    out = ["digraph obligations {",
           f'  graph [{layout}fontname={_q(FONT)}, fontsize=11, labelloc=t, labeljust=l, label={label}, '
           f'tooltip={_q(g.scope)}, bgcolor="white", pad=0.2];',
           f'  node [shape=box, style="rounded,filled", fontname={_q(FONT)}, fontsize=11, color="#4a5568", '
           f'fillcolor="{FILL["state"]}", margin="0.12,0.06"];',
           f'  edge [fontname={_q(FONT)}, fontsize=9, arrowsize=0.7];']
    for n in g.nodes:
        fill = FILL.get(n.role, FILL["state"])
        font = "white" if n.role == "attacker" else "#1a202c"
        label = f"{n.id}\n{n.name}" if n.name and n.name != n.id else n.id
        tip = n.name + (f" ({n.role})" if n.role != "state" else "")
        out.append(f'  {_q(n.id)} [label={_q(label)}, fillcolor="{fill}", fontcolor="{font}", tooltip={_q(tip)}, '
                   f'id={_q("node-" + n.id)}];')
    if not network:
        # One rank per step: the victim and the attacker first, then each step's helpers.
        depths: dict[int, list[str]] = {}
        for n in g.nodes:
            depths.setdefault(n.depth or 0, []).append(n.id)
        for d in sorted(depths):
            out.append("  { rank=same; " + " ".join(_q(x) for x in depths[d]) + " }")
    for i, e in enumerate(g.edges):
        color = edge_color(g, e, colors)
        style = "dashed" if e.kind == "attack" or e.verdict == "depends" else "solid"
        tip = e.summary if e.kind == "attack" else f"{e.source} → {e.target}: {e.verdict} to {e.action} ({cite(e)})"
        attrs = [f"label={_q(cite(e))}" if labelled else f"labeltooltip={_q(cite(e))}", f'color="{color}"',
                 f'fontcolor="{color}"', f"style={style}", f"tooltip={_q(tip)}", f"id={_q(f'edge-{i}')}"]
        if e.kind == "attack" and not network:
            attrs.append("constraint=false")
        out.append(f"  {_q(e.source)} -> {_q(e.target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _title(g: GraphResult) -> str:
    if g.kind == "cascade":
        from obligations import explain as X

        return f"{X.describe_scenario(g.scenario)}: who must {g.action}" if g.scenario else g.scope
    filt = []
    if g.parties:
        filt.append("touching " + ", ".join(g.parties))
    if g.instruments:
        filt.append("under " + ", ".join(g.instruments))
    by = f", attacker {g.attacker}" if g.attacker else ""
    return f"Who must {g.action} whom, {g.date}{by}" + (f" ({'; '.join(filt)})" if filt else "")


def to_networkx(g: GraphResult):
    try:
        import networkx as nx
    except ImportError:
        raise usage("GraphML and GEXF are written with networkx, which is not installed: "
                    "pip install 'obligations[graph]' (or use --format dot, json or svg)", "format") from None
    G = nx.MultiDiGraph(kind=g.kind, date=g.date.isoformat(), action=g.action, event=g.event, scope=g.scope)
    for n in g.nodes:
        attrs = {"name": n.name, "role": n.role}
        if n.depth is not None:
            attrs["depth"] = n.depth
        G.add_node(n.id, **attrs)
    for i, e in enumerate(g.edges):
        attrs = {"kind": e.kind, "action": e.action, "label": cite(e), "summary": e.summary,
                 "instruments": "; ".join(e.instruments),
                 "articles": "; ".join(f"{x.instrument} Art. {x.article} [{x.location}]" for x in e.grounds),
                 "hinges": "; ".join(e.hinges)}
        if e.verdict is not None:
            attrs["verdict"] = e.verdict
        if e.depth is not None:
            attrs["depth"] = e.depth
        if e.scenario:
            attrs["scenario"] = e.scenario
        G.add_edge(e.source, e.target, key=i, **attrs)
    return G


def svg(dot_text: str) -> str:
    """DOT laid out as SVG by Graphviz's `dot`."""
    exe = shutil.which("dot")
    if exe is None:
        raise usage("SVG is drawn by Graphviz's `dot`, which is not installed: install the package graphviz "
                    "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz), or use --format dot",
                    "format")
    try:
        r = subprocess.run([exe, "-Tsvg"], input=dot_text, capture_output=True, text=True, timeout=DOT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise usage(f"Graphviz's dot took more than {DOT_TIMEOUT_S} s to lay out the graph: narrow it with "
                    f"--party or --instrument, or use --format dot", "format") from None
    if r.returncode != 0:
        raise usage(f"Graphviz's dot failed: {r.stderr.strip()[:500]}", "format")
    return r.stdout


def render(g: GraphResult, fmt: str) -> str:
    if fmt == "dot":
        return to_dot(g)
    if fmt == "json":
        return json.dumps(to_json(g), indent=2, ensure_ascii=False) + "\n"
    if fmt == "svg":
        return svg(to_dot(g))
    if fmt in ("graphml", "gexf"):
        import networkx as nx

        G = to_networkx(g)
        lines = nx.generate_graphml(G) if fmt == "graphml" else nx.generate_gexf(G)
        return "\n".join(lines) + "\n"
    raise usage(f"unknown format {fmt!r}", "format")


def inline_svg(svg_text: str) -> str:
    """An SVG document as an element to put in a page: without its XML declaration and doctype."""
    i = svg_text.find("<svg")
    return svg_text[i:] if i >= 0 else svg_text
