"""Every write (fmt, import atop --out, export --out, compare-atop --out) is atomic and never goes through a link.

A failure names the file and leaves the previous one intact, with no temp file behind; nothing outside the
named folder changes; a read-only file is refused (not silently made writable); the mode of a rewritten
file is kept; import replaces only files an import wrote, unless --force.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from hostile import COW_STATES, atop_members_csv
from obligations import fsio
from obligations.cli import main

UNFORMATTED = 'state   AAA   "A"\n'
FORMATTED = 'state AAA "A"\n'


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("OBLIGATIONS_NO_CACHE", "1")


def _debris(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith((".tmp", ".fmt-tmp")) and not p.is_symlink()]


# ---- fmt ------------------------------------------------------------------------------------------------


def test_fmt_does_not_write_through_a_planted_temp_link(tmp_path, capsys):
    """The old fmt wrote `a.treaty.fmt-tmp` and renamed it: a link planted under that name (git stores links)
    sent the formatted text into any file, and turned a.treaty into a link to it."""
    proj, outside = tmp_path / "proj", tmp_path / "outside"
    proj.mkdir()
    outside.mkdir()
    precious = outside / "precious.txt"
    precious.write_text("precious\n")
    (proj / "a.treaty").write_text(UNFORMATTED)
    (proj / "a.treaty.fmt-tmp").symlink_to("../outside/precious.txt")
    assert main(["fmt", str(proj)]) == 0
    assert precious.read_text() == "precious\n"
    a = proj / "a.treaty"
    assert not a.is_symlink() and a.read_text() == FORMATTED
    assert (proj / "a.treaty.fmt-tmp").is_symlink()  # left alone: not ours


def test_fmt_refuses_a_symlinked_file(tmp_path, capsys):
    target = tmp_path / "real.txt"
    target.write_text(UNFORMATTED)
    link = tmp_path / "link.treaty"
    link.symlink_to(target)
    assert main(["fmt", str(link)]) == 2
    err = capsys.readouterr().err
    assert f"{link}:1:1: error[E108]" in err and "symbolic link" in err
    assert link.is_symlink() and target.read_text() == UNFORMATTED


def test_fmt_formats_the_file_a_link_in_the_folder_leads_to_once(tmp_path, capsys):
    (tmp_path / "b.treaty").write_text(UNFORMATTED)
    (tmp_path / "a.treaty").symlink_to("b.treaty")
    assert main(["fmt", str(tmp_path)]) == 0
    assert (tmp_path / "a.treaty").is_symlink() and (tmp_path / "b.treaty").read_text() == FORMATTED


def test_fmt_keeps_the_mode(tmp_path):
    f = tmp_path / "a.treaty"
    f.write_text(UNFORMATTED)
    os.chmod(f, 0o640)
    assert main(["fmt", str(f)]) == 0
    assert f.read_text() == FORMATTED and stat.S_IMODE(f.stat().st_mode) == 0o640


def test_fmt_refuses_a_read_only_file(tmp_path, capsys):
    f = tmp_path / "a.treaty"
    f.write_text(UNFORMATTED)
    os.chmod(f, 0o444)
    assert main(["fmt", str(f)]) == 2
    err = capsys.readouterr().err
    assert "error[E109]" in err and str(f) in err
    assert f.read_text() == UNFORMATTED and stat.S_IMODE(f.stat().st_mode) == 0o444


def test_fmt_in_a_read_only_folder_names_the_file_and_changes_nothing(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    f = folder / "a.treaty"
    f.write_text(UNFORMATTED)
    if os.geteuid() == 0:  # root writes anywhere: refuse file creation as a read-only folder would
        real_open = os.open

        def read_only(path, flags, *a, **k):
            if flags & os.O_CREAT:
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_open(path, flags, *a, **k)

        monkeypatch.setattr(os, "open", read_only)
    else:
        os.chmod(folder, 0o555)
    try:
        code = main(["fmt", str(f)])
    finally:
        os.chmod(folder, 0o755)
    assert code == 2
    err = capsys.readouterr().err
    assert f"{f}:1:1: error[E107]: cannot write {f}" in err and "unchanged" in err
    assert f.read_text() == UNFORMATTED and not _debris(folder)


@pytest.mark.parametrize("call", ["write", "replace", "fsync"])
def test_fmt_on_a_full_disk_leaves_the_file_intact(tmp_path, capsys, monkeypatch, call):
    f = tmp_path / "a.treaty"
    f.write_text(UNFORMATTED)

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, call, full)
    code = main(["fmt", str(f)])
    monkeypatch.undo()
    assert code == 2
    err = capsys.readouterr().err
    assert str(f) in err and "No space left on device" in err and "internal error" not in err
    assert f.read_text() == UNFORMATTED and not _debris(tmp_path)


def test_write_atomic_never_replaces_a_link_planted_after_the_check(tmp_path, monkeypatch):
    """The target is looked at again just before the rename."""
    target = tmp_path / "t.txt"
    target.write_text("old")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("precious")
    real_fsync = os.fsync

    def swap(fd):
        real_fsync(fd)
        if target.exists() and not target.is_symlink():
            target.unlink()
            target.symlink_to(elsewhere)

    monkeypatch.setattr(os, "fsync", swap)
    with pytest.raises(fsio.FsError) as e:
        fsio.write_atomic(target, "new")
    assert e.value.code == "E108"
    assert elsewhere.read_text() == "precious" and target.is_symlink() and not _debris(tmp_path)


# ---- import atop --out ------------------------------------------------------------------------------------


@pytest.fixture
def atop_dir(tmp_path) -> Path:
    d = tmp_path / "data" / "atop"
    d.mkdir(parents=True)
    (d / "atop5_1m.csv").write_text(atop_members_csv())
    return d


def _import(atop_dir: Path, out: Path, *extra: str) -> int:
    return main(["import", "atop", str(atop_dir / "atop5_1m.csv"), "--out", str(out), *extra])


def test_import_refuses_to_replace_a_users_own_file(atop_dir, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "states.treaty"
    mine.write_text("# my own states\nstate AAA \"A\"\n")
    assert _import(atop_dir, out) == 2
    err = capsys.readouterr().err
    assert f"{mine}: error[E110]" in err and "--force" in err
    assert mine.read_text().startswith("# my own states")
    assert sorted(p.name for p in out.iterdir()) == ["states.treaty"]  # nothing else written either
    assert _import(atop_dir, out, "--force") == 0
    assert "generated by `obligations import atop`" in mine.read_text().splitlines()[0]


def test_import_replaces_its_own_files(atop_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert _import(atop_dir, out) == 0
    first = {p.name: p.read_text() for p in out.iterdir()}
    assert _import(atop_dir, out) == 0
    assert {p.name: p.read_text() for p in out.iterdir()} == first
    assert not _debris(out)


def test_import_never_writes_through_a_link(atop_dir, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("precious\n")
    (out / "states.treaty").symlink_to(precious)
    assert _import(atop_dir, out, "--force") == 2
    assert "error[E108]" in capsys.readouterr().err
    assert precious.read_text() == "precious\n" and (out / "states.treaty").is_symlink()


def test_import_on_a_full_disk_names_the_file_and_keeps_the_previous_one(atop_dir, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert _import(atop_dir, out) == 0
    before = {p.name: p.read_text() for p in out.iterdir()}
    real_replace = os.replace

    def full(src, dst, *a, **k):
        if str(dst).endswith("states.treaty"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", full)
    assert _import(atop_dir, out) == 2
    err = capsys.readouterr().err
    assert "states.treaty" in err and "No space left on device" in err
    assert (out / "states.treaty").read_text() == before["states.treaty"] and not _debris(out)


# ---- export --out, compare-atop --out ----------------------------------------------------------------------

EXPORT = ["export", "dyad-years", "--instrument", "anzus", "--from", "1960", "--to", "1961"]


def test_export_never_writes_through_a_link(tmp_path, capsys):
    precious = tmp_path / "precious.csv"
    precious.write_text("precious\n")
    link = tmp_path / "out.csv"
    link.symlink_to(precious)
    assert main(EXPORT + ["--out", str(link)]) == 2
    assert "error[E108]" in capsys.readouterr().err
    assert precious.read_text() == "precious\n" and link.is_symlink()


def test_export_on_a_full_disk_keeps_the_previous_csv(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out.csv"
    assert main(EXPORT + ["--out", str(out)]) == 0
    good = out.read_text()
    assert good.count("\n") > 1

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    code = main(EXPORT + ["--out", str(out)])
    monkeypatch.undo()
    assert code == 2
    assert str(out) in capsys.readouterr().err
    assert out.read_text() == good and not _debris(tmp_path)


def test_export_keeps_the_mode_of_the_csv_it_replaces(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    os.chmod(out, 0o600)
    assert main(EXPORT + ["--out", str(out)]) == 0
    assert out.read_text().startswith("ccode1,") and stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        fsio.write_atomic(tmp_path / "n.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "n.txt").stat().st_mode) == 0o640
