"""The application layer: what the CLI and the Python API share.

A `Workspace` is a checked corpus opened the way a user asks for it — the bundled corpus (or another), the
user's own files on top (`with_`), drafts read as if in force, instruments left out (`without`), supposed
accessions (`join`) — and the questions asked of it, each checked first: every name is known (else the closest
known name), every state exists on the date, and the scenario can happen (nobody attacks itself; a state's
territory is attacked where it holds or claims it). What the question leaves unsaid and the engine assumes is
returned with the answer.

Messages speak of the question's fields; `UsageError.field` says which, and the CLI names its option.
"""

from __future__ import annotations

import datetime as dt

from obligations.errors import CorpusError, IllFormedScenario, UnknownName, UsageError
from obligations.model.core import Corpus
from obligations.record import record
from obligations.scenario import Question, Scenario
from obligations.smt.decision import Limits
from obligations.vocab import ACTIONS, Event, Target

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (as type checkers read it)
if TYPE_CHECKING:  # pathlib is imported where a Path is made: not by a query from the shell
    from pathlib import Path


def usage(message: str, field: str | None = None) -> UsageError:
    e = UsageError(message)
    e.field = field  # type: ignore[attr-defined]
    return e


@record
class Workspace:
    corpus: Corpus
    drafts: frozenset[str]
    texts: dict[str, str]
    user_files: frozenset[str] = frozenset()  # the files the user added on top of the corpus
    warnings: tuple[str, ...] = ()
    # Set when only the part of the corpus one question reaches was read: opens the whole corpus, for a
    # question that turns out to range over every instrument (obligations/model/pack.py).
    whole: object = None

    # -- opening
    @classmethod
    def open(cls, corpus: list[str | Path] | None = None, with_: list[str | Path] | None = None,
             drafts: list[str] | set[str] | frozenset[str] = (), without: list[str] | set[str] = (),
             join: list[tuple[str, str]] = (), max_file_bytes: int | None = None,
             assume: list[str] = (), texts: dict[str, str] | None = None,
             max_corpus_bytes: int | None = None, focus=None) -> "Workspace":
        """The corpus a query runs on: the bundled one (or `corpus`), plus the user's own files, with `drafts`
        read as if in force, `without` left out, each (instrument, state) of `join` supposed a party, and each
        reading of `assume` (`TERM(ARGS)=READING`, e.g. `in(south-china-sea, pacific-area)=outside`) posed.
        `texts`: more of the user's files given as text (name -> source), read like `with_` but never written
        anywhere, not even to the cache (the web app's clause editor). `focus` (obligations/model/pack.py: the
        states and instruments one question names) lets a packed corpus be read only as far as that question
        can reach; the answers to that question are the same."""
        from obligations.model.load import (DEFAULT_MAX_CORPUS_BYTES, DEFAULT_MAX_FILE_BYTES, bundled_corpus_dir,
                                            display_names, load_corpus)

        from obligations.fsio import path_list

        # One path is a list of one (never walked character by character); anything else is a TypeError.
        corpus = path_list(corpus, "Workspace.open(corpus=...)")
        with_ = [str(p) for p in (path_list(with_, "Workspace.open(with_=...)") or [])]
        drafts = [drafts] if isinstance(drafts, str) else drafts
        without = [without] if isinstance(without, str) else without
        assume = [assume] if isinstance(assume, str) else assume
        if focus is not None:
            if join or texts:  # a supposed accession changes what other instruments' conditions cover
                focus = None
            else:
                from obligations.record import replace

                focus = replace(focus, instruments=focus.instruments | set(drafts) | set(without))
        loaded = load_corpus(corpus, with_, max_file_bytes or DEFAULT_MAX_FILE_BYTES,
                             max_corpus_bytes or DEFAULT_MAX_CORPUS_BYTES, focus=focus)

        def whole() -> "Workspace":
            return cls.open(corpus, with_, drafts, without, join, max_file_bytes, assume, texts, max_corpus_bytes)

        if loaded.partial and not focus.instruments <= loaded.corpus.instruments.keys():
            return whole()  # a name that is not there: the message suggests from every instrument
        if texts and loaded.ok:
            from obligations.model.load import load_texts

            loaded = load_texts({**loaded.texts, **texts})  # uncached: the user's text stays in memory
        if not loaded.ok:
            raise CorpusError(loaded.diagnostics, loaded.texts)
        c = loaded.corpus
        user = frozenset()
        if with_ or texts:
            base = set(display_names(list(corpus) if corpus else [bundled_corpus_dir()]))
            user = frozenset(set(loaded.texts) - base)
        for name in without:
            if name not in c.instruments:
                raise UnknownName("instrument", name, c.instruments)
        if without:
            from obligations.model.filter import without as drop

            c = drop(c, set(without))
        for inst_name, state in join:
            if inst_name not in c.instruments:
                raise UnknownName("instrument", inst_name, c.instruments)
            if state not in c.states:
                raise UnknownName("state", state, c.states)
            from obligations.query.eligible import with_member

            c = with_member(c, inst_name, state, None)
        if assume:
            c = c.copy()
            c.facts = [_assumed(c, a) for a in assume] + c.facts
        ds = set()
        for d in drafts:
            if d not in c.instruments:
                from obligations.diagnostics import closest

                known_drafts = [n for n, i in c.instruments.items() if i.draft]
                raise UnknownName("draft", d, known_drafts if closest(d, known_drafts) else c.instruments,
                                  listing="instruments")
            if not c.instruments[d].draft:
                raise usage(f"{d} is not a draft (it is in force on its own dates); only drafts are read as if in force",
                            "draft")
            ds.add(d)
        # A draft the user adds on top of the corpus is what they want to ask about.
        warnings = []
        mine = [i for i in c.instruments.values() if i.draft and i.span.file in user]
        ds |= {i.name for i in mine}
        # Two versions of one draft read together: the same title once a version mark is taken off
        # ("... (working draft 2)", "pato-draft-2", "-v3").
        import re

        versions: dict[str, list[str]] = {}
        for i in mine:
            title = re.sub(r"\s*\((?:[^()]*\b(?:draft|version|revision|text)\b[^()]*)\)\s*$", "", i.title, flags=re.I)
            versions.setdefault(title.strip().lower(), []).append(i.name)
        for t, names in versions.items():
            if len(names) > 1:
                warnings.append(f"{', '.join(sorted(names))} look like versions of one draft (one title): both are read "
                                f"as if in force; add only one with --with FILE, or compare them with `diff`")
        return cls(c, frozenset(ds), loaded.texts, user, tuple(warnings), whole if loaded.partial else None)

    # -- checking questions
    def require(self, kind: str, name: str) -> None:
        known = {"state": self.corpus.states, "instrument": self.corpus.instruments}[kind]
        if name not in known:
            raise UnknownName(kind, name, known)

    def state_on(self, code: str, d: dt.date, field: str) -> None:
        c = self.corpus
        if code not in c.states:
            e = UnknownName("state", code, c.states)
            e.field = field  # type: ignore[attr-defined]
            raise e
        if not c.state_exists(code, d):
            st = c.states[code]
            raise usage(f"{code} ({st.name}) does not exist on {d}: it exists {st.exists.describe()}", field)

    def scenario(self, s: Scenario) -> tuple[Scenario, list[str]]:
        """The scenario checked, with what was assumed: (scenario, assumptions). Raises UsageError (an unknown
        name) or IllFormedScenario (an event that cannot happen)."""
        c = self.corpus
        assumed: list[str] = []
        for field in ("attacker", "victim", "actor", "seller"):
            v = getattr(s, field)
            if v is not None:
                self.state_on(v, s.date, field)
        if s.alliance is not None and s.alliance not in c.instruments:
            e = UnknownName("instrument", s.alliance, c.instruments)
            e.field = "alliance"  # type: ignore[attr-defined]
            raise e
        if s.place is not None and c.area(s.place) is None:
            e = UnknownName("place or region", s.place, list(c.places) + list(c.regions), listing="places")
            e.field = "place"  # type: ignore[attr-defined]
            raise e
        if s.event.is_attack:
            if s.victim is None:
                raise usage(f"{'an armed attack' if s.event is Event.ARMED_ATTACK else 'a threat'} needs a victim", "victim")
            if s.attacker is not None and s.attacker == s.victim:
                raise IllFormedScenario(f"the attacker and the victim are both {s.attacker}: a state does not attack itself")
            target = s.target or Target.TERRITORY  # the documented default: an attack on the victim's territory
            if target is not s.target:
                s = s.replace(target=target)
            if s.place is None:
                if target is Target.TERRITORY:
                    home = self.home(s.victim, s.date)
                    if home is None:
                        raise usage(f"{s.victim} has no territory in the corpus on {s.date}: name the place attacked", "place")
                    s = s.replace(place=home)
                    p = c.places[home]
                    assumed.append(f"the attack is on {s.victim}'s home territory, {home} ({p.title}), since no place was given")
                else:
                    raise usage(f"an attack on {s.victim}'s {target.replace('-', ' ')} needs the place where it happens "
                                f"(a place or a sea, e.g. south-china-sea)", "place")
            if target is Target.TERRITORY:
                self._territory_attack(s)
        elif s.event is Event.JOIN:
            if s.actor is None:
                raise usage("a joining needs the state that joins", "actor")
            if s.alliance is None:
                raise usage("a joining needs the instrument joined", "alliance")
        elif s.event is Event.PURCHASE:
            if s.actor is None:
                raise usage("a purchase needs the state that buys", "actor")
            if s.seller is not None and s.seller == s.actor:
                raise IllFormedScenario(f"{s.actor} cannot buy from itself")
        return s, assumed

    def _territory_attack(self, s: Scenario) -> None:
        from obligations.model.core import holders

        c = self.corpus
        if s.place in c.regions:
            raise IllFormedScenario(
                f"{s.place} is a region ({c.regions[s.place].title}), not {s.victim}'s territory: an attack there is on "
                f"armed forces, public vessels or aircraft (give the target), or name the place of {s.victim}'s territory")
        if s.victim not in holders(c, s.place, s.date):
            p = c.places[s.place]
            who = sorted(holders(c, s.place, s.date))
            held = f"it is held or claimed by {', '.join(who)}" if who else "nobody holds or claims it then"
            home = self.home(s.victim, s.date)
            hint = f" (its home territory is {home})" if home else ""
            raise IllFormedScenario(
                f"{s.place} ({p.title}) is not {s.victim}'s territory on {s.date}: {held}; an attack on {s.victim}'s "
                f"territory happens where {s.victim} holds, administers or claims territory{hint}")

    def home(self, state: str, d: dt.date) -> str | None:
        """The state's home territory on the date: a metropolitan place it holds, else any place it holds."""
        c = self.corpus
        held = [p for p in c.places.values() if state in p.sovereign_on(d) or state in p.administrators_on(d)]
        if not held:
            return None
        held.sort(key=lambda p: (not p.metropolitan, not p.name.endswith("-home"), p.name))
        return held[0].name

    def question(self, q: Question, s: Scenario | None = None) -> None:
        c = self.corpus
        if q.party not in c.states:
            e = UnknownName("state", q.party, c.states)
            e.field = "party"  # type: ignore[attr-defined]
            raise e
        if s is not None:
            self.state_on(q.party, s.date, "party")
        if q.action not in ACTIONS:
            e = UnknownName("action", q.action, ACTIONS, listing="actions (see --help)")
            e.field = "action"  # type: ignore[attr-defined]
            raise e
        if q.obj is not None and q.obj.isupper() and q.obj not in c.states:
            e = UnknownName("state", q.obj, c.states)
            e.field = "object"  # type: ignore[attr-defined]
            raise e
        if s is not None and s.event.is_attack and q.party == s.victim and q.action == "assist":
            raise IllFormedScenario(f"{q.party} is the victim: it does not assist itself; ask whether it must "
                                    f"meet-common-danger or use-armed-force (its own defence), or ask about another party")

    # -- the questions
    def ask(self, s: Scenario, q: Question, limits: Limits = Limits(), encoder=None, explain: bool = True):
        from obligations.query.ask import ask

        s, assumed = self.scenario(s)
        self.question(q, s)
        return ask(self.corpus, s, q, self.drafts, limits, encoder=encoder, explain=explain, assumptions=assumed)

    def who(self, s: Scenario, action: str = "assist", limits: Limits = Limits(), depth: int = 2,
            include_negative: bool = False):
        from obligations.query.who import MAX_CASCADE_DEPTH, who

        if action not in ACTIONS:
            e = UnknownName("action", action, ACTIONS, listing="actions (see --help)")
            e.field = "action"  # type: ignore[attr-defined]
            raise e
        if not 0 <= depth <= MAX_CASCADE_DEPTH:
            raise usage(f"the cascade depth must be between 0 and {MAX_CASCADE_DEPTH}", "depth")
        if self.whole is not None and (depth > 0 or include_negative):
            # A cascade asks about the victims' protectors in turn; --all lists every bound state.
            return self.whole().who(s, action, limits, depth, include_negative)
        s, assumed = self.scenario(s)
        return who(self.corpus, s, action, self.drafts, limits, depth, include_negative=include_negative, assumptions=assumed)

    def conflicts(self, party: str, date: dt.date, limits: Limits = Limits(), within: bool = False, witnesses: int = 1):
        from obligations.query.conflicts import conflicts

        self.state_on(party, date, "party")
        if self.whole is not None and _ranges_over_instruments(self.corpus):
            # A joining (or a condition on an alliance) is searched over every instrument as the alliance.
            return self.whole().conflicts(party, date, limits, within, witnesses)
        return conflicts(self.corpus, party, date, self.drafts, limits, within=within, witnesses=witnesses)

    def eligible(self, candidate: str, instrument: str, date: dt.date, limits: Limits = Limits()):
        from obligations.query.eligible import eligible

        self.state_on(candidate, date, "party")
        self.require("instrument", instrument)
        return eligible(self.corpus, candidate, instrument, date, self.drafts, limits)


