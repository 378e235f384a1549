"""`obligations import atop`, `obligations export dyad-years`, `obligations compare-atop`: the field's datasets.

See docs/ATOP.md. No ATOP or COW file is shipped: they are read from where the user keeps them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from obligations.budget import add_options as add_budget_options
from obligations.commands.common import Command, add_corpus_options, add_json, dump_json, print_diagnostics

EXPORT_BUDGET_S = 600.0  # all of ATOP 5.1, 1815-2018, takes about 10 s
DEFAULT_ATOP = os.environ.get("OBLIGATIONS_ATOP_DATA", "../shared/data/atop")


_INT, _STR = {"type": "integer"}, {"type": "string"}
_STRS = {"type": "array", "items": _STR}
_IMPORT = {"type": "object", "required": ["out", "files", "alliances", "instruments", "clauses", "skipped", "other_files"],
           "properties": {"out": _STR, "files": _INT, "alliances": _INT, "instruments": _INT, "clauses": _INT,
                          "skipped": _STRS, "other_files": _STRS}}
_RUN = {"type": "object",
        "required": ["a", "b", "ccode1", "ccode2", "obligation", "years", "engine", "atop", "cause", "reason", "verdict", "note"],
        "properties": {"a": _STR, "b": _STR, "ccode1": _INT, "ccode2": _INT,
                       "obligation": {"enum": ["defense", "offense", "neutral", "nonagg", "consul", "row"]},
                       "years": {"type": "array", "items": _INT}, "engine": _INT, "atop": _INT, "cause": _STR,
                       "reason": _STR, "verdict": {"enum": ["engine", "ATOP", "unclear", "codes", "not reviewed"]},
                       "note": _STR}}
_COMPARE = {"type": "object", "required": ["first", "last", "stats", "missing_codes", "alliances"],
            "properties": {"first": _INT, "last": _INT, "stats": {"type": "object"}, "missing_codes": _STRS,
                           "alliances": {"type": "array", "items": {
                               "type": "object",
                               "required": ["atop", "instruments", "cells", "both", "engine_only", "atop_only", "runs"],
                               "properties": {"atop": _INT, "instruments": _STRS,
                                              "cells": {"type": "object", "description": "obligation -> [cells that agree, "
                                                        "cells, cells where both code 1, cells where either codes 1]"},
                                              "both": _INT, "engine_only": _INT, "atop_only": _INT,
                                              "runs": {"type": "array", "items": _RUN}}}}}}


def _usage(msg: str):
    from obligations.errors import UsageError

    return UsageError(msg)


def _data(fn, *args):
    from obligations.atop.data import DataError

    try:
        return fn(*args)
    except DataError as e:
        raise _usage(str(e)) from None


def _budget(a: argparse.Namespace):
    from obligations.budget import with_budget
    from obligations.smt.decision import Limits

    return with_budget(a, Limits())


def _years(first: int, last: int) -> tuple[int, int]:
    if first > last:
        raise _usage(f"--from {first} is after --to {last}")
    if first < 1 or last > 9998:
        raise _usage("years run from 1 to 9998")
    return first, last


# ---- import atop ------------------------------------------------------------------------------------------


def configure_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", choices=["atop"], help="the dataset to import (ATOP 5.1)")
    p.add_argument("members", metavar="ATOP_M_CSV", help="ATOP 5.1's member-level file (atop5_1m.csv)")
    p.add_argument("--alliances", metavar="ATOP_A_CSV", help="ATOP 5.1's alliance-level file (atop5_1a.csv): "
                   "gives each alliance's first signature")
    p.add_argument("--cow-states", metavar="CSV", help="COW's states2016.csv: ends states that COW ends "
                   "(default: cow/states2016.csv beside the ATOP folder, if there)")
    p.add_argument("--only", metavar="IDS", help="import only these alliances (comma-separated ATOP ids)")
    p.add_argument("--out", required=True, metavar="DIR", help="write the clause files to this folder")
    p.add_argument("--force", action="store_true",
                   help="replace files in DIR even if an earlier import did not write them (e.g. your own states.treaty)")
    add_json(p)


def _ids(text: str) -> set[int]:
    """--only's ATOP ids: positive whole numbers separated by commas, at least one."""
    parts = [x.strip() for x in text.split(",")]
    bad = [x for x in parts if not (x.isascii() and x.isdigit() and 0 < len(x) <= 9 and int(x) > 0)]
    if bad or not parts:
        what = f"{bad[0]!r} is not an ATOP id" if bad and bad[0] else "an id is missing"
        raise _usage(f"--only takes ATOP ids (positive whole numbers) separated by commas: {what} in {text!r}")
    return {int(x) for x in parts}


