"""Reading ATOP 5.1 and COW files. Nothing here is shipped: the files are read from where the user keeps them."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import os
import re
from importlib import resources
from pathlib import Path
from typing import Iterator

from obligations.record import record

OBLIGATIONS: tuple[str, ...] = ("defense", "offense", "neutral", "nonagg", "consul")
# Condition flags by obligation (CODEBOOK-NOTES §1.4); nonagg has none. `olimob` conditions the member's every obligation.
FLAGS: dict[str, tuple[str, ...]] = {
    "defense": ("defcoadv", "defcoloc", "defcocon", "defconum", "defcodem", "defconpr"),
    "offense": ("offcoadv", "offcoloc", "offcocon", "offconum", "offcodem"),
    "neutral": ("neucoadv", "neucoloc", "neucocon", "neuconum", "neucodem", "neuconpr"),
    "nonagg": (),
    "consul": ("concoadv", "concoloc", "concocon", "concoreq"),
}
ALL_FLAGS: tuple[str, ...] = tuple(f for fs in FLAGS.values() for f in fs) + ("neucoatt", "olimob")
END_OF_COVERAGE = dt.date(2018, 12, 31)  # ATOP 5.1's exit 0: "still in effect as of December 31, 2018"


class DataError(ValueError):
    """A file is missing, unreadable, or not the ATOP/COW file it should be."""


@record(frozen=True)
class Member:
    """One row of atop5_1m.csv: one member of one alliance in one phase, over one spell."""

    row: int  # line in the file (header = 1)
    atopid: int
    member: int
    phase: int
    maxphase: int
    start: dt.date
    end: dt.date | None  # ATOP's exit date; None = in effect at the end of coverage
    start_day_known: bool
    end_day_known: bool
    obligations: tuple[int, ...]
    flags: frozenset[str]
    asymm: bool
    obvary: bool
    bilat: bool

    @property
    def stop(self) -> dt.date:
        return self.end or END_OF_COVERAGE


# ---- reading, column by column ------------------------------------------------------------------------

MAX_DATA_BYTES = 512 * 1024 * 1024  # ATOP 5.1's largest file is 6 MB
_WHOLE = re.compile(r"-?[0-9]{1,9}(?:\.0+)?")  # a whole number, as CSV exports write it ("1815" or "1815.0")
MIN_YEAR, MAX_YEAR = 1, 9998  # dt.date's range, less the last year (the engine steps a day past an end)


class _Row:
    """One data row: its line, its cells by column, and checks that raise located DataErrors."""

    def __init__(self, path: Path, line: int, cells: dict[str, str]):
        self.path, self.line, self.cells = path, line, cells

    def fail(self, col: str, expected: str) -> DataError:
        return DataError(f"{self.path}:{self.line}: column {col}: {self.cells.get(col, '')!r} is not {expected}")

    def int(self, col: str, lo: int, hi: int, empty: int | None = None, what: str | None = None) -> int:
        """A whole number in [lo, hi]; an empty cell is `empty` when that is allowed."""
        v = self.cells[col]
        if v.isdigit() and v.isascii() and len(v) <= 9 and lo <= int(v) <= hi:  # the common case, fast
            return int(v)
        v = v.strip()
        expected = what or f"a whole number from {lo} to {hi}" + (" (or empty)" if empty is not None else "")
        if v == "":
            if empty is None:
                raise self.fail(col, expected)
            return empty
        if not _WHOLE.fullmatch(v):
            raise self.fail(col, expected)
        n = int(v.split(".")[0])
        if not lo <= n <= hi:
            raise self.fail(col, expected)
        return n

    def flag(self, col: str) -> int:
        v = self.cells[col]
        if v == "0" or v == "1":
            return int(v)
        return self.int(col, 0, 1, what="0 or 1")

    def date(self, y: str, m: str, d: str, day_default=None, optional: bool = False) -> dt.date | None:
        """A date from three columns. With `day_default`, a missing day (empty or 0) is `day_default(year,
        month)`; without, the day is required. With `optional`, a year of 0 (or empty) means no date."""
        if optional and self.int(y, 0, MAX_YEAR, empty=0, what=f"a year from {MIN_YEAR} to {MAX_YEAR}, or 0 for none") == 0:
            return None
        year = self.int(y, MIN_YEAR, MAX_YEAR, what=f"a year from {MIN_YEAR} to {MAX_YEAR}")
        month = self.int(m, 1, 12, what="a month from 1 to 12")
        last = calendar.monthrange(year, month)[1]
        if day_default is None:
            return dt.date(year, month, self.int(d, 1, last, what=f"a day of {year}-{month:02d} (1 to {last})"))
        day = self.int(d, 0, last, empty=0, what=f"a day of {year}-{month:02d} (1 to {last}), or empty or 0 if unknown")
        return dt.date(year, month, day or day_default(year, month))


def _first(year: int, month: int) -> int:
    return 1


def _last(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _rows(path: Path, need: set[str]) -> Iterator[_Row]:
    """The rows of a CSV file, each with every column of the header (a short or long row is an error), read
    from a regular file only (obligations/fsio.py)."""
    from obligations.fsio import FsError, read_text

    try:
        text = read_text(path, MAX_DATA_BYTES)
    except FsError as e:
        if e.code == "E100" and not os.path.lexists(path):
            raise DataError(f"{path}: no such file") from None
        raise DataError(e.message) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not need <= set(header):
            missing = sorted(need - set(header or ()))
            raise DataError(f"{path}: not the expected file (missing columns: {', '.join(missing[:6])})")
        n = len(header)
        for cells in reader:
            if not cells or cells == [""]:
                continue  # a blank line
            if len(cells) != n:
                raise DataError(f"{path}:{reader.line_num}: the row has {len(cells)} field(s) where the header has {n}"
                                " (a truncated or damaged row)")
            yield _Row(path, reader.line_num, dict(zip(header, cells)))
    except csv.Error as e:
        raise DataError(f"{path}:{reader.line_num}: not a CSV row ({e})") from None


def read_members(path: str | Path) -> list[Member]:
    """ATOP 5.1's member-level file. Missing days: entry on the 1st, exit on the last day of the month
    (CODEBOOK-NOTES §1.2: either choice leaves ATOP's table unchanged). Every column the engine uses is
    checked: a value outside its range is a DataError naming the file, line, column and value."""
    path = Path(path)
    need = {"atopid", "member", "phase", "maxphase", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit",
            *OBLIGATIONS, *ALL_FLAGS, "asymm", "obvary", "bilat"}
    out = []
    for r in _rows(path, need):
        start = r.date("yrent", "moent", "dayent", _first)
        end = r.date("yrexit", "moexit", "dayexit", _last, optional=True)
        if end is not None and end < start:
            raise DataError(f"{path}:{r.line}: the exit ({end}) is before the entry ({start})")
        out.append(Member(
            row=r.line, atopid=r.int("atopid", 1, 99_999), member=r.int("member", 1, 9_999),
            phase=r.int("phase", 0, 999, empty=0), maxphase=r.int("maxphase", 0, 999, empty=0), start=start, end=end,
            start_day_known=r.int("dayent", 0, 31, empty=0) != 0,
            end_day_known=end is None or r.int("dayexit", 0, 31, empty=0) != 0,
            obligations=tuple(r.flag(o) for o in OBLIGATIONS), flags=frozenset(f for f in ALL_FLAGS if r.flag(f)),
            asymm=bool(r.flag("asymm")), obvary=bool(r.flag("obvary")), bilat=bool(r.flag("bilat"))))
    if not out:
        raise DataError(f"{path}: no member rows")
    return out


def read_alliances(path: str | Path) -> dict[int, dt.date]:
    """ATOP's alliance-level file: the date of each alliance's first signature."""
    out = {}
    for r in _rows(Path(path), {"atopid", "begyr", "begmo", "begday"}):
        out[r.int("atopid", 1, 99_999)] = r.date("begyr", "begmo", "begday", _first)
    return out


def read_ddyr(path: str | Path) -> dict[tuple[int, int, int], tuple[int, ...]]:
    """ATOP's directed dyad-year table (peacesciencer's obligations subset): (ccode1, ccode2, year) -> values."""
    cols = ["atop_" + o for o in OBLIGATIONS]
    out = {}
    for r in _rows(Path(path), {"ccode1", "ccode2", "year", *cols}):
        key = (r.int("ccode1", 1, 9_999), r.int("ccode2", 1, 9_999), r.int("year", MIN_YEAR, MAX_YEAR))
        out[key] = tuple(r.flag(c) for c in cols)
    return out


def read_cow_states(path: str | Path) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """COW's state-system membership: ccode -> spells (first day, last day)."""
    out: dict[int, list] = {}
    path = Path(path)
    for r in _rows(path, {"ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"}):
        s = r.date("styear", "stmonth", "stday")
        e = r.date("endyear", "endmonth", "endday")
        if e < s:
            raise DataError(f"{path}:{r.line}: the end ({e}) is before the start ({s})")
        out.setdefault(r.int("ccode", 1, 9_999), []).append((s, e))
    return out


@record(frozen=True)
class CowState:
    ccode: int
    code: str  # the clause language's state code
    name: str
    note: str


def cow_codes() -> dict[int, CowState]:
    """Our state code for each COW code: ISO 3166-1 alpha-3 where one exists; see the notes in cowcodes.csv."""
    text = resources.files("obligations.atop").joinpath("cowcodes.csv").read_text(encoding="utf-8")
    return {int(r["ccode"]): CowState(int(r["ccode"]), r["code"], r["name"], r["note"]) for r in csv.DictReader(text.splitlines())}
