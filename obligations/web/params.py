"""Every endpoint's parameters: one table for the forms, the parser and the OpenAPI document.

Parameters are named after the fields of a question (`place`, `date`), as the application layer's errors name
them (`UsageError.field`); `option` is the CLI option each mirrors. A repeatable parameter may be given several
times or as a comma-separated list.
"""

from __future__ import annotations

import datetime as dt

from obligations.app import usage
from obligations.diagnostics import closest
from obligations.errors import UsageError
from obligations.record import record
from obligations.vocab import ACTIONS, EVENTS, TARGETS

DEONTICS = ("must", "must-not", "may")
MAX_DRAFT_BYTES = 256 * 1024  # the clause editor's text
MAX_VALUE_CHARS = 200  # any other parameter


@record(frozen=True)
class Param:
    name: str
    help: str
    kind: str = "string"  # string | date | integer | boolean
    enum: tuple[str, ...] | None = None
    repeat: bool = False
    required: bool = False
    default: object = None
    names: str | None = None  # the corpus names it takes (states, places, instruments, drafts): for examples and datalists
    option: str | None = None  # the CLI option it mirrors
    minimum: int | None = None
    maximum: int | None = None


SCENARIO = (
    Param("event", "what happens", enum=EVENTS, default="armed-attack", option="--event"),
    Param("attacker", "who attacks or threatens (a state code, e.g. CHN)", names="states", option="--attacker"),
    Param("victim", "who is attacked or threatened (e.g. JPN)", names="states", option="--victim"),
    Param("target", "what is attacked (default: territory for an armed attack)", enum=TARGETS, option="--target"),
    Param("place", "where: a place (e.g. senkaku-islands) or, for forces, vessels or aircraft, a sea or region; "
                   "default for an attack on territory: the victim's home territory", names="places", option="--at"),
    Param("date", "the date, YYYY-MM-DD (default: today)", kind="date", option="--on"),
    Param("actor", "with event join or purchase: the state that joins or buys", names="states", option="--actor"),
    Param("alliance", "with event join: the instrument joined", names="instruments", option="--alliance"),
    Param("seller", "with event purchase: the state that sells", names="states", option="--seller"),
)
QUESTION = (
    Param("party", "the state asked about (e.g. USA)", required=True, names="states", option="--party"),
    Param("action", "the action asked about", enum=ACTIONS, default="assist", option="--action"),
    Param("deontic", "obliged to (must), obliged not to (must-not), or permitted (may)", enum=DEONTICS,
          default="must", option="--deontic"),
    Param("object", "whom or what the action is toward (default: any)", option="--object"),
)
CORPUS = (
    Param("draft", "read this draft instrument of the corpus as if in force", repeat=True, names="drafts",
          option="--draft"),
    Param("without", "leave this instrument out", repeat=True, names="instruments", option="--without"),
    Param("join", "suppose STATE a party of INSTRUMENT, written INSTRUMENT:STATE (e.g. pato-draft:TWN)", repeat=True,
          option="--join"),
    Param("text", f"clause text of your own (a draft, facts, an interpretive statement), read with the corpus as "
                  f"the file draft.treaty and never stored; a draft in it is read as if in force; at most "
                  f"{MAX_DRAFT_BYTES} bytes", option="--with"),
)
DATE = Param("date", "the date, YYYY-MM-DD (default: today)", kind="date", option="--on")

ENDPOINTS: dict[str, tuple[str, tuple[Param, ...]]] = {
    "ask": ("does a scenario oblige a party to take an action? The verdict, its grounds and the articles quoted",
            SCENARIO + QUESTION + CORPUS),
    "who": ("every state's verdict in a scenario, and the cascade when the obliged act",
            SCENARIO + (Param("action", "the action asked about", enum=ACTIONS, default="assist", option="--action"),
                        Param("depth", "how many steps of cascade to follow", kind="integer", default=2, minimum=0,
                              maximum=6, option="--depth"),
                        Param("all", "list the states that are not obliged too", kind="boolean", default=False,
                              option="--all")) + CORPUS),
    "conflicts": ("can a party's commitments conflict? Witness scenarios, both clauses quoted",
                  (Param("party", "the state whose commitments are checked (e.g. KOR)", required=True, names="states",
                         option="--party"), DATE,
                   Param("within", "also report both-sides conflicts inside one instrument", kind="boolean",
                         default=False, option="--within")) + CORPUS),
    "eligible": ("could a state join an instrument? Accession criteria one by one, and the conflicts joining would "
                 "create",
                 (Param("party", "the candidate state (e.g. VNM)", required=True, names="states", option="--party"),
                  Param("instrument", "the instrument to join (e.g. pato-draft)", required=True, names="instruments",
                        option="--instrument"), DATE) + CORPUS),
    "check": ("check clause text with the bundled corpus: every problem located (what `obligations check --json "
              "FILE` answers for a file with this text)",
              (Param("text", f"the clause text (at most {MAX_DRAFT_BYTES} bytes)", required=True, option="PATH"),)),
    "graph": ("the network of obligations on a date: an edge A -> B when an attack on B obliges A to act",
              (DATE,
               Param("party", "keep the edges to or from this state", repeat=True, names="states", option="--party"),
               Param("instrument", "keep the edges that rest on this instrument", repeat=True, names="instruments",
                     option="--instrument"),
               Param("action", "the action an edge stands for", enum=ACTIONS, default="assist", option="--action"),
               Param("attacker", "who attacks (default: no state named)", names="states", option="--attacker"),
               Param("event", "an armed attack (default) or a threat", enum=("armed-attack", "threat"),
                     default="armed-attack", option="--event")) + CORPUS),
    "timeline": ("memberships, suspensions, designations and force of a party or an instrument on a time axis",
                 (Param("party", "a state's time line (give party or instrument)", names="states", option="--party"),
                  Param("instrument", "an instrument's time line", names="instruments", option="--instrument"),
                  Param("from", "the first year shown", kind="integer", minimum=1, maximum=9998, option="--from"),
                  Param("to", "the last year shown", kind="integer", minimum=1, maximum=9998, option="--to"),
                  Param("draft", "show this draft instrument too", repeat=True, names="drafts", option="--draft"))),
}


