"""The grammar's text, read without importing Lark (the corpus cache is keyed by it)."""

from __future__ import annotations

import importlib
import os
from functools import lru_cache
from pathlib import Path


def package_dir(name: str) -> Path | None:
    """The folder of the package `name` (obligations.grammar, obligations.corpus): what importlib.resources.files
    gives for a package on the file system, found without importing importlib.resources (which, with the
    zipfile, tempfile and typing it imports, cost a query from the shell ~4 ms). None when the package is not
    a folder (a zip, a namespace package): then ask importlib.resources. ModuleNotFoundError as resources.files
    raises it."""
    file = getattr(importlib.import_module(name), "__file__", None)
    return Path(file).parent if file is not None and os.path.isfile(file) else None


@lru_cache(maxsize=1)
def grammar_text() -> str:
    try:
        folder = package_dir("obligations.grammar")
    except ModuleNotFoundError:
        # Running from a source checkout that is not installed: grammar/ sits beside the package.
        return (Path(__file__).resolve().parents[2] / "grammar" / "treaty.lark").read_text(encoding="utf-8")
    if folder is None:
        from importlib import resources

        return resources.files("obligations.grammar").joinpath("treaty.lark").read_text(encoding="utf-8")
    return (folder / "treaty.lark").read_text(encoding="utf-8")
