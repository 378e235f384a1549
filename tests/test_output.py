"""Nothing from a clause file, a dataset or a file name reaches the terminal raw: no escape sequence, bare CR,
C1 control, DEL, bidi or zero-width character, in text or in JSON; the engine's own colours cannot be forged.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import EVIL, hostile_corpus, q
from obligations.cli import main
from obligations.safetext import UNSAFE_OR_SENTINEL, escape, json_dumps

SCENARIO = ["--attacker", "CCC", "--victim", "BBB", "--at", "home", "--on", "2000-01-01"]


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("OBLIGATIONS_NO_CACHE", "1")


@pytest.fixture
def corpus(tmp_path) -> Path:
    f = tmp_path / "hostile.treaty"
    f.write_text(hostile_corpus())
    return f


def _unsafe(s: str) -> list[str]:
    return sorted({m.group() for m in UNSAFE_OR_SENTINEL.finditer(s)})


COMMANDS = {
    "ask": lambda c: ["ask", "--corpus", str(c), *SCENARIO, "--party", "AAA"],
    "who": lambda c: ["who", "--corpus", str(c), *SCENARIO, "--all"],
    "conflicts": lambda c: ["conflicts", "--corpus", str(c), "--party", "AAA", "--on", "2000-01-01"],
    "list instruments": lambda c: ["list", "instruments", "--corpus", str(c), "--on", "2000-01-01"],
    "list states": lambda c: ["list", "states", "--corpus", str(c)],
    "list places": lambda c: ["list", "places", "--corpus", str(c)],
    "list regions": lambda c: ["list", "regions", "--corpus", str(c)],
    "list terms": lambda c: ["list", "terms", "--corpus", str(c)],
    "check": lambda c: ["check", str(c)],
    "eligible": lambda c: ["eligible", "--corpus", str(c), "--party", "CCC", "--instrument", "one", "--on", "2000-01-01"],
}


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_unsafe_character_from_a_clause_file_is_printed(name, as_json, corpus, capsys):
    code = main(COMMANDS[name](corpus) + (["--json"] if as_json else []))
    out = capsys.readouterr()
    assert code in (0, 1), out.err
    assert _unsafe(out.out) == [] and _unsafe(out.err) == []
    if name not in ("who", "eligible", "check"):  # those print no string of the file's
        assert ("\\u001b[2K" if as_json else "\\x1b[2K") in out.out + out.err  # shown, escaped
    if as_json:
        json.loads(out.out)  # still JSON


def test_a_term_question_cannot_rewrite_a_depends_line(corpus, capsys):
    assert main(COMMANDS["ask"](corpus)) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("depends  turns on ") and "\x1b" not in out and "\r" not in out
    assert "\\x1b[2K\\x1b[1Gobliged" in first  # the attack shown for what it is


def test_json_keeps_the_text_exactly_and_escapes_it(corpus, capsys):
    assert main(COMMANDS["ask"](corpus) + ["--json"]) == 0
    raw = capsys.readouterr().out
    for c in ("\\u001b", "\\u202e", "\\u200b", "\\u007f", "\\u0085", "\\u009b", "\\udb40\\udc41", "\\u2066", "\\r"):
        assert c in raw, c
    r = json.loads(raw)
    assert r["hinges"][0]["question"].startswith(EVIL)


def test_check_never_echoes_a_control_character_from_the_source_line(tmp_path, capsys):
    """A comment that clears the screen and prints "ok:" over an error (exit 1)."""
    f = tmp_path / "bad.treaty"
    f.write_text('state AAA "A"  # \x1b[2J\x1b[H\rok: 1 file(s), 0 instrument(s)\nstate AAA "again"\n')
    assert main(["check", str(f)]) == 1
    out = capsys.readouterr()
    assert _unsafe(out.out + out.err) == []
    assert "error[E010]" in out.err and "\\x1b[2J\\x1b[H\\x0dok:" in out.err


def test_the_caret_still_points_at_the_spot_after_escapes(tmp_path, capsys):
    f = tmp_path / "c.treaty"
    f.write_text('state AAA "\x1b\x1b" ccode 1' + "2" * 20 + "\n")
    main(["check", str(f)])
    lines = capsys.readouterr().err.splitlines()
    at = next(i for i, l in enumerate(lines) if "error[E007]" in l)
    src, caret = lines[at + 2], lines[at + 3]
    assert src.startswith("1 | ") and src.index("1222") == caret.index("^")


def test_bidi_controls_in_a_clause_file_are_warned_about(tmp_path, capsys):
    """Trojan Source: a right-to-left override makes the line read otherwise in an editor."""
    f = tmp_path / "t.treaty"
    line = 'state BBB "B \u202e} ytrap si mitciv fi {\u2066"'
    f.write_text('state AAA "A"\n' + line + "\n")
    assert main(["check", str(f)]) == 0
    err = capsys.readouterr().err
    assert f"{f}:2:{line.index(chr(0x202e)) + 1}: warning[W001]" in err and "U+202E RIGHT-TO-LEFT OVERRIDE" in err
    assert f"{f}:2:{line.index(chr(0x2066)) + 1}: warning[W001]" in err
    assert _unsafe(err) == []


def test_a_carriage_return_before_a_newline_is_not_warned_about(tmp_path, capsys):
    f = tmp_path / "crlf.treaty"
    f.write_bytes(b'state AAA "A"\r\nstate BBB "B"\r\n')
    assert main(["check", str(f)]) == 0
    assert "W00" not in capsys.readouterr().err


def test_file_names_are_escaped(tmp_path, capsys):
    d = tmp_path / "c"
    d.mkdir()
    name = "evil\x1b]0;title\x07\r\u202e.treaty"
    try:
        (d / name).write_text('state AAA "A"\nstate AAA "B"\n')
    except OSError:
        pytest.skip("the file system refuses such names")
    assert main(["check", str(d)]) == 1
    out = capsys.readouterr()
    assert _unsafe(out.out + out.err) == []
    assert "evil\\x1b]0;title\\x07\\x0d\\u202e.treaty" in out.err


def test_undecodable_file_names_do_not_crash_the_output(tmp_path, capsys):
    d = tmp_path / "c"
    d.mkdir()
    try:
        (Path(os.fsencode(d)) if False else d).joinpath(os.fsdecode(b"bad\xff.treaty")).write_text('state AAA "A"\nstate AAA "B"\n')
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses such names")
    assert main(["check", str(d)]) == 1
    assert "bad\\udcff.treaty" in capsys.readouterr().err


def test_usage_errors_echo_arguments_escaped(capsys):
    assert main(["ask", "--event", "\x1b[2Jboom", "--party", "AAA"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2Jboom" in err


def _run(argv: list[str], tty: bool, env_extra: dict | None = None) -> tuple[bytes, bytes]:
    env = {**os.environ, "OBLIGATIONS_NO_CACHE": "1", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    cmd = [sys.executable, "-m", "obligations.cli", *argv]
    if not tty:
        r = subprocess.run(cmd, capture_output=True, timeout=120, env=env)
        return r.stdout, r.stderr
    import pty

    master, slave = pty.openpty()
    try:
        p = subprocess.Popen(cmd, stdout=slave, stderr=slave, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                b = os.read(master, 65536)
            except OSError:
                break
            if not b:
                break
            chunks.append(b)
        p.wait(timeout=120)
    finally:
        os.close(master)
    return b"".join(chunks), b""


@pytest.mark.parametrize("name", ["ask", "conflicts", "check"])
def test_a_real_process_writes_no_escape_byte_from_input(name, corpus):
    out, err = _run(COMMANDS[name](corpus), tty=False)
    assert b"\x1b" not in out + err and b"\r" not in out + err and b"\xc2\x9b" not in out + err
    assert b"\\x1b[2K" in out + err


@pytest.mark.parametrize("name", ["ask", "conflicts", "check"])
def test_on_a_terminal_only_the_engines_own_colours_are_escape_sequences(name, corpus):
    """Colour is on (a pseudo-terminal): every ESC in the output starts one of the engine's SGR sequences, and
    the clause file's own escapes are shown escaped."""
    try:
        out, _ = _run(COMMANDS[name](corpus), tty=True)
    except (ImportError, OSError):
        pytest.skip("no pseudo-terminals here")
    esc = re.findall(rb"\x1b(.{0,6})", out)
    assert esc, "colour was expected on a terminal"
    assert all(re.match(rb"\[(0|1|2|3[1-6])m", e) for e in esc), esc
    assert b"\\x1b[2K" in out
    # The pty turns \n into \r\n: no other carriage return.
    assert b"\r" not in out.replace(b"\r\n", b"\n")


