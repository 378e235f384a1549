"""Reading and writing files that others may have prepared: only regular files, bounded, never through a link.

Reading. A clause file (or a dataset) is read only when `stat` says it is a regular file; it is then opened
with O_NOFOLLOW|O_NONBLOCK (a FIFO or a device swapped in after the check neither blocks nor is read), the
open descriptor is checked again with `fstat`, and at most `cap + 1` bytes are read from it, so a file that
grows while it is read cannot get past the cap. Folders are walked without following links to folders;
a link to a file is read only when it resolves inside the folder named; loops, dangling links and special
files (FIFOs, sockets, devices) are reported, never opened.

Writing. `write_atomic` writes a temp file created with O_CREAT|O_EXCL|O_NOFOLLOW in the target's folder
(relative to a descriptor of that folder), syncs it and renames it over the target: a reader sees the old
file or the new one, never a mix, and a failure leaves the old file as it was and no temp file behind.
It never writes through or over a symbolic link, refuses a read-only target, keeps the mode of the file
it replaces, and can be told to replace only files it recognises.

Every refusal is an `FsError` with a code (E1xx), the path, a message and a hint; `diagnostic()` turns it
into the located `Diagnostic` the commands print.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable

SUFFIX = ".treaty"

# Codes (see SECURITY.md). E100-E103 predate this module and keep their meaning.
E_READ = "E100"  # no such file, or it cannot be read
E_OUTSIDE = "E101"  # a link that leads out of the folder named
E_SIZE = "E102"  # a file over --max-file-bytes
E_SPECIAL = "E104"  # not a regular file: a FIFO, a socket, a device (or a folder where a file must be)
E_LOOP = "E105"  # a symbolic-link loop
E_TOTAL = "E106"  # the files together over --max-corpus-bytes
E_WRITE = "E107"  # a write failed; the previous file is intact
E_LINK = "E108"  # a write would go through or over a symbolic link
E_READONLY = "E109"  # the file to replace is read-only
E_FOREIGN = "E110"  # the file to replace was not written by this command (import without --force)

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


class FsError(Exception):
    """A file the engine refuses to read or write, with the code and words the user sees."""

    def __init__(self, code: str, path: str | os.PathLike, message: str, hint: str | None = None):
        super().__init__(message)
        self.code, self.path, self.message, self.hint = code, os.fspath(path), message, hint

    def diagnostic(self, name: str | None = None):
        from obligations.diagnostics import Diagnostic
        from obligations.source import Span

        return Diagnostic(code=self.code, message=self.message, span=Span.point(name or self.path), hint=self.hint)

    def __str__(self) -> str:
        return f"{self.path}: error[{self.code}]: {self.message}" + (f" (hint: {self.hint})" if self.hint else "")


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISLNK, "a symbolic link"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def _stat_error(path: str, e: OSError) -> FsError:
    if e.errno == errno.ELOOP:
        return FsError(E_LOOP, path, f"{path} is a symbolic link that loops (or has too many levels); not read",
                       "remove the link, or point it at a clause file")
    if e.errno == errno.ENOENT:
        if os.path.lexists(path):
            return FsError(E_READ, path, f"{path} is a link to nothing (its target does not exist); not read")
        return FsError(E_READ, path, f"no such file or folder: {path}")
    return FsError(E_READ, path, f"cannot read {path}: {_why(e)}")


def _special(path: str, mode: int) -> FsError:
    return FsError(E_SPECIAL, path, f"{path} is {_kind(mode)}, not a regular file; not read",
                   "clause files and datasets are read only from regular files")


# ---- finding clause files -----------------------------------------------------------------------------


def treaty_files(paths: Iterable[str | os.PathLike], errors: list[FsError],
                 found: dict[str, tuple[str, os.stat_result]] | None = None) -> list[str]:
    """The `.treaty` files that `paths` name, in a stable order: a file named directly, or every `.treaty`
    file under a folder (sorted, depth first). Refusals go to `errors`; nothing here opens a file. `found`,
    if given, receives each file's resolved path and the status of what it resolves to (a walk knows both
    without a `realpath` per file: a corpus of 80,000 files is listed in a fraction of a second)."""
    out: list[str] = []
    if found is None:
        found = {}
    for p in paths:
        p = os.fspath(p)
        try:
            st = os.stat(p)
        except OSError as e:
            errors.append(_stat_error(p, e))
            continue
        except ValueError:  # a NUL in the name
            errors.append(FsError(E_READ, repr(p), f"no such file or folder: {p!r}"))
            continue
        if stat.S_ISDIR(st.st_mode):
            out.extend(_walk(p, errors, found))
        elif stat.S_ISREG(st.st_mode):
            out.append(p)
            found[p] = (real(p), st)
        else:
            errors.append(_special(p, st.st_mode))
    return out


def _walk(top: str, errors: list[FsError], found: dict) -> list[str]:
    root = os.path.realpath(top)
    out: list[str] = []
    stack = [top]
    # A folder reached without following a link resolves to its parent's resolved path and its own name.
    reals = {top: root}
    seen_dirs: set[tuple[int, int]] = set()
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            errors.append(FsError(E_READ, d, f"cannot read the folder {d}: {_why(e)}"))
            continue
        subdirs = []
        rd = reals[d]
        rd_sep = rd if rd.endswith(os.sep) else rd + os.sep
        for e in entries:
            path = e.path  # os.path.join(d, e.name), made by scandir
            try:
                # The entry's type comes with the listing: only folders and clause files cost a stat.
                if not e.is_dir(follow_symlinks=False) and not e.name.endswith(SUFFIX):
                    continue
                lst = e.stat(follow_symlinks=False)
            except OSError as x:
                errors.append(_stat_error(path, x))
                continue
            mode = lst.st_mode
            if stat.S_ISDIR(mode):
                key = (lst.st_dev, lst.st_ino)
                if key not in seen_dirs:  # a bind mount of a parent would loop; a link to a folder is not followed
                    seen_dirs.add(key)
                    subdirs.append(path)
                    reals[path] = rd_sep + e.name
                continue
            if not e.name.endswith(SUFFIX):
                continue
            if stat.S_ISLNK(mode):
                try:
                    st = os.stat(path)
                except OSError as x:
                    errors.append(_stat_error(path, x))
                    continue
                target = os.path.realpath(path)
                if not _inside(target, root):
                    errors.append(FsError(E_OUTSIDE, path, f"{path} links outside {top}; not read",
                                          "clause files are read only from inside the folder you name"))
                    continue
                if not stat.S_ISREG(st.st_mode):
                    errors.append(_special(path, st.st_mode))
                    continue
                out.append(path)
                found[path] = (target, st)
            elif stat.S_ISREG(mode):
                out.append(path)
                found[path] = (rd_sep + e.name, lst)
            else:
                errors.append(_special(path, mode))
        stack.extend(reversed(subdirs))  # depth first, in name order
    return out


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def real(path: str | os.PathLike) -> str:
    """The path with every link resolved; never raises on a loop (the caller reports it when it reads)."""
    return os.path.realpath(os.fspath(path))


# ---- reading ------------------------------------------------------------------------------------------


def read_regular(path: str | os.PathLike, cap: int, name: str | None = None) -> bytes:
    """The bytes of a regular file of at most `cap` bytes, or an FsError. Links are resolved first and the
    resolved file is opened without following links, so what is checked is what is read."""
    shown = name or os.fspath(path)
    target = real(path)
    try:
        st = os.stat(target)
    except OSError as e:
        raise _stat_error(shown, e) from None
    if not stat.S_ISREG(st.st_mode):
        raise _special(shown, st.st_mode)
    if st.st_size > cap:
        raise _too_big(shown, st.st_size, cap)
    try:
        fd = os.open(target, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _NOCTTY)
    except OSError as e:
        raise _stat_error(shown, e) from None
    try:
        fst = os.fstat(fd)
        if not stat.S_ISREG(fst.st_mode):
            raise _special(shown, fst.st_mode)
        chunks, n = [], 0
        while n <= cap:
            b = os.read(fd, min(1 << 20, cap + 1 - n))
            if not b:
                break
            chunks.append(b)
            n += len(b)
        if n > cap:
            raise FsError(E_SIZE, shown, f"{shown} grew past the limit of {cap} bytes while it was read; not read",
                          "raise the limit with --max-file-bytes if the file is genuine")
        return b"".join(chunks)
    except OSError as e:
        raise FsError(E_READ, shown, f"cannot read {shown}: {_why(e)}") from None
    finally:
        os.close(fd)


def _too_big(name: str, size: int, cap: int) -> FsError:
    return FsError(E_SIZE, name, f"{name} is {size} bytes, over the limit of {cap}",
                   "raise the limit with --max-file-bytes if the file is genuine")


def read_text(path: str | os.PathLike, cap: int, name: str | None = None, encoding: str = "utf-8-sig") -> str:
    """`read_regular`, decoded; a file that is not text is an FsError (E103) naming the byte."""
    shown = name or os.fspath(path)
    raw = read_regular(path, cap, shown)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise FsError("E103", shown, f"{shown} is not UTF-8 text (byte {e.start})") from None


# ---- writing ------------------------------------------------------------------------------------------


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    m = os.umask(0o022)
    os.umask(m)
    return m


def _create_temp(dfd: int, name: str) -> tuple[str, int]:
    """A new file in the folder of `dfd`, created exclusively (never an existing file, never through a link)."""
    base = "." + name[:180]
    for _ in range(100):
        tmp = f"{base}.{os.urandom(6).hex()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600, dir_fd=dfd)
            return tmp, fd
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def write_atomic(path: str | os.PathLike, data: bytes | str, *, may_replace: Callable[[bytes], bool] | None = None,
                 foreign_hint: str | None = None) -> None:
    """Replace (or create) the file at `path` with `data`, atomically, never through or over a link.

    A read-only target is refused rather than replaced: renaming over it would need only the folder's
    permission and would defeat what the user (or their version control) meant by marking it read-only.
    With `may_replace`, an existing file is replaced only when `may_replace(first bytes)` says so (E110).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    shown = os.fspath(path)
    folder, name = os.path.split(shown)
    folder = folder or "."
    if not name:
        raise FsError(E_WRITE, shown, f"cannot write {shown}: it names a folder, not a file")
    try:
        dfd = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError as e:
        raise FsError(E_WRITE, shown, f"cannot write {shown}: the folder {folder}: {_why(e)}") from None
    tmp = None
    try:
        old = _vet(dfd, name, shown, may_replace, foreign_hint)
        mode = stat.S_IMODE(old.st_mode) & 0o777 if old is not None else 0o666 & ~_umask()
        try:
            tmp, fd = _create_temp(dfd, name)
            try:
                _write_all(fd, data)
                os.fchmod(fd, mode)
                if old is not None and old.st_uid != os.geteuid():
                    try:
                        os.fchown(fd, old.st_uid, old.st_gid)
                    except OSError:
                        pass  # the new file is ours; its mode is kept all the same
                os.fsync(fd)
            finally:
                os.close(fd)
            _existing(dfd, name, shown)  # a link planted meanwhile is still refused
            os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
            tmp = None
        except OSError as e:
            raise FsError(E_WRITE, shown, f"cannot write {shown}: {_why(e)}; "
                          + ("the previous file is unchanged" if old is not None else "nothing was written")) from None
        try:
            os.fsync(dfd)
        except OSError:
            pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp, dir_fd=dfd)
            except OSError:
                pass
        os.close(dfd)


