"""`obligations lsp`: the language server, for editors (pygls: `pip install obligations[lsp]`)."""

from __future__ import annotations

import argparse
import sys

from obligations.commands.common import Command

INSTALL_HINT = "install the language server's extra: python -m pip install 'obligations[lsp]'"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", action="append", metavar="PATH", default=None,
                   help="read the workspace's files against this corpus instead of the bundled one (repeatable)")
    p.add_argument("--check-setup", action="store_true",
                   help="check that the server can start (pygls is installed) and exit: 0 if it can, 1 if not")
    p.add_argument("--stdio", action="store_true",
                   help="talk over standard input and output (the default and only transport; editors pass it)")


def run(args: argparse.Namespace) -> int:
    try:
        import pygls  # noqa: F401
        import lsprotocol  # noqa: F401
    except ImportError as e:
        print(f"obligations lsp: {e.name} is not installed; {INSTALL_HINT}", file=sys.stderr)
        return 1
    if args.check_setup:
        from importlib.metadata import version

        print(f"ok: pygls {version('pygls')}, lsprotocol {version('lsprotocol')}; "
              "start the server with `obligations lsp` (stdio)")
        return 0
    from obligations.lsp.server import main

    return main(args.corpus)


SPEC = Command(
    name="lsp",
    help="the language server for editors (stdio): diagnostics, hover, definitions, completion, formatting",
    description="Run the language server over standard input and output, for an editor to start. It shows "
                "`check`'s diagnostics as you type, the declaration and text behind a name on hover (an article's "
                "quoted text over a clause), goes to definitions and references across the workspace and the "
                "bundled corpus, completes names and keywords, lists symbols, formats with `fmt` and offers "
                "\"did you mean\" fixes. Needs the extra: pip install 'obligations[lsp]'. See README, \"Editors\".",
    examples="  obligations lsp --check-setup",
    configure=configure,
    run=run,
)