def test_no_colour_means_no_escape_at_all(corpus):
    try:
        out, _ = _run(COMMANDS["ask"](corpus), tty=True, env_extra={"NO_COLOR": "1"})
    except (ImportError, OSError):
        pytest.skip("no pseudo-terminals here")
    assert b"\x1b" not in out


# ---- the escaper itself ----------------------------------------------------------------------------------


@pytest.mark.parametrize("c", ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b", "\x7f", "\x80", "\x85", "\x9b",
                               "\x9d", "\u061c", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e",
                               "\u2060", "\u2066", "\u2069", "\u2028", "\u2029", "\ufeff", "\U000e0041", "\udcff",
                               "\ud800"])
def test_each_unsafe_character_is_escaped(c):
    e = escape("a" + c + "b")
    assert c not in e and e.startswith("a\\") and e.endswith("b")
    assert UNSAFE_OR_SENTINEL.sub("", json_dumps("a" + c + "b")) == json_dumps("a" + c + "b")


@pytest.mark.parametrize("text", ["plain", "tab\tand\nnewline", "café — 東京 «ok»", "emoji 🎉", "a\\x1b literal"])
def test_ordinary_text_is_unchanged(text):
    assert escape(text) == text
    assert json.loads(json_dumps(text)) == text and json_dumps(text) == json.dumps(text, ensure_ascii=False)


def test_json_escapes_round_trip():
    s = EVIL + "\U0001f389"
    assert json.loads(json_dumps({"k": s})) == {"k": s}
    assert q('a"b\\c')[1:-1] == 'a\\"b\\\\c'