def check_target(path: str | os.PathLike, *, may_replace: Callable[[bytes], bool] | None = None,
                 foreign_hint: str | None = None) -> None:
    """The FsError `write_atomic(path, ..., may_replace=...)` would raise before writing anything, if any: so
    a command that writes several files can refuse before it writes the first."""
    shown = os.fspath(path)
    folder, name = os.path.split(shown)
    try:
        dfd = os.open(folder or ".", os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except FileNotFoundError:
        return  # the folder will be created: nothing in it to refuse
    except OSError as e:
        raise FsError(E_WRITE, shown, f"cannot write {shown}: the folder {folder}: {_why(e)}") from None
    try:
        _vet(dfd, name, shown, may_replace, foreign_hint)
    finally:
        os.close(dfd)


def _vet(dfd: int, name: str, shown: str, may_replace, foreign_hint):
    """The target's stat if it may be replaced (None if it does not exist); else the FsError."""
    old = _existing(dfd, name, shown)
    if old is not None and may_replace is not None and not may_replace(_head(dfd, name, shown)):
        raise FsError(E_FOREIGN, shown, f"{shown} exists and was not written by this command; not replaced",
                      foreign_hint or "move it away, or pass --force to replace it")
    return old


def _existing(dfd: int, name: str, shown: str):
    try:
        st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise FsError(E_WRITE, shown, f"cannot write {shown}: {_why(e)}") from None
    if stat.S_ISLNK(st.st_mode):
        raise FsError(E_LINK, shown, f"{shown} is a symbolic link; not written through or replaced",
                      f"write to the file it points to ({real(shown)}) by name, or remove the link")
    if not stat.S_ISREG(st.st_mode):
        raise FsError(E_SPECIAL, shown, f"{shown} is {_kind(st.st_mode)}, not a regular file; not replaced")
    if not st.st_mode & 0o222 or not os.access(name, os.W_OK, dir_fd=dfd):
        # No write bit (root may write anyway: the bits say what was meant), or not writable by us.
        raise FsError(E_READONLY, shown, f"{shown} is read-only; not replaced",
                      "make it writable (chmod u+w) if it should change")
    return st


def _head(dfd: int, name: str, shown: str, n: int = 4096) -> bytes:
    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=dfd)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise FsError(E_SPECIAL, shown, f"{shown} is {_kind(st.st_mode)}, not a regular file")
            return os.read(fd, n)
        finally:
            os.close(fd)
    except OSError as e:
        raise FsError(E_WRITE, shown, f"cannot read {shown} to see whether it may be replaced: {_why(e)}") from None


def ensure_folder(path: str | os.PathLike) -> None:
    """Create the output folder (and its parents) if missing; a link to a folder the user named is used."""
    p = os.fspath(path)
    try:
        os.makedirs(p, exist_ok=True)
    except FileExistsError:
        raise FsError(E_WRITE, p, f"cannot write to {p}: it exists and is not a folder") from None
    except OSError as e:
        raise FsError(E_WRITE, p, f"cannot create the folder {p}: {_why(e)}") from None


def path_list(value, what: str) -> list | None:
    """`value` as a list of paths: None stays None, one path (a string or a PathLike) is a list of one, and a
    list, tuple or set of paths is a list. Anything else, or a list holding a non-path, is a TypeError: a
    string is never iterated character by character (each character a path to walk)."""
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset)):
        bad = [v for v in value if not isinstance(v, (str, os.PathLike))]
        if not bad:
            return list(value)
        raise TypeError(f"{what} must hold paths (str or os.PathLike), not {type(bad[0]).__name__} {bad[0]!r}")
    raise TypeError(f"{what} must be a path or a list of paths, not {type(value).__name__}")
