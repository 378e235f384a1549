"""The web app: pages (templates/, static/ — nothing from another site) and the JSON API.

Every page and every endpoint reads its parameters through params.py and answers through queries.py; an error
is a 4xx with the CLI's message (an unknown state comes with the closest known one), never a 500 with a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from obligations import explain as X
from obligations.errors import CorpusError, UsageError
from obligations.results import to_json
from obligations.web.params import ENDPOINTS, MAX_DRAFT_BYTES, TooLarge, parse
from obligations.web.queries import Server

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 2 * MAX_DRAFT_BYTES + 64 * 1024  # the text, JSON-escaped, and the other fields
PAGES = ("ask", "who", "conflicts", "eligible", "graph", "timeline")


class BadRequest(UsageError):
    pass


# ---- errors -------------------------------------------------------------------------------------------------


def error_json(e: Exception) -> tuple[int, dict]:
    from obligations.commands.common import OPTION

    if isinstance(e, TooLarge):
        return 413, {"error": str(e), "field": getattr(e, "field", None), "option": None, "suggestion": None}
    if isinstance(e, CorpusError):
        first = str(e).splitlines()[0]
        return 422, {"error": first, "field": "text", "option": None, "suggestion": None,
                     "diagnostics": [d.to_json() for d in e.diagnostics]}
    if isinstance(e, UsageError):
        field = getattr(e, "field", None)
        return 400, {"error": str(e), "field": field, "option": OPTION.get(field or ""),
                     "suggestion": getattr(e, "suggestion", None)}
    return 500, {"error": f"internal error: {type(e).__name__}: {e}; this is a bug in obligations, please report it "
                          f"with the request that caused it", "field": None, "option": None, "suggestion": None}


async def read_body(request: Request) -> bytes:
    n = request.headers.get("content-length")
    if n is not None and n.isdigit() and int(n) > MAX_BODY_BYTES:
        raise TooLarge(f"the request is {n} bytes, over the limit of {MAX_BODY_BYTES}")
    out = bytearray()
    async for chunk in request.stream():
        out += chunk
        if len(out) > MAX_BODY_BYTES:
            raise TooLarge(f"the request is over the limit of {MAX_BODY_BYTES} bytes")
    return bytes(out)


async def raw_params(request: Request) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = list(request.query_params.multi_items())
    if request.method != "POST":
        return pairs
    body = await read_body(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or (not ctype and body.lstrip().startswith(b"{")):
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise BadRequest(f"the body is not JSON: {e}") from None
        if not isinstance(data, dict):
            raise BadRequest("the body is a JSON object of parameters, e.g. {\"party\": \"USA\"}")
        pairs += list(data.items())
    elif ctype in ("application/x-www-form-urlencoded", ""):
        try:
            pairs += parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
        except (UnicodeDecodeError, ValueError) as e:
            raise BadRequest(f"the form is not readable: {e}") from None
    else:
        raise BadRequest(f"send the parameters as JSON or as a form, not {ctype}")
    return pairs


# ---- the app ------------------------------------------------------------------------------------------------


def create_app(corpus=None, with_=None, max_file_bytes: int | None = None, server: Server | None = None) -> Starlette:
    server = server or Server(corpus, with_, max_file_bytes)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(X=X, ENDPOINTS=ENDPOINTS, PAGES=PAGES, MAX_DRAFT_BYTES=MAX_DRAFT_BYTES)
    from obligations.render import BINDING, MARK

    env.globals.update(BINDING=BINDING, MARK=MARK)
    names_cache: dict = {}

    def names() -> dict[str, list[str]]:
        if not names_cache:
            c = server.workspace().corpus
            names_cache.update(states=sorted(c.states), places=sorted(list(c.places) + list(c.regions)),
                               instruments=sorted(c.instruments),
                               drafts=sorted(n for n, i in c.instruments.items() if i.draft))
            names_cache["state_names"] = {k: v.name for k, v in c.states.items()}
        return names_cache

    def html(template: str, status: int = 200, **kw) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(names=names(), **kw), status_code=status)

    async def api(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ENDPOINTS:
            return JSONResponse({"error": f"no endpoint /api/{name} (see /openapi.json)", "field": None, "option": None,
                                 "suggestion": None}, status_code=404)
        if name == "check" and request.method != "POST":
            return JSONResponse({"error": "POST the clause text to /api/check", "field": None, "option": None,
                                 "suggestion": None}, status_code=405, headers={"Allow": "POST"})
        try:
            v = parse(name, await raw_params(request))
            result = await run_in_threadpool(server.run, name, v)
            return JSONResponse(result if isinstance(result, dict) else to_json(result))
        except Exception as e:  # noqa: BLE001 — every error becomes a 4xx with its message (a bug: a 500 without traceback)
            status, body = error_json(e)
            return JSONResponse(body, status_code=status)

    async def openapi(request: Request) -> Response:
        from obligations.web.openapi import document

        return JSONResponse(await run_in_threadpool(document, names()))

    async def page(request: Request) -> Response:
        name = request.url.path.strip("/") or "ask"
        pairs = await _safe_pairs(request)
        form = _form_values(pairs)
        submitted = any(k not in ("text",) for k, _ in pairs)
        ctx = {"page": name, "form": form, "result": None, "error": None, "svg": None, "svg_error": None,
               "submitted": submitted, "query": urlencode([(k, v) for k, v in pairs if isinstance(v, str)])}
        status = 200
        if submitted:
            try:
                v = parse(name, pairs)
                ctx.update(await run_in_threadpool(_answer, server, name, v))
            except Exception as e:  # noqa: BLE001
                status, ctx["error"] = error_json(e)
        return html(f"{name}.html", status, **ctx)

    async def editor(request: Request) -> Response:
        pairs = await _safe_pairs(request)
        form = _form_values(pairs)
        ctx = {"page": "editor", "form": form, "result": None, "error": None, "svg": None, "svg_error": None,
               "text": form.get("text") if "text" in form else _sample(), "submitted": request.method == "POST"}
        status = 200
        if request.method == "POST":
            try:
                v = parse("ask", pairs)
                if not v.get("text"):
                    raise UsageError("the editor is empty: write a clause file to ask about")
                ctx.update(await run_in_threadpool(_answer, server, "ask", v))
            except Exception as e:  # noqa: BLE001
                status, ctx["error"] = error_json(e)
        return html("editor.html", status, **ctx)

    async def svg_download(request: Request) -> Response:
        kind = request.path_params["kind"]
        endpoint = {"graph": "graph", "cascade": "who", "timeline": "timeline"}.get(kind)
        if endpoint is None:
            return JSONResponse({"error": f"no picture {kind!r}: graph, cascade or timeline"}, status_code=404)
        try:
            v = parse(endpoint, list(request.query_params.multi_items()))
            out = await run_in_threadpool(_answer, server, endpoint, v)
        except Exception as e:  # noqa: BLE001
            status, body = error_json(e)
            return JSONResponse(body, status_code=status)
        if out.get("svg") is None:
            return JSONResponse({"error": out.get("svg_error") or "nothing to draw"}, status_code=400)
        return Response(out["svg"], media_type="image/svg+xml",
                        headers={"Content-Disposition": f'inline; filename="{kind}.svg"'})

    async def api_page(request: Request) -> Response:
        from obligations.web.openapi import document

        return html("api.html", page="api", doc=await run_in_threadpool(document, names()))

    async def home(request: Request) -> Response:
        return RedirectResponse("/ask", status_code=302)

    routes = [Route("/", home), Route("/openapi.json", openapi), Route("/api", api_page),
              Route("/api/{name}", api, methods=["GET", "POST"]),
              Route("/editor", editor, methods=["GET", "POST"]),
              Route("/svg/{kind}", svg_download),
              Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")]
    routes += [Route(f"/{p}", page) for p in PAGES]
    app = Starlette(routes=routes, exception_handlers={404: _not_found, 405: _not_allowed, 500: _internal})
    app.state.server = server
    return app


async def _safe_pairs(request: Request) -> list[tuple[str, object]]:
    try:
        return await raw_params(request)
    except UsageError:
        return list(request.query_params.multi_items())


def _form_values(pairs) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in pairs:
        if isinstance(v, list):
            v = ", ".join(str(x) for x in v)
        v = str(v)
        out[k] = f"{out[k]}, {v}" if k in out and k != "text" and v else v
    return out


async def _not_found(request: Request, exc) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return JSONResponse({"error": f"not found: {request.url.path} (see /openapi.json)"}, status_code=404)
    return HTMLResponse("<!doctype html><title>Not found</title><p>Not found. <a href='/ask'>Ask a question</a>.</p>",
                        status_code=404)


async def _not_allowed(request: Request, exc) -> Response:
    return JSONResponse({"error": f"{request.method} is not allowed on {request.url.path}"}, status_code=405)


async def _internal(request: Request, exc) -> Response:
    return JSONResponse({"error": "internal error; this is a bug in obligations, please report it"}, status_code=500)


def _answer(server: Server, name: str, v: dict) -> dict:
    """A page's answer: the result, and the picture that goes with it (an SVG, or why there is none)."""
    from obligations.viz.write import inline_svg, render

    out: dict = {"svg": None, "svg_error": None}
    with server.lock:
        r = server.run(name, v)
        out["result"] = r
        try:
            if name == "ask":
                # who else the scenario obliges, and the cascade, with the party asked about marked
                wv = {**v, "depth": 2}
                who = server.workspace(v).who(_scenario(v), v["action"], server.limits, 2)
                out["who"] = who
                out["svg"] = inline_svg(render(server._cascade(wv, who), "svg"))
            elif name == "who":
                out["svg"] = inline_svg(render(server._cascade(v, r), "svg"))
            elif name == "graph":
                out["svg"] = inline_svg(render(r, "svg"))
            elif name == "timeline":
                from obligations.viz.svg import timeline_svg

                out["svg"] = timeline_svg(r)
        except UsageError as e:
            out["svg_error"] = str(e)
    return out


def _scenario(v: dict):
    from obligations.web.queries import scenario

    return scenario(v)


def _sample() -> str:
    return (HERE / "static" / "sample.treaty").read_text(encoding="utf-8")