def _ranges_over_instruments(c: Corpus) -> bool:
    from obligations.model import core as C
    from obligations.vocab import Event

    for cl in c.clauses:
        if cl.trigger in (Event.JOIN, Event.PURCHASE):
            return True
        for st in cl.steps:
            cond = getattr(st, "cond", None)
            if cond is not None and any(isinstance(n, C.ALLIANCE_ATOMS) for n in C.walk(cond, into_definitions=True)):
                return True
    return False


def open_files(paths: list[str | Path], base: list[str | Path] | None = None, max_file_bytes: int | None = None,
               alone: bool = False, max_corpus_bytes: int | None = None):
    """A user's clause files read with a corpus (the bundled one by default; none with `alone`), for `check`,
    `prove` and `fmt`: (loaded, the display names of the user's files)."""
    from obligations.model.load import (DEFAULT_MAX_CORPUS_BYTES, DEFAULT_MAX_FILE_BYTES, bundled_corpus_dir,
                                        display_names, load_paths)

    limit = max_file_bytes or DEFAULT_MAX_FILE_BYTES
    own = display_names(paths)
    if alone:
        return load_paths(list(paths), limit, max_corpus_bytes or DEFAULT_MAX_CORPUS_BYTES), own
    corpus = list(base) if base else [bundled_corpus_dir()]
    # A file that is already part of the corpus is read once (paths are de-duplicated when expanded).
    return load_paths(corpus + list(paths), limit, max_corpus_bytes or DEFAULT_MAX_CORPUS_BYTES), own