def run_import(a: argparse.Namespace) -> int:
    from obligations.atop import importer
    from obligations.fsio import FsError
    from obligations.atop.data import read_alliances, read_cow_states, read_members
    from obligations.diagnostics import has_errors
    from obligations.model.load import load_texts

    only = None
    if a.only is not None:
        only = _ids(a.only)
    members = _data(read_members, a.members)
    alliances = _data(read_alliances, a.alliances) if a.alliances else None
    cow_path = a.cow_states or str(Path(a.members).resolve().parent.parent / "cow" / "states2016.csv")
    cow = _data(read_cow_states, cow_path) if (a.cow_states or Path(cow_path).is_file()) else None
    imp = _data(importer.build, members, alliances, cow, only)
    texts = importer.canonical(imp.files)
    loaded = load_texts(texts)
    if has_errors(loaded.diagnostics):  # a bug in the importer: write nothing that does not check
        print_diagnostics(loaded.diagnostics, loaded.texts)
        print("obligations import: the generated files do not check; nothing written", file=sys.stderr)
        return 1
    out = Path(a.out)
    try:
        importer.write(imp, out, texts, force=a.force)
    except FsError as e:
        raise _usage(str(e)) from None
    others = sorted(p.name for p in out.glob("*.treaty") if p.name not in texts)
    if others:  # a folder holding an earlier import: its other files would be read with this one
        print(f"obligations import: note: {len(others)} other .treaty file(s) in {out} were left as they are "
              f"(e.g. {others[0]}); a corpus read from {out} includes them", file=sys.stderr)
    summary = {"out": str(out), "files": len(texts), "alliances": len(imp.alliances), "instruments": imp.instruments,
               "clauses": imp.clauses, "skipped": imp.skipped, "other_files": others}
    if a.json:
        dump_json(summary)
    else:
        print(f"imported {len(imp.alliances)} alliance(s): {imp.instruments} instrument(s), {imp.clauses} clause(s) "
              f"in {len(texts)} file(s) under {out}; `obligations check --alone {out}` passes (a corpus with its own "
              f"world: query it with --corpus {out})")
        for s in imp.skipped:
            print(f"  skipped: {s}")
    return 0


IMPORT = Command(
    name="import",
    help="import a dataset as clause files (ATOP 5.1)",
    description="Turn ATOP 5.1's member-level file into clause files: one instrument per alliance phase, its members "
                "with ATOP's entry and exit dates, a clause for each obligation ATOP codes, and ATOP's conditions as "
                "open terms (answers that turn on them are `depends`). Every article says it is ATOP's coding, not "
                "the agreement's words. See docs/ATOP.md.",
    examples="  obligations import atop ../shared/data/atop/atop5_1m.csv --out /tmp/atop\n"
             "  obligations import atop ../shared/data/atop/atop5_1m.csv --only 3180,3215 --alliances ../shared/data/atop/atop5_1a.csv --out /tmp/atop-two",
    configure=configure_import,
    run=run_import,
    json_schema=lambda: _IMPORT,
)


# ---- export dyad-years ------------------------------------------------------------------------------------


def configure_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("shape", choices=["dyad-years"], help="the shape to export: ATOP's directed dyad-years")
    p.add_argument("--from", dest="first", type=int, default=1815, metavar="YEAR", help="first year (default 1815)")
    p.add_argument("--to", dest="last", type=int, default=2018, metavar="YEAR", help="last year (default 2018)")
    p.add_argument("--instrument", action="append", default=None, metavar="NAME", help="only these instruments (repeatable)")
    p.add_argument("--draft", action="append", default=[], metavar="NAME", help="read this draft as if in force")
    p.add_argument("--without", action="append", default=[], metavar="NAME", help="leave this instrument out")
    p.add_argument("--out", required=True, metavar="FILE", help="the CSV file to write (`-` for standard output)")
    add_corpus_options(p)
    add_budget_options(p, default_s=EXPORT_BUDGET_S)


def run_export(a: argparse.Namespace) -> int:
    from obligations.atop.export import Exporter, to_ccodes, write_csv
    from obligations.commands.common import workspace_from_args

    first, last = _years(a.first, a.last)
    ws = workspace_from_args(a)
    corpus, drafts = ws.corpus, ws.drafts
    for n in a.instrument or []:
        ws.require("instrument", n)
    limits = _budget(a)
    res = Exporter(corpus, drafts, set(a.instrument) if a.instrument else None, limits=limits).run(first, last)
    if limits.expired():  # answers past the deadline would be counted as 1: write nothing rather than that
        from obligations.budget import budget_message

        raise _usage(budget_message(a, answer=False) + " (nothing was written)")
    rows, missing = to_ccodes(corpus, res.combined())
    if missing:
        print(f"obligations export: left out (no COW code in the corpus): {', '.join(sorted(missing))}", file=sys.stderr)
    if res.unknown:
        print(f"obligations export: {len(res.unknown)} answer(s) reached a solver limit and were counted as 1: "
              f"{'; '.join(res.unknown[:5])}", file=sys.stderr)
    if a.out == "-":
        write_csv(rows, sys.stdout)  # a reader that leaves (`| head`) ends the CLI quietly
    else:
        import io

        from obligations.fsio import FsError, write_atomic

        buf = io.StringIO(newline="")
        write_csv(rows, buf)
        try:  # all or nothing: a full disk leaves the previous file, not a truncated CSV that looks valid
            write_atomic(a.out, buf.getvalue())
        except FsError as e:
            raise _usage(str(e)) from None
        print(f"wrote {len(rows)} directed dyad-years ({first}–{last}) to {a.out}", file=sys.stderr)
    return 0


