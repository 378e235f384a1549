"""Reading ATOP 5.1 and COW files. Nothing here is shipped: the files are read from where the user keeps them."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

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


def _int(v: str | None) -> int | None:
    if v is None or v.strip() == "":
        return None
    return int(float(v))


@dataclass(frozen=True)
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


def _read(path: Path, need: set[str]) -> list[dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DataError(f"{path}: cannot be read ({e})") from None
    if not rows or not need <= set(rows[0]):
        missing = sorted(need - set(rows[0])) if rows else sorted(need)
        raise DataError(f"{path}: not the expected file (missing columns: {', '.join(missing[:6])})")
    return rows


def read_members(path: str | Path) -> list[Member]:
    """ATOP 5.1's member-level file. Missing days: entry on the 1st, exit on the last day of the month
    (CODEBOOK-NOTES §1.2: either choice leaves ATOP's table unchanged)."""
    path = Path(path)
    need = {"atopid", "member", "phase", "maxphase", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit",
            *OBLIGATIONS, *ALL_FLAGS, "asymm", "obvary", "bilat"}
    out = []
    for i, r in enumerate(_read(path, need), start=2):
        try:
            y, m, d = _int(r["yrent"]), _int(r["moent"]), _int(r["dayent"])
            start = dt.date(y, m, d or 1)
            ye, me, de = _int(r["yrexit"]), _int(r["moexit"]), _int(r["dayexit"])
            end = None if not ye else dt.date(ye, me, de or calendar.monthrange(ye, me)[1])
            out.append(Member(
                row=i, atopid=_int(r["atopid"]), member=_int(r["member"]), phase=_int(r["phase"]) or 0,
                maxphase=_int(r["maxphase"]) or 0, start=start, end=end, start_day_known=d is not None,
                end_day_known=bool(de) or not ye, obligations=tuple(_int(r[o]) or 0 for o in OBLIGATIONS),
                flags=frozenset(f for f in ALL_FLAGS if _int(r[f])), asymm=bool(_int(r["asymm"])),
                obvary=bool(_int(r["obvary"])), bilat=bool(_int(r["bilat"]))))
        except (TypeError, ValueError) as e:
            raise DataError(f"{path}:{i}: not a valid member row ({e})") from None
    return out


def read_alliances(path: str | Path) -> dict[int, dt.date]:
    """ATOP's alliance-level file: the date of each alliance's first signature."""
    out = {}
    for i, r in enumerate(_read(Path(path), {"atopid", "begyr", "begmo", "begday"}), start=2):
        try:
            out[_int(r["atopid"])] = dt.date(_int(r["begyr"]), _int(r["begmo"]), _int(r["begday"]) or 1)
        except (TypeError, ValueError) as e:
            raise DataError(f"{path}:{i}: not a valid alliance row ({e})") from None
    return out


def read_ddyr(path: str | Path) -> dict[tuple[int, int, int], tuple[int, ...]]:
    """ATOP's directed dyad-year table (peacesciencer's obligations subset): (ccode1, ccode2, year) -> values."""
    cols = ["atop_" + o for o in OBLIGATIONS]
    out = {}
    rows = _read(Path(path), {"ccode1", "ccode2", "year", *cols})
    for r in rows:
        out[(int(r["ccode1"]), int(r["ccode2"]), int(r["year"]))] = tuple(int(r[c]) for c in cols)
    return out


def read_cow_states(path: str | Path) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """COW's state-system membership: ccode -> spells (first day, last day)."""
    out: dict[int, list] = {}
    for r in _read(Path(path), {"ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"}):
        s = dt.date(int(r["styear"]), int(r["stmonth"]), int(r["stday"]))
        e = dt.date(int(r["endyear"]), int(r["endmonth"]), int(r["endday"]))
        out.setdefault(int(r["ccode"]), []).append((s, e))
    return out


@dataclass(frozen=True)
class CowState:
    ccode: int
    code: str  # the clause language's state code
    name: str
    note: str


def cow_codes() -> dict[int, CowState]:
    """Our state code for each COW code: ISO 3166-1 alpha-3 where one exists; see the notes in cowcodes.csv."""
    text = resources.files("obligations.atop").joinpath("cowcodes.csv").read_text(encoding="utf-8")
    return {int(r["ccode"]): CowState(int(r["ccode"]), r["code"], r["name"], r["note"]) for r in csv.DictReader(text.splitlines())}