def _assumed(c: Corpus, spec: str):
    """`TERM(ARGS)=READING` as a fact that outranks every other: the user poses a reading of an open term."""
    import re

    from obligations.explain import describe_term
    from obligations.model.core import ALWAYS, Fact
    from obligations.model.resolve import BUILTIN_FACTS
    from obligations.source import Span

    m = re.fullmatch(r"\s*([a-z][a-z0-9-]*)\s*\(([^()]*)\)\s*=\s*(.+?)\s*", spec)
    if not m:
        raise usage(f"--assume {spec!r}: write TERM(ARGS)=READING, e.g. in(south-china-sea, pacific-area)=outside "
                    f"or communist(IND)=no", "assume")
    term, rawargs, label = m.groups()
    args = tuple(a.strip() for a in rawargs.split(",") if a.strip())
    if term in BUILTIN_FACTS:
        kinds = BUILTIN_FACTS[term]
    elif term in c.terms:
        kinds = () if c.terms[term].arg is None else (c.terms[term].arg,)
    else:
        raise UnknownName("term", term, list(c.terms) + list(BUILTIN_FACTS), listing="terms")
    if len(args) != len(kinds):
        raise usage(f"--assume {spec!r}: {term} takes {len(kinds)} argument(s) ({', '.join(kinds) or 'none'})", "assume")
    known = {"state": c.states, "place": c.places, "region": c.regions, "instrument": c.instruments,
             "area": {**c.places, **c.regions}}
    for a, k in zip(args, kinds):
        if a not in known[k]:
            raise UnknownName({"area": "place or region"}.get(k, k), a, known[k])
    hinge, values = describe_term(c, term, args)
    by_label = {v.lower(): k for k, v in values.items()}
    plain = {"true": True, "yes": True, "false": False, "no": False}
    if label.lower() in by_label:
        value = by_label[label.lower()]
    elif label.lower() in plain:
        value = plain[label.lower()]
    else:
        options = ", ".join(f'"{v}"' for v in values.values())
        raise usage(f"--assume {spec!r}: no reading \"{label}\" of {hinge.term}; its readings are {options} "
                    f"(or true/false)", "assume")
    return Fact(negated=not value, term=term, args=args, interval=ALWAYS, span=Span.point("--assume"),
                grounds=f"posed by the user (--assume {term}({', '.join(args)})={values.get(value, label)})",
                instrument=None, assumed=True, reading=True)
