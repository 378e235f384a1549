"""One exception hierarchy for the engine, the application layer, the API and the CLI.

The CLI maps them to exit codes (cli.py): `UsageError` and its kinds exit 2, `CorpusError` exits 2 for a
query (1 for `check`, which reports rather than raises), anything else is a bug (exit 3). Messages speak of
the question, not of CLI flags: the CLI adds the option names where it knows them.
"""

from __future__ import annotations

from obligations.diagnostics import closest


class ObligationsError(Exception):
    """Anything the engine refuses on purpose."""


class UsageError(ObligationsError, ValueError):
    """Bad input: an unknown identifier, an impossible scenario, an option out of range (exit 2)."""


class UnknownName(UsageError):
    """A name the corpus does not declare; carries the closest known name."""

    def __init__(self, kind: str, name: str, known, listing: str | None = None):
        hits = closest(name, known)
        self.kind, self.name = kind, name
        self.suggestion = hits[0] if hits else None
        plural = {"state": "states", "place": "places", "instrument": "instruments", "action": "actions",
                  "region": "regions", "term": "terms", "place or region": "places"}.get(kind, kind + "s")
        hint = f' (did you mean "{self.suggestion}"?)' if self.suggestion else f" (see `obligations list {listing or plural}`)"
        super().__init__(f'unknown {kind} "{name}"{hint}')


class IllFormedScenario(UsageError):
    """A scenario that cannot happen: a state that does not exist on the date, an attack on a state's territory
    at a place it neither holds nor claims, a state attacking itself."""


class CorpusError(ObligationsError):
    """The clause files have errors; `diagnostics` says which, `texts` holds the sources for the long form."""

    def __init__(self, diagnostics, texts: dict[str, str] | None = None, doing: str = "asking"):
        from obligations.diagnostics import Severity

        errors = [d for d in diagnostics if d.severity == Severity.error]
        super().__init__(f"the clause files have {len(errors)} error(s); fix them (see `obligations check`) before "
                         f"{doing}:\n" + "\n".join(d.short() for d in errors[:10]))
        self.diagnostics = diagnostics
        self.texts = texts or {}
