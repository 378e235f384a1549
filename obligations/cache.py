"""The user's cache: bytes kept under a key, authenticated, in a folder only the user can write.

What it guards against: another user (or a downloaded archive, or a shared /tmp) placing an entry that the
engine would deserialize. So:

- the folder (OBLIGATIONS_CACHE_DIR, else $XDG_CACHE_HOME/obligations, else ~/.cache/obligations) is used only
  when it is a real folder (not a symbolic link), owned by the user, and not writable by group or others;
  otherwise one warning line goes to stderr and the engine runs without the cache. It is opened once, without
  following links, and every file in it is opened relative to that descriptor, so swapping the folder after
  the check changes nothing;
- every entry carries a MAC of its key and content under a random per-user key kept in the folder (`key`,
  0600, written once and never replaced): keyed BLAKE2b, which is a MAC by construction (RFC 7693), with a
  32-byte tag; an entry whose tag does not verify is ignored (and rebuilt by the caller), so nothing
  unauthenticated is ever handed to a deserializer;
- files are created 0600 (the folder 0700), exclusively, through a temp file that is removed if the write
  fails; the folder's entries together stay under a size bound, the least recently used evicted first.

`get` and `put` never raise for a cache problem: no cache is slower, not wrong.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from _operator import _compare_digest as compare_digest  # hmac.compare_digest is this function

try:
    # hashlib's own BLAKE2, without importing hashlib, which loads OpenSSL: with hmac, ~2 ms of every query
    # from the shell (benchmarks/, issue 18).
    from _blake2 import blake2b
except ImportError:  # an interpreter without the module: the same function through hashlib
    from hashlib import blake2b

MAGIC = b"OBLCACHE3\n"  # 3: keyed BLAKE2b tags and digests (2: HMAC-SHA256)
TAG = 32  # bytes of the tag
DIGEST = 32  # bytes of `digest`
KEY_FILE = "key"
SUFFIX = ".entry"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
STALE_TMP_SECONDS = 3600

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)

_warned: set[str] = set()


def default_dir() -> str | None:
    """The cache folder's path, or None when OBLIGATIONS_NO_CACHE is set."""
    if os.environ.get("OBLIGATIONS_NO_CACHE"):
        return None
    return os.environ.get("OBLIGATIONS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "obligations")


def max_bytes() -> int:
    try:
        return max(0, int(os.environ.get("OBLIGATIONS_CACHE_MAX_BYTES", DEFAULT_MAX_BYTES)))
    except ValueError:
        return DEFAULT_MAX_BYTES


def _warn(path: str, why: str) -> None:
    if path in _warned:
        return
    _warned.add(path)
    try:
        print(f"obligations: warning: not using the cache folder {path}: {why}; running without the cache",
              file=sys.stderr)
    except Exception:
        pass


def digest(data: bytes) -> bytes:
    """The 32-byte BLAKE2b digest of `data`: what the packed corpus records of each part and file it holds."""
    return blake2b(data, digest_size=DIGEST).digest()


def key_for(*parts: bytes) -> str:
    """A cache key from parts, each length-prefixed: no two lists of parts give the same key."""
    h = blake2b(digest_size=32)
    h.update(len(parts).to_bytes(8, "big"))
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return h.hexdigest()


class Cache:
    """An open, checked cache folder. Use `open_cache()`; close it (or use `with`)."""

    def __init__(self, path: str, dfd: int, secret: bytes, limit: int):
        self.path, self.dfd, self.secret, self.limit = path, dfd, secret, limit

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self.dfd >= 0:
            os.close(self.dfd)
            self.dfd = -1

    def _tag(self, name: str, payload: bytes) -> bytes:
        h = blake2b(key=self.secret, digest_size=TAG)
        h.update(MAGIC + name.encode() + b"\0")
        h.update(payload)
        return h.digest()

    def _open(self, name: str) -> int | None:
        """A descriptor on the entry `name` if it is a regular file of ours (never through a link)."""
        try:
            fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=self.dfd)
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid():
                return fd
        except OSError:
            pass
        os.close(fd)
        return None

    def get(self, key: str) -> bytes | None:
        """The payload stored under `key`, if present and authentic; else None."""
        name = key + SUFFIX
        fd = self._open(name)
        if fd is None:
            return None
        try:
            size = os.fstat(fd).st_size
            if size > self.limit:
                return None
            data = _read_all(fd, size + 1)
            head = len(MAGIC) + TAG
            if len(data) < head or data[: len(MAGIC)] != MAGIC:
                return None
            tag, payload = data[len(MAGIC):head], data[head:]
            if not compare_digest(tag, self._tag(name, payload)):
                return None
            _touch(fd)
            return payload
        except OSError:
            return None
        finally:
            os.close(fd)

    def put(self, key: str, payload: bytes) -> bool:
        """Store `payload` under `key` (atomically; a failure leaves no file behind). True when stored."""
        name = key + SUFFIX
        head = MAGIC + self._tag(name, payload)
        if len(head) + len(payload) > self.limit:
            return False
        tmp = _write_temp(self.dfd, head, payload)  # not joined: a large pack would be held twice
        if tmp is None:
            return False
        try:
            os.replace(tmp, name, src_dir_fd=self.dfd, dst_dir_fd=self.dfd)
        except OSError:
            _unlink(self.dfd, tmp)
            return False
        self.evict()
        return True

    def get_slices(self, key: str, spans: list[tuple[int, int, bytes]]) -> list[bytes] | None:
        """Parts of the payload stored under `key`, read without reading the rest: each (offset, length,
        `digest`) must match the digest given, which the caller took from an entry that `get` authenticated
        (a pack's index). None when the entry is missing or any part differs: nothing unverified is returned."""
        fd = self._open(key + SUFFIX)
        if fd is None:
            return None
        try:
            size = os.fstat(fd).st_size
            head = len(MAGIC) + TAG
            out = []
            for off, n, want in spans:
                if off < 0 or n < 0 or head + off + n > size:
                    return None
                b = os.pread(fd, n, head + off)
                if len(b) != n or not compare_digest(digest(b), want):
                    return None
                out.append(b)
            _touch(fd)
            return out
        except OSError:
            return None
        finally:
            os.close(fd)

    def evict(self) -> None:
        """Remove the least recently used entries until the folder's entries fit the bound; remove temp
        files a killed process left behind, and entries of the old unauthenticated format."""
        try:
            names = os.listdir(self.dfd)
        except OSError:
            return
        now = time.time()
        entries, total = [], 0
        for n in names:
            try:
                st = os.stat(n, dir_fd=self.dfd, follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            if n.endswith(".pickle") or (n.endswith(".tmp") and now - st.st_mtime > STALE_TMP_SECONDS):
                _unlink(self.dfd, n)
            elif n.endswith(SUFFIX):
                entries.append((st.st_mtime_ns, n, st.st_size))
                total += st.st_size
        entries.sort()
        for _, n, size in entries:
            if total <= self.limit:
                break
            _unlink(self.dfd, n)
            total -= size


def _touch(fd: int) -> None:
    try:
        os.utime(fd)  # least recently used is evicted first
    except OSError:
        pass


def _read_all(fd: int, cap: int) -> bytes:
    chunks, n = [], 0
    while n < cap:
        b = os.read(fd, min(1 << 20, cap - n))
        if not b:
            break
        chunks.append(b)
        n += len(b)
    return b"".join(chunks)


def _unlink(dfd: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=dfd)
    except OSError:
        pass


def _write_temp(dfd: int, *parts: bytes) -> str | None:
    """A new 0600 file holding `parts`, one after another, created exclusively in the folder; None (and no file)
    on failure."""
    tmp = f".{os.getpid()}.{os.urandom(8).hex()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600, dir_fd=dfd)
    except OSError:
        return None
    try:
        for data in parts:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        os.fchmod(fd, 0o600)
    except OSError:
        os.close(fd)
        _unlink(dfd, tmp)
        return None
    os.close(fd)
    return tmp


def _check_folder(path: str, st: os.stat_result) -> str | None:
    """Why the folder may not be used, or None."""
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    if st.st_uid != os.geteuid():
        return f"it belongs to another user (uid {st.st_uid})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "others can write to it (chmod 700 it to use it)"
    return None


def open_cache(path: str | None = None) -> Cache | None:
    """The cache folder, checked and open; None (after one warning if the folder is unsafe) when it cannot
    be used. Creates the folder (0700) and the key (0600) when missing."""
    path = path if path is not None else default_dir()
    if not path:
        return None
    path = os.path.abspath(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return None  # cannot create it (a read-only home): no cache, nothing to warn about
        try:
            st = os.lstat(path)
        except OSError:
            return None
    except OSError:
        return None
    why = _check_folder(path, st)
    if why:
        _warn(path, why)
        return None
    try:
        dfd = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError as e:
        _warn(path, f"it cannot be opened ({e.strerror or e})")
        return None
    try:
        why = _check_folder(path, os.fstat(dfd))  # what was opened, not what was looked at
        if why:
            _warn(path, why)
            os.close(dfd)
            return None
        secret = _secret(dfd)
    except OSError:
        secret = None
    if secret is None:
        os.close(dfd)
        return None
    return Cache(path, dfd, secret, max_bytes())


def _secret(dfd: int) -> bytes | None:
    """The folder's MAC key: read if it is sound (ours, 0600, 32 bytes), else (re)made. A key that others
    could read is replaced, which invalidates every entry authenticated with it."""
    for _ in range(3):
        try:
            fd = os.open(KEY_FILE, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=dfd)
        except FileNotFoundError:
            fd = -1
        except OSError:
            _unlink(dfd, KEY_FILE)  # a link or something else planted there
            fd = -1
        if fd >= 0:
            try:
                st = os.fstat(fd)
                key = _read_all(fd, 33)
            finally:
                os.close(fd)
            if (stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o077
                    and len(key) == 32):
                return key
            _unlink(dfd, KEY_FILE)
        key = os.urandom(32)
        tmp = _write_temp(dfd, key)
        if tmp is None:
            return None
        try:
            os.link(tmp, KEY_FILE, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=False)  # never replaces
        except FileExistsError:
            _unlink(dfd, tmp)
            continue  # another process made it first: read theirs
        except OSError:
            _unlink(dfd, tmp)
            return None
        _unlink(dfd, tmp)
        return key
    return None
