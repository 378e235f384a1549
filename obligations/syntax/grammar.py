"""The grammar's text, read without importing Lark (the corpus cache is keyed by it)."""

from __future__ import annotations

import importlib
import os
from functools import lru_cache


def package_dir(name: str) -> str | None:
    """The folder of the package `name` (obligations.grammar, obligations.corpus): what importlib.resources.files
    gives for a package on the file system, found without importing importlib.resources (which, with the
    zipfile, tempfile and typing it imports, cost a query from the shell ~4 ms). None when the package is not
    a folder (a zip, a namespace package): then ask importlib.resources. ModuleNotFoundError as resources.files
    raises it."""
    file = getattr(importlib.import_module(name), "__file__", None)
    return os.path.dirname(file) if file is not None and os.path.isfile(file) else None


@lru_cache(maxsize=1)
def grammar_text() -> str:
    try:
        folder = package_dir("obligations.grammar")
    except ModuleNotFoundError:
        # Running from a source checkout that is not installed: grammar/ sits beside the package.
        here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
        return _read(os.path.join(here, "grammar", "treaty.lark"))
    if folder is None:
        from importlib import resources

        return resources.files("obligations.grammar").joinpath("treaty.lark").read_text(encoding="utf-8")
    return _read(os.path.join(folder, "treaty.lark"))


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()