EXPORT = Command(
    name="export",
    help="export the engine's obligations as ATOP's directed dyad-years",
    description="Write ccode1,ccode2,year,defense,offense,neutral,nonagg,consul: A's obligations toward B in each "
                "year, derived by the engine from any corpus (the bundled one, an import, your drafts). A year counts "
                "when the obligation holds on any day of it, as ATOP counts; conditional obligations count. "
                "See docs/ATOP.md.",
    examples="  obligations export dyad-years --from 1954 --to 1956 --out -\n"
             "  obligations export dyad-years --instrument anzus --out /tmp/anzus.csv\n"
             "  obligations export dyad-years --with examples/drafting/pato-draft-2.treaty --draft pato-draft-2 --from 2025 --to 2025 --out /tmp/pato.csv",
    configure=configure_export,
    run=run_export,
)


# ---- compare-atop -----------------------------------------------------------------------------------------


def configure_compare(p: argparse.ArgumentParser) -> None:
    p.add_argument("--atop-members", metavar="CSV", default=f"{DEFAULT_ATOP}/atop5_1m.csv",
                   help="ATOP 5.1's member file (default: ../shared/data/atop/atop5_1m.csv, or $OBLIGATIONS_ATOP_DATA)")
    p.add_argument("--atop-ddyr", metavar="CSV", default=f"{DEFAULT_ATOP}/atop5_1ddyr_obligations.csv",
                   help="ATOP 5.1's directed dyad-year table (for its partner corrections)")
    p.add_argument("--from", dest="first", type=int, default=1815, metavar="YEAR", help="first year (default 1815)")
    p.add_argument("--to", dest="last", type=int, default=2018, metavar="YEAR", help="last year (default 2018)")
    p.add_argument("--draft", action="append", default=[], metavar="NAME", help="read this draft as if in force")
    p.add_argument("--without", action="append", default=[], metavar="NAME", help="leave this instrument out")
    p.add_argument("--out", metavar="FILE", help="write the Markdown report here (default: standard output)")
    add_corpus_options(p)
    add_budget_options(p, default_s=EXPORT_BUDGET_S)
    add_json(p)


def run_compare(a: argparse.Namespace) -> int:
    from obligations.atop import compare
    from obligations.atop.data import read_ddyr, read_members
    from obligations.commands.common import workspace_from_args

    first, last = _years(a.first, a.last)
    for path in (a.atop_members, a.atop_ddyr):
        if not Path(path).is_file():
            raise _usage(f"{path}: no such file (give --atop-members and --atop-ddyr, or set OBLIGATIONS_ATOP_DATA to "
                         "the folder that holds atop5_1m.csv and atop5_1ddyr_obligations.csv)")
    members = _data(read_members, a.atop_members)
    ddyr = _data(read_ddyr, a.atop_ddyr)
    ws = workspace_from_args(a)
    limits = _budget(a)
    cmp = compare.compare(ws.corpus, ws.drafts, members, ddyr, first, last, limits=limits)
    if limits.expired():
        from obligations.budget import budget_message

        raise _usage(budget_message(a, answer=False))
    if not cmp.alliances:
        raise _usage("no instrument of the corpus carries an ATOP id (`atop N`)")
    if a.json:
        dump_json(compare.to_json(cmp))
        return 0
    label = ", ".join(a.corpus) if a.corpus else "the bundled corpus (treaties/)"
    md = compare.markdown(cmp, "The engine's dyad-years against ATOP 5.1", label)
    if a.out:
        from obligations.fsio import FsError, write_atomic

        try:
            write_atomic(a.out, md)
        except FsError as e:
            raise _usage(str(e)) from None
        print(f"wrote the comparison of {len(cmp.alliances)} alliance(s) to {a.out}", file=sys.stderr)
    else:
        sys.stdout.write(md)
    return 0


COMPARE = Command(
    name="compare-atop",
    help="compare the engine's dyad-years with ATOP's, alliance by alliance",
    description="For every instrument with an ATOP id, set the engine's directed dyad-years against ATOP 5.1's for "
                "that alliance; report agreement per alliance and obligation and list every disagreement with its "
                "cause and a reviewer's verdict on which side follows the text. See docs/ATOP.md.",
    examples="  obligations compare-atop --from 1980 --to 1990 --out /tmp/report.md\n"
             "  obligations compare-atop --json --from 1985 --to 1988",
    configure=configure_compare,
    run=run_compare,
    json_schema=lambda: _COMPARE,
)

SPECS = [IMPORT, EXPORT, COMPARE]
