"""The grammar's text, read without importing Lark (the corpus cache is keyed by it)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def grammar_text() -> str:
    try:
        return resources.files("obligations.grammar").joinpath("treaty.lark").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        # Running from a source checkout that is not installed: grammar/ sits beside the package.
        from pathlib import Path

        return (Path(__file__).resolve().parents[2] / "grammar" / "treaty.lark").read_text(encoding="utf-8")


