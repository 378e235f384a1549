"""One module per command; each exposes a `Command` spec (atop_cmds: three).

The modules are imported when a command is used: a query from the shell builds only its own parser.
"""

from __future__ import annotations

import importlib

# name -> (module, attribute), in the order `obligations --help` lists them
REGISTRY: dict[str, tuple[str, str]] = {
    "ask": ("ask_cmd", "SPEC"), "who": ("who_cmd", "SPEC"), "conflicts": ("conflicts_cmd", "SPEC"),
    "eligible": ("eligible_cmd", "SPEC"), "prove": ("prove_cmd", "SPEC"), "diff": ("diff_cmd", "SPEC"),
    "list": ("list_cmd", "SPEC"), "check": ("check_cmd", "SPEC"), "fmt": ("fmt_cmd", "SPEC"),
    "schema": ("schema_cmd", "SPEC"), "import": ("atop_cmds", "IMPORT"), "export": ("atop_cmds", "EXPORT"),
    "compare-atop": ("atop_cmds", "COMPARE"), "lsp": ("lsp_cmd", "SPEC"), "graph": ("graph_cmd", "SPEC"),
    "timeline": ("timeline_cmd", "SPEC"), "serve": ("serve_cmd", "SPEC"),
}


def spec(name: str):
    mod, attr = REGISTRY[name]
    return getattr(importlib.import_module(f"obligations.commands.{mod}"), attr)


def __getattr__(name: str):
    if name == "COMMANDS":
        return [spec(n) for n in REGISTRY]
    raise AttributeError(name)
