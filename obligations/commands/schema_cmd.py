"""`obligations schema [COMMAND]`: the JSON Schema of every command's --json output."""

from __future__ import annotations

import argparse

from obligations.commands.common import Command, dump_json


def schemas() -> dict:
    from obligations.query.results import AskResult, ConflictsResult, EligibleResult, WhoResult
    from obligations.diagnostics import Diagnostic

    diag = Diagnostic.model_json_schema()
    return {
        "ask": AskResult.model_json_schema(),
        "who": WhoResult.model_json_schema(),
        "conflicts": ConflictsResult.model_json_schema(),
        "eligible": EligibleResult.model_json_schema(),
        "check": {"type": "object", "required": ["ok", "files", "diagnostics"],
                  "properties": {"ok": {"type": "boolean"}, "files": {"type": "integer"},
                                 "diagnostics": {"type": "array", "items": diag}}},
    }


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("command_name", nargs="?", metavar="COMMAND", help="one command's schema (default: all)")


def run(a: argparse.Namespace) -> int:
    from obligations.cli import UsageError

    s = schemas()
    if a.command_name:
        if a.command_name not in s:
            raise UsageError(f"no schema for {a.command_name!r}; one of: {', '.join(s)}")
        dump_json(s[a.command_name])
    else:
        dump_json({"$schema": "https://json-schema.org/draft/2020-12/schema", "commands": s})
    return 0


SPEC = Command(
    name="schema",
    help="print the JSON Schema of the --json output",
    description="Print the JSON Schema that each command's --json output validates against.",
    examples="  obligations schema\n  obligations schema ask",
    configure=configure,
    run=run,
)
