"""Bad input is exit 1 or 2 with a located message, never exit 3 ("internal error"), never a hang.

Every case the security review found (issue 17, item 8), and the special files of item 5: clause files
that are not regular files, a symbolic-link loop, a number Python will not convert, a date the engine
cannot step past; ATOP and COW files with values out of range, empty fields, truncated rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from hostile import COW_STATES, atop_member_row, atop_members_csv
from obligations.atop.data import DataError, read_cow_states, read_members
from obligations.cli import main
from obligations.model.load import load_paths

OK = 'state AAA "A"\n'


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("OBLIGATIONS_NO_CACHE", "1")


def _codes(loaded) -> set[str]:
    return {d.code for d in loaded.diagnostics}


# ---- clause files -----------------------------------------------------------------------------------------


def test_an_integer_python_will_not_convert_is_a_located_error(tmp_path, capsys):
    f = tmp_path / "big.treaty"
    f.write_text('state AAA "A" ccode ' + "9" * 5000 + "\n")
    assert main(["check", str(f)]) == 1
    err = capsys.readouterr().err
    assert f"{f}:1:21: error[E007]" in err and "5000 digits" in err


@pytest.mark.parametrize("where", ["ccode", "atop", "count"])
def test_long_numbers_everywhere_are_refused(tmp_path, where):
    n = "1" * 4400
    text = {"ccode": f'state AAA "A" ccode {n}\n',
            "atop": f'state AAA "A"\ntreaty t "T"\n  binding legal\n  category alliance\n  atop {n}\nend\n',
            "count": 'state AAA "A"\ntreaty t "T"\n  binding legal\n  category alliance\n  parties AAA from 2000-01-01\n'
                     f'  property p "p"\n    upon armed-attack\n    expect {n} must assist\n  end\nend\n'}[where]
    f = tmp_path / "n.treaty"
    f.write_text(text)
    loaded = load_paths([f])
    assert "E007" in _codes(loaded) or "E002" in _codes(loaded)
    assert not loaded.ok


def test_dev_zero_is_refused_at_once(capsys):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    assert main(["check", "/dev/zero"]) == 1
    assert "/dev/zero:1:1: error[E104]: /dev/zero is a character device" in capsys.readouterr().err


def _with_fifo(path: Path):
    try:
        os.mkfifo(path)
    except (OSError, AttributeError):
        pytest.skip("no FIFOs here")


def _guarded(argv: list[str], timeout: float = 60) -> int:
    """main(argv) in a thread: a FIFO read would block forever, so the test fails instead of hanging."""
    out: list[int] = []
    t = threading.Thread(target=lambda: out.append(main(argv)), daemon=True)
    t.start()
    t.join(timeout)
    assert out, f"{argv} did not end within {timeout} s"
    return out[0]


def test_a_fifo_given_directly_is_refused(tmp_path, capsys):
    fifo = tmp_path / "pipe.treaty"
    _with_fifo(fifo)
    assert _guarded(["check", str(fifo)]) == 1
    err = capsys.readouterr().err
    assert f"{fifo}:1:1: error[E104]" in err and "FIFO" in err


def test_a_fifo_inside_a_folder_is_refused(tmp_path, capsys):
    (tmp_path / "ok.treaty").write_text(OK)
    _with_fifo(tmp_path / "pipe.treaty")
    assert _guarded(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'pipe.treaty'}:1:1: error[E104]" in err
    assert _guarded(["list", "states", "--corpus", str(tmp_path)]) == 2


def test_a_socket_inside_a_folder_is_refused(tmp_path):
    import socket

    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(tmp_path / "sock.treaty"))
    except OSError:
        pytest.skip("no unix sockets here")
    try:
        assert "E104" in _codes(load_paths([tmp_path]))
    finally:
        s.close()


def test_a_symlink_loop_in_a_folder_is_a_located_error(tmp_path, capsys):
    (tmp_path / "ok.treaty").write_text(OK)
    (tmp_path / "a.treaty").symlink_to("b.treaty")
    (tmp_path / "b.treaty").symlink_to("a.treaty")
    (tmp_path / "self.treaty").symlink_to("self.treaty")
    assert main(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    for n in ("a", "b", "self"):
        assert f"{tmp_path / (n + '.treaty')}:1:1: error[E105]" in err
    assert main(["ask", "--corpus", str(tmp_path), "--victim", "AAA", "--party", "AAA"]) == 2
    assert "internal error" not in capsys.readouterr().err


def test_a_symlink_loop_given_directly_and_a_dangling_link(tmp_path, capsys):
    (tmp_path / "loop.treaty").symlink_to("loop.treaty")
    (tmp_path / "gone.treaty").symlink_to("nowhere.treaty")
    assert main(["check", str(tmp_path / "loop.treaty"), str(tmp_path / "gone.treaty")]) == 1
    err = capsys.readouterr().err
    assert "error[E105]" in err and "link to nothing" in err


def test_a_file_that_grows_past_the_cap_while_read_is_refused():
    """/proc files say they are 0 bytes long and are not: the cap holds on what is read, not on stat."""
    if not os.path.isfile("/proc/self/maps"):
        pytest.skip("no /proc")
    from obligations.fsio import FsError, read_regular

    with pytest.raises(FsError) as e:
        read_regular("/proc/self/maps", 16)
    assert e.value.code == "E102" and "grew past the limit" in e.value.message


def test_the_corpus_has_a_total_size_cap(tmp_path, capsys):
    for i in range(6):
        (tmp_path / f"f{i}.treaty").write_text(f'state A{chr(65 + i)}A "x"\n' + "# padding\n" * 100)
    assert main(["check", str(tmp_path), "--max-corpus-bytes", "2500"]) == 1
    err = capsys.readouterr().err
    assert "error[E106]" in err and "--max-corpus-bytes" in err
    assert main(["list", "states", "--corpus", str(tmp_path), "--max-corpus-bytes", "2500"]) == 2


def test_a_date_the_engine_cannot_step_past_exports(tmp_path, capsys):
    f = tmp_path / "t.treaty"
    # Three states: an attack on one party by a state other than the party bound (the engine's rule).
    f.write_text('state AAA "A" ccode 2\nstate BBB "B" ccode 20\nstate CCC "C" ccode 30\n'
                 'place a-home "A" territory-of AAA end\ntreaty t "T"\n  binding legal\n  category alliance\n'
                 '  in-force 1950-01-01\n  parties AAA BBB from 1950-01-01\n  article 1 "x"\n    clause\n'
                 '      upon armed-attack\n      if victim is party and date < 9999-12-31\n'
                 '      each party other than victim must assist victim\n  end\nend\n')
    assert main(["check", "--alone", str(f)]) == 0
    capsys.readouterr()
    assert main(["export", "dyad-years", "--corpus", str(f), "--from", "1950", "--to", "1950", "--out", "-"]) == 0
    assert "2,20,1950,1" in capsys.readouterr().out
    assert main(["export", "dyad-years", "--corpus", str(f), "--from", "9997", "--to", "9998", "--out", "-"]) == 0
    assert main(["ask", "--corpus", str(f), "--victim", "AAA", "--attacker", "BBB", "--party", "BBB",
                 "--on", "9999-12-31"]) == 0


# ---- ATOP and COW files ------------------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path) -> Path:
    """A folder laid out as ../shared/data is: atop/ and cow/ side by side."""
    (tmp_path / "atop").mkdir()
    (tmp_path / "cow").mkdir()
    return tmp_path


def _import(data: Path, members: str, *extra: str, capsys) -> tuple[int, str]:
    (data / "atop" / "m.csv").write_text(members)
    code = main(["import", "atop", str(data / "atop" / "m.csv"), "--out", str(data / "out"), *extra])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("column,value,expected", [
    ("yrent", "inf", "a year"), ("yrent", "1e400", "a year"), ("yrent", "nan", "a year"),
    ("yrent", "99999999999999999999", "a year"), ("yrent", "10000", "a year"), ("yrexit", "1e9", "a year"),
    ("atopid", "", "a whole number"), ("atopid", "-5", "a whole number"), ("atopid", "0", "a whole number"),
    ("member", "", "a whole number"), ("moent", "13", "a month"), ("dayent", "31", "a day of 1950-02"),
    ("defense", "7", "0 or 1"), ("defense", "-1", "0 or 1"), ("defense", "", "0 or 1"), ("offense", "1.5", "0 or 1"),
    ("olimob", "2", "0 or 1"), ("phase", "x", "a whole number"),
])
def test_atop_values_out_of_range_are_located(data, capsys, column, value, expected):
    row = atop_member_row(**{"moent": "2", "dayent": "5", column: value})
    code, err = _import(data, atop_members_csv([row]), capsys=capsys)
    assert code == 2, err
    assert f"m.csv:2: column {column}: {value!r} is not {expected}" in err
    assert "internal error" not in err and not (data / "out").exists()


def test_an_exit_before_the_entry_is_refused(data, capsys):
    code, err = _import(data, atop_members_csv([atop_member_row(yrexit="1949", moexit="3", dayexit="1")]), capsys=capsys)
    assert code == 2 and "m.csv:2: the exit (1949-03-01) is before the entry (1950-01-05)" in err


def test_a_truncated_row_does_not_import_as_no_obligations(data, capsys):
    text = atop_members_csv()
    lines = text.splitlines()
    lines[2] = ",".join(lines[2].split(",")[:12])  # the UK's row, cut before its obligations
    code, err = _import(data, "\n".join(lines) + "\n", capsys=capsys)
    assert code == 2 and "m.csv:3: the row has 12 field(s) where the header has" in err


def test_a_row_with_extra_fields_is_refused(data, capsys):
    lines = atop_members_csv().splitlines()
    lines[1] += ",1,1"
    code, err = _import(data, "\n".join(lines) + "\n", capsys=capsys)
    assert code == 2 and "m.csv:2: the row has" in err


def test_only_must_name_ids(data, capsys):
    for only in (",", "", "1,,2", "abc", "-3", "3180,x", "1" * 20):
        code, err = _import(data, atop_members_csv(), "--only", only, capsys=capsys)
        assert code == 2 and "--only takes ATOP ids" in err, only
    code, err = _import(data, atop_members_csv(), "--only", "9001", capsys=capsys)
    assert code == 0, err


@pytest.mark.parametrize("explicit", [True, False], ids=["--cow-states", "beside the ATOP folder"])
def test_a_cow_file_with_an_empty_field_is_located(data, capsys, explicit):
    bad = COW_STATES.replace("UKG,200,United Kingdom,1816,1,1,", "UKG,200,United Kingdom,1816,,1,")
    cow = data / "cow" / "states2016.csv"
    cow.write_text(bad)
    extra = ["--cow-states", str(cow)] if explicit else []
    code, err = _import(data, atop_members_csv(), *extra, capsys=capsys)
    assert code == 2, err
    assert "states2016.csv:3: column stmonth: '' is not a month from 1 to 12" in err


def test_a_sound_cow_file_beside_the_atop_folder_is_read(data, capsys):
    (data / "cow" / "states2016.csv").write_text(COW_STATES)
    code, err = _import(data, atop_members_csv(), capsys=capsys)
    assert code == 0, err


@pytest.mark.parametrize("text,needle", [
    ("stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday\nUSA,2,1816,1,1,1815,1,1\n", "the end (1815-01-01) is before"),
    ("stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday\nUSA,inf,1816,1,1,2016,1,1\n", "column ccode: 'inf'"),
    ("stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday\nUSA,2,1816,1,0,2016,1,1\n", "column stday: '0'"),
])
def test_cow_rows_are_checked_column_by_column(tmp_path, text, needle):
    f = tmp_path / "cow.csv"
    f.write_text(text)
    with pytest.raises(DataError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        read_cow_states(f)


def test_a_data_file_that_is_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "m.csv"
    _with_fifo(fifo)
    with pytest.raises(DataError, match="FIFO"):
        read_members(fifo)


def test_compare_atop_with_a_damaged_table_is_located(tmp_path, capsys):
    members = tmp_path / "m.csv"
    members.write_text(atop_members_csv())
    ddyr = tmp_path / "d.csv"
    ddyr.write_text("ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n2,200,1950,1e400,0,0,0,0\n")
    code = main(["compare-atop", "--atop-members", str(members), "--atop-ddyr", str(ddyr), "--from", "1950", "--to", "1950"])
    assert code == 2
    assert "d.csv:2: column atop_defense: '1e400' is not 0 or 1" in capsys.readouterr().err


def test_bad_input_from_the_shell_never_exits_3(tmp_path):
    """The same through a real process, where nothing in the test harness could catch an exception."""
    f = tmp_path / "big.treaty"
    f.write_text('state AAA "A" ccode ' + "9" * 5000 + "\n")
    r = subprocess.run([sys.executable, "-m", "obligations.cli", "check", str(f)], capture_output=True, text=True,
                       timeout=120, env={**os.environ, "OBLIGATIONS_NO_CACHE": "1"})
    assert r.returncode == 1 and "E007" in r.stderr
