"""Every kind of mistake in a clause file gets a located, readable error: golden files."""

from pathlib import Path

import pytest

from golden_util import compare, run_cli

HERE = Path(__file__).parent / "golden" / "diagnostics"
CASES = sorted(p.name for p in HERE.glob("*.treaty"))
# Files that are checked with the bundled corpus (as `check FILE` does by default); the others stand alone.
WITH_CORPUS = {"with-bundled-corpus.treaty"}


def _argv(name: str) -> list[str]:
    return ["check", name] if name in WITH_CORPUS else ["check", "--alone", name]


@pytest.mark.parametrize("name", CASES)
def test_check_golden(name, capsys, request):
    out = run_cli(_argv(name), capsys, cwd=HERE)
    assert "Traceback" not in out
    assert "exit: 1" in out
    compare(out, HERE / (name[: -len(".treaty")] + ".expected"), request.config.getoption("--update-goldens"))


@pytest.mark.parametrize("name", ["unknown-names.treaty", "several-errors.treaty"])
def test_check_json_golden(name, capsys, request):
    out = run_cli(_argv(name)[:1] + ["--json"] + _argv(name)[1:], capsys, cwd=HERE)
    compare(out, HERE / (name[: -len(".treaty")] + ".json.expected"), request.config.getoption("--update-goldens"))


def test_missing_file(capsys, tmp_path):
    out = run_cli(["check", str(tmp_path / "nope.treaty")], capsys)
    assert "E100" in out and "exit: 1" in out


def test_oversize_file_is_refused(capsys, tmp_path):
    f = tmp_path / "big.treaty"
    f.write_text("# " + "x" * 2000 + "\n")
    out = run_cli(["check", "--max-file-bytes", "1000", str(f)], capsys)
    assert "E102" in out and "over the limit" in out


def test_very_deep_nesting_is_a_diagnostic(capsys, tmp_path):
    f = tmp_path / "deep.treaty"
    f.write_text("define d as " + "not " * 50_000 + "true\n")
    out = run_cli(["check", str(f)], capsys)
    assert "E006" in out and "Traceback" not in out
    f.write_text("define d as " + "(" * 50_000 + "true" + ")" * 50_000 + "\n")
    out = run_cli(["check", str(f)], capsys)
    assert "Traceback" not in out and "internal error" not in out
