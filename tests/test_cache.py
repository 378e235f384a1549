"""The corpus cache cannot be made to run code, leak a draft, collide, grow without bound or leave debris.

Each attack plants, under the very name the engine looks up, a pickle whose `__reduce__` writes a marker
file: in a folder another user owns, in one others can write to, behind a symbolic link, and (in a sound
folder) as an entry whose tag was not made with the user's key. The marker must never appear.
"""

from __future__ import annotations

import errno
import os
import pickle
import stat
from pathlib import Path

import pytest

from obligations import cache as C
from obligations.cli import main
from obligations.model import load as L

CORPUS = 'state AAA "A"\nstate BBB "B"\n'


class Boom:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


@pytest.fixture
def corpus(tmp_path) -> Path:
    p = tmp_path / "c.treaty"
    p.write_text(CORPUS)
    return p


def _key_for_file(p: Path) -> str:
    diags: list = []
    return L._cache_key(L.read_sources([p], diags))


def _plant(folder: Path, corpus: Path, marker: Path, secret: bytes | None = None) -> None:
    """Everything an attacker could leave under the corpus's key: a forged entry, an entry tagged with a
    key the attacker chose (and that key), and an entry in the old, unauthenticated format."""
    key = _key_for_file(corpus)
    payload = pickle.dumps(Boom(marker))
    name = key + C.SUFFIX
    if secret is None:
        tag = b"\0" * C.TAG
    else:
        (folder / C.KEY_FILE).write_bytes(secret)
        os.chmod(folder / C.KEY_FILE, 0o600)
        tag = C.Cache(str(folder), -1, secret, 1 << 30)._tag(name, payload)
    (folder / name).write_bytes(C.MAGIC + tag + payload)
    (folder / (key + ".pickle")).write_bytes(payload)


def _list(monkeypatch, folder: Path, corpus: Path, capsys) -> tuple[int, str]:
    monkeypatch.setenv("OBLIGATIONS_CACHE_DIR", str(folder))
    monkeypatch.delenv("OBLIGATIONS_NO_CACHE", raising=False)
    C._warned.clear()
    code = main(["list", "states", "--corpus", str(corpus)])
    out = capsys.readouterr()
    assert "AAA" in out.out
    return code, out.err


def test_a_planted_entry_in_a_group_writable_folder_never_runs(tmp_path, corpus, monkeypatch, capsys):
    folder = tmp_path / "cache"
    folder.mkdir()
    os.chmod(folder, 0o777)
    marker = tmp_path / "marker"
    _plant(folder, corpus, marker, secret=b"k" * 32)
    code, err = _list(monkeypatch, folder, corpus, capsys)
    assert code == 0 and not marker.exists()
    assert "others can write to it" in err and len(err.strip().splitlines()) == 1


def test_a_planted_entry_in_a_folder_of_another_user_never_runs(tmp_path, corpus, monkeypatch, capsys):
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    marker = tmp_path / "marker"
    _plant(folder, corpus, marker, secret=b"k" * 32)
    os.chown(folder, 65534, 65534)
    code, err = _list(monkeypatch, folder, corpus, capsys)
    assert code == 0 and not marker.exists()
    assert "belongs to another user" in err


def test_a_planted_entry_behind_a_symlinked_folder_never_runs(tmp_path, corpus, monkeypatch, capsys):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    marker = tmp_path / "marker"
    _plant(real, corpus, marker, secret=b"k" * 32)
    link = tmp_path / "cache"
    link.symlink_to(real)
    code, err = _list(monkeypatch, link, corpus, capsys)
    assert code == 0 and not marker.exists()
    assert "symbolic link" in err


def test_a_forged_entry_in_a_sound_folder_is_ignored_and_rebuilt(tmp_path, corpus, monkeypatch, capsys):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    marker = tmp_path / "marker"
    _plant(folder, corpus, marker)  # no key of the user's: the tag cannot be right
    code, err = _list(monkeypatch, folder, corpus, capsys)
    assert code == 0 and not marker.exists() and err == ""
    # The entry was rebuilt under the user's key, and the old-format pickle removed.
    entry = folder / (_key_for_file(corpus) + C.SUFFIX)
    with C.open_cache(str(folder)) as c:
        assert pickle.loads(c.get(_key_for_file(corpus))).corpus.states.keys() == {"AAA", "BBB"}
    assert not list(folder.glob("*.pickle"))
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_a_tampered_or_moved_entry_is_not_trusted(tmp_path):
    folder = tmp_path / "cache"
    with C.open_cache(str(folder)) as c:
        assert c.put("a" * 64, b"payload-a")
        assert c.get("a" * 64) == b"payload-a"
        raw = (folder / ("a" * 64 + C.SUFFIX)).read_bytes()
        (folder / ("a" * 64 + C.SUFFIX)).write_bytes(raw[:-1] + b"B")
        assert c.get("a" * 64) is None
        # A genuine entry moved to another key's name does not authenticate there.
        (folder / ("b" * 64 + C.SUFFIX)).write_bytes(raw)
        assert c.get("b" * 64) is None


