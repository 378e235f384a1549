"""Profile one scale query: `python -m benchmarks.profile who|conflicts|batch [--size 1000] [--top 25]`.

Generates the synthetic corpus of the scale benchmark (same seed, same victim
and party), loads it, and runs the query under cProfile; prints the functions
by cumulative and by own time, with their share of the query's total.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    ap.add_argument("query", choices=["who", "conflicts", "batch"])
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--depth", type=int, default=0, help="who: cascade depth (the scale benchmark uses 0)")
    a = ap.parse_args()

    from benchmarks import runner, synth
    from obligations.model.load import load_paths

    date = dt.date(2020, 6, 1)
    pr = cProfile.Profile()
    if a.query == "batch":
        from obligations.api import Engine

        eng = Engine.load()
        cases = runner.batch_scenarios(eng.corpus, 2000, runner.SEED)
        t = time.perf_counter()
        pr.enable()
        for s, q in cases:
            eng.verdict(s, q)
        pr.disable()
    else:
        with tempfile.TemporaryDirectory() as d:
            w = synth.write(a.size, Path(d), seed=runner.SEED)
            corpus = load_paths([d]).corpus
        qn = synth.question(w, date)
        victim, attacker, place, party = qn.victim, qn.attacker, qn.place, qn.party
        t = time.perf_counter()
        if a.query == "who":
            from obligations.query.who import who
            from obligations.scenario import Scenario

            s = Scenario(date=date, attacker=attacker, victim=victim, target="territory", place=place)
            pr.enable()
            who(corpus, s, "assist", depth=a.depth)
            pr.disable()
        else:
            from obligations.query.conflicts import conflicts

            pr.enable()
            conflicts(corpus, party, date)
            pr.disable()
    total = time.perf_counter() - t
    print(f"{a.query} at {a.size} instruments: {total:.2f} s under the profiler")
    st = pstats.Stats(pr)
    for key in ("cumulative", "tottime"):
        print(f"\n-- by {key} time (share of {total:.2f} s)")
        rows = sorted(st.stats.items(), key=lambda kv: kv[1][3] if key == "cumulative" else kv[1][2], reverse=True)[:a.top]
        for (file, line, fn), (cc, nc, tt, ct, _) in rows:
            v = ct if key == "cumulative" else tt
            print(f"{100 * v / total:6.1f}%  {v:8.2f} s  {nc:>9} calls  {fn}  ({Path(file).name}:{line})")


if __name__ == "__main__":
    main()
