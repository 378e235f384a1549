"""`obligations serve`: a local web app and JSON API over the application layer (the `serve` extra:
starlette, uvicorn, jinja2).

- `params.py`: every endpoint's parameters, one table read by the forms, the parser and the OpenAPI document;
- `queries.py`: parameters -> the application layer's call -> a result (what `--json` prints);
- `openapi.py`: the OpenAPI document, with the result schemas `obligations schema` publishes;
- `app.py`: the routes, the pages (templates/, static/) and the errors (4xx with the CLI's message, never a 500
  with a traceback).

Nothing here is imported by a query from the shell.
"""
