"""`obligations serve`: the local web app and JSON API (the `serve` extra: starlette, uvicorn, jinja2)."""

from __future__ import annotations

import argparse
import sys

from obligations.commands.common import Command

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1: this machine only; anything else is warned about)")
    p.add_argument("--port", type=int, default=8000, help="the port (default 8000; 0 picks a free one)")
    p.add_argument("--corpus", action="append", metavar="PATH", default=None,
                   help="serve these clause files or folders instead of the bundled corpus (repeatable)")
    p.add_argument("--with", dest="with_", action="append", metavar="PATH", default=None, nargs="+",
                   help="add your own clause files on top of the corpus for every query")
    p.add_argument("--max-file-bytes", type=int, default=4 * 1024 * 1024, metavar="N",
                   help="refuse clause files larger than N bytes (default 4 MiB)")


def require_extra():
    try:
        import jinja2  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as e:
        from obligations.errors import UsageError

        raise UsageError(f"the web app needs the `serve` extra ({e.name} is not installed): "
                         f"pip install 'obligations[serve]'") from None


def run(a: argparse.Namespace) -> int:
    from obligations.errors import UsageError

    require_extra()
    import uvicorn

    from obligations.web.app import create_app

    if not 0 <= a.port <= 65535:
        raise UsageError(f"--port {a.port} is not a port (0 to 65535)")
    if a.host not in LOOPBACK:
        print(f"obligations serve: warning: listening on {a.host}, not only on this machine: anyone who can reach it "
              f"can run queries (the app has no login). Use --host 127.0.0.1 unless you mean it.", file=sys.stderr)
    with_ = [p for group in (a.with_ or []) for p in group]
    app = create_app(a.corpus, with_, a.max_file_bytes)
    config = uvicorn.Config(app, host=a.host, port=a.port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    _announce(server, a.host)
    server.run()
    return 0


def _announce(server, host: str) -> None:
    """Print the address once the socket is bound (with --port 0, the port the system chose)."""
    startup = server.startup

    async def startup_and_announce(sockets=None):
        await startup(sockets=sockets)
        for s in getattr(server, "servers", []) or []:
            for sock in s.sockets:
                h, port = sock.getsockname()[:2]
                shown = f"[{h}]" if ":" in h else h
                print(f"obligations serve: http://{shown}:{port}/  (Ctrl-C to stop)", flush=True)
                return

    server.startup = startup_and_announce


SPEC = Command(
    name="serve",
    help="a local web app and JSON API: ask, who, conflicts, eligible, graphs, time lines and a clause editor",
    description="Serve the engine as a local web app: forms for ask, who, conflicts and eligible with the same options "
                "as the command line, answers with their grounds beside the quoted articles, the cascade and the "
                "network drawn, time lines, and a clause editor that checks as you type and asks about your draft. "
                "A JSON API (/api/ask, /api/who, /api/conflicts, /api/eligible, /api/check, /api/graph, "
                "/api/timeline) answers what --json answers, described at /openapi.json. Listens on 127.0.0.1 "
                "unless told otherwise. Needs the serve extra: pip install 'obligations[serve]'.",
    examples="  obligations serve\n  obligations serve --port 8765\n  obligations serve --with examples/drafting/pato-draft-1.treaty",
    configure=configure,
    run=run,
)
