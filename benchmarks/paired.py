"""Paired rounds of `who` and `conflicts` against clingo: the engine in a fresh process (benchmarks.worker, warm
cache, the query timed) and clingo in process, alternately, answers compared every round; prints one Markdown row
per size (medians, and the min-max of the per-round ratios).

    python -m benchmarks.paired 10,50,100,200,1000 9
    python -m benchmarks.paired 2500,5000 3

Corpora are written under $TMPDIR/obligations-paired (or the folder given as a third argument)."""
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from benchmarks import runner, synth, peer_clingo
sizes = [int(x) for x in sys.argv[1].split(",")]
R = int(sys.argv[2])
date = dt.date(2020, 6, 1)
ROOT = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(tempfile.gettempdir()) / "obligations-paired"
env = dict(os.environ)
out = []
for n in sizes:
    folder = ROOT / f"corp{n}"
    if not folder.exists():
        synth.write(n, folder, seed=runner.SEED)
    w, _ = synth.generate(n, seed=runner.SEED)
    q = synth.question(w, date)
    base = {"corpus": str(folder), "date": str(date)}
    wk = [sys.executable, "-m", "benchmarks.worker"]
    who_a = dict(base, what="who", attacker=q.attacker, victim=q.victim, target="territory", place=q.place, depth=0)
    con_a = dict(base, what="conflicts", party=q.party)
    runner.run_child(wk + [json.dumps(dict(base, what="load"))], env, 600)  # fills the cache
    facts = peer_clingo.facts(w)
    ew, cw, ec, cc, rw, rc = [], [], [], [], [], []
    same_w = same_c = True
    for r in range(R):
        j = json.loads(runner.run_child(wk + [json.dumps(who_a)], env, 600)["stdout"].strip().splitlines()[-1])
        pw = peer_clingo.who(w, facts, q.attacker, q.victim, "territory", q.place, date)
        ew.append(j["query_s"]); cw.append(pw["seconds"]); rw.append(j["query_s"] / pw["seconds"])
        same_w &= set(j["obliged"]) == pw["obliged"] and set(j["depends"]) == pw["depends"]
        j = json.loads(runner.run_child(wk + [json.dumps(con_a)], env, 600)["stdout"].strip().splitlines()[-1])
        pc = peer_clingo.conflicts(w, facts, q.party, date)
        ec.append(j["query_s"]); cc.append(pc["seconds"]); rc.append(j["query_s"] / pc["seconds"])
        same_c &= {tuple(p) for p in j["pairs"]} == pc["pairs"]
        npairs = len(pc["pairs"])
    m = lambda xs: statistics.median(xs) * 1000
    row = (f"| {n} | {m(ew):.1f} ms | {m(cw):.1f} ms | {statistics.median(rw):.2f} ({min(rw):.2f}-{max(rw):.2f}) | "
           f"{m(ec):.1f} ms | {m(cc):.1f} ms | {statistics.median(rc):.2f} ({min(rc):.2f}-{max(rc):.2f}) | "
           f"{'yes' if same_w else 'NO'} / {'yes' if same_c else 'NO'} ({npairs} pairs) |")
    print(row, flush=True)
