"""Parameters -> the application layer's call -> the result that `--json` prints.

A `Server` holds what the command line was given (`--corpus`, `--with`) and a few opened workspaces (drafts,
instruments left out, supposed accessions, the editor's text), and runs one query at a time: Z3 contexts are not
shared between threads, and a local app has one user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from obligations.app import Workspace, usage
from obligations.errors import UsageError
from obligations.scenario import Question, Scenario
from obligations.smt.decision import Limits

DRAFT_NAME = "draft.treaty"
CACHED_WORKSPACES = 8


class Server:
    def __init__(self, corpus: list[str | Path] | None = None, with_: list[str | Path] | None = None,
                 max_file_bytes: int | None = None, limits: Limits = Limits()):
        self.corpus, self.with_, self.max_file_bytes, self.limits = corpus, with_, max_file_bytes, limits
        self.lock = threading.RLock()
        self._workspaces: OrderedDict[tuple, Workspace] = OrderedDict()

    # -- the corpus a request asks about
    def workspace(self, v: dict | None = None) -> Workspace:
        v = v or {}
        drafts = tuple(sorted(set(v.get("draft") or ())))
        without = tuple(sorted(set(v.get("without") or ())))
        join = []
        for spec in v.get("join") or ():
            inst_name, _, state = str(spec).partition(":")
            if not inst_name or not state:
                raise usage(f"join {spec!r}: write INSTRUMENT:STATE, e.g. pato-draft:TWN", "join")
            join.append((inst_name, state))
        text = v.get("text") or None
        key = (drafts, without, tuple(join), hashlib.sha256(text.encode()).hexdigest() if text else None)
        with self.lock:
            ws = self._workspaces.get(key)
            if ws is None:
                ws = Workspace.open(self.corpus, self.with_, drafts, without, join, self.max_file_bytes,
                                    texts={DRAFT_NAME: text} if text else None)
                self._workspaces[key] = ws
                if len(self._workspaces) > CACHED_WORKSPACES:
                    self._workspaces.popitem(last=False)
            else:
                self._workspaces.move_to_end(key)
            return ws

    # -- the queries: each returns what the CLI's --json prints (a result dataclass, or check's dict)
    def run(self, endpoint: str, v: dict):
        with self.lock:
            return getattr(self, "_" + endpoint)(v)

    def _ask(self, v: dict):
        ws = self.workspace(v)
        return ws.ask(scenario(v), question(v), self.limits)

    def _who(self, v: dict):
        ws = self.workspace(v)
        return ws.who(scenario(v), v["action"], self.limits, v["depth"], include_negative=v["all"])

    def _conflicts(self, v: dict):
        return self.workspace(v).conflicts(v["party"], date(v), self.limits, within=v["within"])

    def _eligible(self, v: dict):
        return self.workspace(v).eligible(v["party"], v["instrument"], date(v), self.limits)

    def _graph(self, v: dict):
        from obligations.viz.graph import network

        return network(self.workspace(v), date(v), v["action"], v["party"], v["instrument"], v.get("attacker"),
                       v["event"], self.limits)

    def _cascade(self, v: dict, who_result=None):
        from obligations.viz.graph import cascade

        ws = self.workspace(v)
        r = who_result or ws.who(scenario(v), v.get("action", "assist"), self.limits, v.get("depth", 2))
        return cascade(ws, r, self.limits)

    def _timeline(self, v: dict):
        from obligations.viz.timeline import timeline

        ws = self.workspace({"draft": v.get("draft")})
        return timeline(ws.corpus, v.get("party"), v.get("instrument"), v.get("from"), v.get("to"), ws.drafts)

    def _check(self, v: dict) -> dict:
        """What `obligations check --json FILE` prints for a file holding `text`: its own problems, with the
        corpus's states, places and treaties known."""
        from obligations.diagnostics import has_errors, sort_key
        from obligations.model.load import bundled_corpus_dir, load_texts, read_sources

        diags: list = []
        base = read_sources(self.corpus or [str(bundled_corpus_dir())], diags, self.max_file_bytes or 4 * 1024 * 1024)
        own = {DRAFT_NAME: v["text"]}
        loaded = load_texts({**base, **own})
        diags = sorted(diags + [d for d in loaded.diagnostics if d.span.file in own or d.span.file not in base],
                       key=sort_key)
        return {"ok": not has_errors(diags), "files": 1, "diagnostics": [d.to_json() for d in diags]}


def date(v: dict) -> dt.date:
    return v.get("date") or dt.date.today()


def scenario(v: dict) -> Scenario:
    event = v.get("event", "armed-attack")
    attack = event in ("armed-attack", "threat")
    try:
        return Scenario(event=event, date=date(v), attacker=v.get("attacker"), victim=v.get("victim"),
                        target=v.get("target") if attack else None, place=v.get("place") if attack else None,
                        actor=v.get("actor"), alliance=v.get("alliance"), seller=v.get("seller"))
    except (TypeError, ValueError) as e:  # the parameters are checked first; this is a last guard
        raise UsageError(str(e)) from None


def question(v: dict) -> Question:
    return Question(party=v["party"], action=v["action"], deontic=v["deontic"].replace("-", " "), obj=v.get("object"))
