"""One measurement in a fresh process: `python -m benchmarks.worker JSON-ARGS`.

Prints one JSON line: what was measured and the answer (so the parent can
compare it with the clingo peer). The parent reads peak memory from wait4().
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time


def main() -> None:
    args = json.loads(sys.argv[1])
    out: dict = {}
    t0 = time.perf_counter()
    from obligations.model.load import load_paths

    loaded = load_paths([args["corpus"]])
    out["load_s"] = time.perf_counter() - t0
    out["ok"] = loaded.ok
    out["errors"] = [d.short() for d in loaded.diagnostics if d.code.startswith("E")][:5]
    corpus = loaded.corpus
    date = dt.date.fromisoformat(args["date"])
    what = args["what"]
    if what == "who":
        from obligations.query.who import who
        from obligations.scenario import Scenario

        s = Scenario(date=date, attacker=args["attacker"], victim=args["victim"], target=args["target"], place=args["place"])
        t = time.perf_counter()
        r = who(corpus, s, "assist", depth=args.get("depth", 0))
        out["query_s"] = time.perf_counter() - t
        out["obliged"] = sorted(e.party for e in r.entries if e.verdict == "obliged")
        out["depends"] = sorted(e.party for e in r.entries if e.verdict == "depends")
        out["unknown"] = sorted(e.party for e in r.entries if e.verdict == "unknown")
    elif what == "conflicts":
        from obligations.query.conflicts import conflicts

        t = time.perf_counter()
        r = conflicts(corpus, args["party"], date)
        out["query_s"] = time.perf_counter() - t
        pairs = set()
        for c in r.conflicts:
            if "both sides" in c.summary:
                ids = [sd.clause for sd in c.sides]
                pairs.add(tuple(sorted(ids if len(ids) == 2 else ids * 2)))
        out["pairs"] = sorted(pairs)
        out["n_conflicts"] = len(r.conflicts)
        out["unknown"] = r.unknown
    elif what == "load":
        pass
    else:
        raise SystemExit(f"unknown measurement {what}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
