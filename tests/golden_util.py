"""Golden files: expected CLI output next to its input, rewritten with --update-goldens."""

from __future__ import annotations

import os
from pathlib import Path

from obligations.cli import main


def run_cli(argv: list[str], capsys, cwd: Path | None = None) -> str:
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        code = main(argv)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return f"$ obligations {' '.join(argv)}\nexit: {code}\n--- stdout\n{out}--- stderr\n{err}"


def compare(actual: str, golden: Path, update: bool) -> None:
    if update or not golden.exists():
        golden.write_text(actual, encoding="utf-8")
        if not update:
            raise AssertionError(f"{golden} did not exist; written now — review it and commit")
        return
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {golden} (rerun with --update-goldens and review the diff)"