class TooLarge(UsageError):
    """A request or a clause text over the limit (413)."""


def bad(message: str, field: str | None) -> UsageError:
    return usage(message, field)


def parse(endpoint: str, raw: list[tuple[str, object]]) -> dict[str, object]:
    """(name, value) pairs, from a query string, a form or a JSON object, checked against the endpoint's table:
    unknown names, values of the wrong kind or out of range, and required parameters missing are refused with
    a message naming the parameter."""
    params = {p.name: p for p in ENDPOINTS[endpoint][1]}
    out: dict[str, object] = {}
    for name, value in raw:
        p = params.get(name)
        if p is None:
            hit = closest(name, params)
            hint = f' (did you mean "{hit[0]}"?)' if hit else f" (known: {', '.join(params)})"
            raise bad(f'unknown parameter "{name}"{hint}', name)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if v is None or (isinstance(v, str) and v.strip() == "" and p.kind != "string"):
                continue
            if isinstance(v, str) and v == "" and p.name != "text":
                continue  # an empty form field is no value
            if p.repeat:
                parts = [x.strip() for x in str(v).split(",") if x.strip()] if isinstance(v, str) else [v]
                out.setdefault(name, [])
                for x in parts:
                    out[name].append(_value(p, x))  # type: ignore[union-attr]
            else:
                if name in out:
                    raise bad(f'"{name}" is given more than once', name)
                out[name] = _value(p, v)
    for p in params.values():
        if p.required and p.name not in out:
            raise bad(f'"{p.name}" is required: {p.help}', p.name)
        if p.name not in out and p.default is not None:
            out[p.name] = p.default
        if p.repeat and p.name not in out:
            out[p.name] = []
    return out


def _value(p: Param, v: object):
    limit = MAX_DRAFT_BYTES if p.name == "text" else MAX_VALUE_CHARS
    if isinstance(v, str) and len(v.encode("utf-8", "surrogatepass")) > limit:
        if p.name == "text":
            e = TooLarge(f"the clause text is {len(v.encode('utf-8', 'surrogatepass'))} bytes, over the limit of {limit}")
            e.field = "text"  # type: ignore[attr-defined]
            raise e
        raise bad(f'"{p.name}" is longer than {limit} characters', p.name)
    if p.kind == "boolean":
        if isinstance(v, bool):
            return v
        s = str(v).strip().lower()
        if s in ("1", "true", "yes", "on"):
            return True
        if s in ("0", "false", "no", "off"):
            return False
        raise bad(f'"{p.name}" is true or false, not {str(v)[:40]!r}', p.name)
    if p.kind == "integer":
        if isinstance(v, bool):
            raise bad(f'"{p.name}" is a whole number, not {v!r}', p.name)
        try:
            n = int(str(v).strip()) if not isinstance(v, int) else v
        except ValueError:
            raise bad(f'"{p.name}" is a whole number, not {str(v)[:40]!r}', p.name) from None
        if (p.minimum is not None and n < p.minimum) or (p.maximum is not None and n > p.maximum):
            raise bad(f'"{p.name}" must be between {p.minimum} and {p.maximum}', p.name)
        return n
    if not isinstance(v, str):
        raise bad(f'"{p.name}" is text, not {type(v).__name__}', p.name)
    if "\x00" in v:
        raise bad(f'"{p.name}" contains a NUL character', p.name)
    if p.kind == "date":
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            raise bad(f"{v.strip()[:40]!r} is not a date (write YYYY-MM-DD, a day that exists)", p.name) from None
    if p.enum is not None:
        s = v.strip()
        if s not in p.enum and p.name == "action":
            from obligations.errors import UnknownName

            e = UnknownName("action", s[:40], p.enum, listing="actions")
            e.field = "action"  # type: ignore[attr-defined]
            raise e
        if s not in p.enum:
            hit = closest(s, p.enum)
            hint = f' (did you mean "{hit[0]}"?)' if hit else f" (one of: {', '.join(p.enum)})"
            raise bad(f'{p.name}: unknown value "{s[:40]}"{hint}', p.name)
        return s
    return v if p.name == "text" else v.strip()
