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
        "import": _IMPORT,
        "compare-atop": _COMPARE,
    }


_INT, _STR = {"type": "integer"}, {"type": "string"}
_STRS = {"type": "array", "items": _STR}
_IMPORT = {"type": "object", "required": ["out", "files", "alliances", "instruments", "clauses", "skipped", "other_files"],
           "properties": {"out": _STR, "files": _INT, "alliances": _INT, "instruments": _INT, "clauses": _INT,
                          "skipped": _STRS, "other_files": _STRS}}
_RUN = {"type": "object",
        "required": ["a", "b", "ccode1", "ccode2", "obligation", "years", "engine", "atop", "cause", "reason", "verdict", "note"],
        "properties": {"a": _STR, "b": _STR, "ccode1": _INT, "ccode2": _INT,
                       "obligation": {"enum": ["defense", "offense", "neutral", "nonagg", "consul", "row"]},
                       "years": {"type": "array", "items": _INT}, "engine": _INT, "atop": _INT, "cause": _STR,
                       "reason": _STR, "verdict": {"enum": ["engine", "ATOP", "unclear", "codes", "not reviewed"]},
                       "note": _STR}}
_COMPARE = {"type": "object", "required": ["first", "last", "stats", "missing_codes", "alliances"],
            "properties": {"first": _INT, "last": _INT, "stats": {"type": "object"}, "missing_codes": _STRS,
                           "alliances": {"type": "array", "items": {
                               "type": "object",
                               "required": ["atop", "instruments", "cells", "both", "engine_only", "atop_only", "runs"],
                               "properties": {"atop": _INT, "instruments": _STRS,
                                              "cells": {"type": "object", "description": "obligation -> [cells that agree, "
                                                        "cells, cells where both code 1, cells where either codes 1]"},
                                              "both": _INT, "engine_only": _INT, "atop_only": _INT,
                                              "runs": {"type": "array", "items": _RUN}}}}}}


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