def test_files_are_private(tmp_path):
    folder = tmp_path / "new" / "cache"
    with C.open_cache(str(folder)) as c:
        c.put("a" * 64, b"x")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for f in folder.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_a_key_others_could_read_is_replaced(tmp_path):
    folder = tmp_path / "cache"
    with C.open_cache(str(folder)) as c:
        c.put("a" * 64, b"x")
        old = c.secret
    os.chmod(folder / C.KEY_FILE, 0o644)
    with C.open_cache(str(folder)) as c:
        assert c.secret != old and c.get("a" * 64) is None
    assert stat.S_IMODE((folder / C.KEY_FILE).stat().st_mode) == 0o600


def test_a_file_with_nul_does_not_collide_with_two_files(tmp_path, monkeypatch):
    """The old key hashed `name NUL text NUL ...`: one file holding `x NUL b.treaty NUL y` had the key of the
    two files a.treaty = x and b.treaty = y, and was served their checked corpus."""
    one = {"a.treaty": 'state AAA "A"\n\0b.treaty\0state BBB "B"\n'}
    two = {"a.treaty": 'state AAA "A"\n', "b.treaty": 'state BBB "B"\n'}
    assert L._cache_key(one) != L._cache_key(two)
    monkeypatch.setenv("OBLIGATIONS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("OBLIGATIONS_NO_CACHE", raising=False)
    assert L.load_texts_cached(two).ok
    loaded = L.load_texts_cached(one)
    assert any(d.code == "E001" for d in loaded.diagnostics)


def test_the_key_is_length_prefixed():
    assert C.key_for(b"ab", b"c") != C.key_for(b"a", b"bc") != C.key_for(b"abc")
    assert C.key_for(b"") != C.key_for()


def test_least_recently_used_entries_are_evicted(tmp_path, monkeypatch):
    entry = len(C.MAGIC) + C.TAG + 1000
    monkeypatch.setenv("OBLIGATIONS_CACHE_MAX_BYTES", str(3 * entry))
    folder = tmp_path / "cache"
    with C.open_cache(str(folder)) as c:
        for i, k in enumerate("abc"):
            c.put(k * 64, bytes(1000))
            os.utime(folder / (k * 64 + C.SUFFIX), ns=(i * 10**9, i * 10**9))
        assert c.get("a" * 64) is not None  # a is used again: b is now the least recent
        c.put("d" * 64, bytes(1000))
        names = {p.name[0] for p in folder.glob("*" + C.SUFFIX)}
    assert names == {"a", "c", "d"}


@pytest.mark.parametrize("fail", ["write", "replace"])
def test_a_failed_write_leaves_no_temp_file(tmp_path, monkeypatch, fail):
    folder = tmp_path / "cache"
    with C.open_cache(str(folder)) as c:
        def full(*a, **k):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, fail, full)
        assert not c.put("a" * 64, b"x" * 100)
        monkeypatch.undo()
        assert c.get("a" * 64) is None
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_full_disk_does_not_stop_a_query(tmp_path, corpus, monkeypatch, capsys):
    real_replace = os.replace

    def full(src, dst, *a, **k):
        if str(dst).endswith(C.SUFFIX):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", full)
    code, err = _list(monkeypatch, tmp_path / "cache", corpus, capsys)
    assert code == 0 and err == ""
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")]


def test_no_cache_when_turned_off(tmp_path, corpus, monkeypatch, capsys):
    monkeypatch.setenv("OBLIGATIONS_NO_CACHE", "1")
    monkeypatch.setenv("OBLIGATIONS_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["list", "states", "--corpus", str(corpus)]) == 0
    assert not (tmp_path / "cache").exists()
