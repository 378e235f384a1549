"""The OpenAPI document of the JSON API, generated from the parameter table (params.py) and the result schemas
that `obligations schema` publishes (themselves generated from the result dataclasses)."""

from __future__ import annotations

import copy

from obligations.web.params import ENDPOINTS, MAX_DRAFT_BYTES, Param

ERROR = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "description": "Bad input (4xx): the message the CLI prints, the parameter it is about and, for an unknown name, "
                   "the closest known one",
    "properties": {
        "error": {"type": "string"},
        "field": {"type": ["string", "null"], "description": "the parameter the message is about"},
        "option": {"type": ["string", "null"], "description": "the CLI option of that parameter"},
        "suggestion": {"type": ["string", "null"], "description": "the closest known name (did you mean ...?)"},
        "diagnostics": {"type": "array", "items": {"type": "object"},
                        "description": "the problems in the clause text, when it has errors"},
    },
}


def _hoist(schema: dict, components: dict, prefix: str) -> dict:
    """A schema's `$defs` moved into the document's components (a `#/$defs/...` reference would otherwise point
    at the document's root)."""
    schema = copy.deepcopy(schema)
    defs = schema.pop("$defs", {})
    renames = {name: name for name in defs}

    def fix(x):
        if isinstance(x, dict):
            return {k: ("#/components/schemas/" + renames.get(v.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1])
                        if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/") else fix(v))
                    for k, v in x.items()}
        if isinstance(x, list):
            return [fix(v) for v in x]
        return x
    for name, d in defs.items():  # a name already taken by another schema is prefixed
        if name in components and components[name] != fix(d):
            renames[name] = f"{prefix}{name}"
    for name, d in defs.items():
        components[renames[name]] = fix(d)
    return fix(schema)


def _param_schema(p: Param, names: dict[str, list[str]]) -> dict:
    if p.kind == "date":
        s = {"type": "string", "format": "date"}
    elif p.kind == "integer":
        s = {"type": "integer"}
        if p.minimum is not None:
            s["minimum"] = p.minimum
        if p.maximum is not None:
            s["maximum"] = p.maximum
    elif p.kind == "boolean":
        s = {"type": "boolean"}
    elif p.enum is not None:
        s = {"type": "string", "enum": list(p.enum)}
    else:
        s = {"type": "string", "maxLength": MAX_DRAFT_BYTES if p.name == "text" else 200}
        if p.names and names.get(p.names):
            s["examples"] = names[p.names]
    if p.default is not None:
        s["default"] = p.default
    if p.repeat:
        s = {"type": "array", "items": s}
    return s


def document(names: dict[str, list[str]] | None = None) -> dict:
    """The OpenAPI 3.1 document. `names`: the corpus's states, places, instruments and drafts, given as examples
    of the parameters that take them."""
    from obligations.commands.schema_cmd import schemas

    names = names or {}
    components: dict = {"Error": ERROR}
    results = schemas()
    paths = {}
    for name, (summary, params) in ENDPOINTS.items():
        resp = _hoist(results[name], components, name.capitalize())
        title = resp.get("title") or f"{name.capitalize()}Result"
        if "$ref" not in resp:
            components[title] = resp
            resp = {"$ref": f"#/components/schemas/{title}"}
        parameters = []
        body_props = {}
        for p in params:
            s = _param_schema(p, names)
            body_props[p.name] = s
            if p.name == "text":
                continue  # large: in the body only
            parameters.append({"name": p.name, "in": "query", "required": p.required,
                               "description": p.help + (f" (CLI: {p.option})" if p.option else ""),
                               "schema": s, **({"style": "form", "explode": True} if p.repeat else {})})
        errors = {
            "400": {"description": "bad input: an unknown name (with the closest known one), a bad date, an impossible "
                                   "scenario", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "413": {"description": f"the request or the clause text is too large (text: at most {MAX_DRAFT_BYTES} bytes)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "422": {"description": "the clause text has errors (see diagnostics)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        }
        ok = {"200": {"description": f"what `obligations {name} --json` prints"
                                     if name not in ("graph", "timeline") else
                                     f"what `obligations {name} --format json` prints",
                      "content": {"application/json": {"schema": resp}}}}
        op = {"summary": summary, "operationId": f"{name}_get", "parameters": parameters, "responses": {**ok, **errors}}
        post = {"summary": summary, "operationId": f"{name}_post",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": False, "properties": body_props,
                    "required": [p.name for p in params if p.required]}}}},
                "responses": {**ok, **errors}}
        paths[f"/api/{name}"] = {"get": op, "post": post} if name != "check" else {"post": post}
    return {"openapi": "3.1.0",
            "info": {"title": "obligations", "version": _version(),
                     "description": "A formal treaty-obligation rules engine. Every endpoint answers exactly what the "
                                    "command of the same name prints with --json, and refuses bad input with a 4xx "
                                    "and the CLI's message."},
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "paths": paths, "components": {"schemas": components}}


def _version() -> str:
    from obligations.cli import _version as v

    return v()
