"""`obligations schema [COMMAND]`: the JSON Schema of every command's --json output.

Generated from the command registry: each command names the result type it prints (`Command.json_schema`),
and the schema is derived from that type (pydantic reads the result dataclasses; it is imported only here).
A test checks every command's output against its schema.
"""

from __future__ import annotations

import argparse

from obligations.commands.common import Command, dump_json


def _schema_of(x, defs: dict | None = None):
    """A result dataclass as JSON Schema, or a hand-written schema whose leaves may be dataclasses (their
    definitions are hoisted to the top, where `$ref`s point)."""
    top = defs is None
    defs = {} if top else defs
    if isinstance(x, type):
        from pydantic import TypeAdapter

        out = TypeAdapter(x).json_schema(mode="serialization")
        if not top:
            defs.update(out.pop("$defs", {}))
        return out
    if isinstance(x, dict):
        out = {k: _schema_of(v, defs) for k, v in x.items()}
    elif isinstance(x, list):
        out = [_schema_of(v, defs) for v in x]
    else:
        return x
    if top and defs and isinstance(out, dict):
        out["$defs"] = {**out.get("$defs", {}), **defs}
    return out


def schemas() -> dict:
    from obligations import commands

    out = {}
    for name in commands.REGISTRY:
        spec = commands.spec(name)
        if spec.json_schema is not None:
            out[name] = _schema_of(spec.json_schema())
    return out


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("command_name", nargs="?", metavar="COMMAND", help="one command's schema (default: all)")


def run(a: argparse.Namespace) -> int:
    from obligations.errors import UnknownName

    s = schemas()
    if a.command_name:
        if a.command_name not in s:
            raise UnknownName("command with --json", a.command_name, s, listing="commands (obligations schema)")
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
