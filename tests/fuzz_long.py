"""The long fuzz run: a million (or --count) generated and mutated inputs through the engine.

    python tests/fuzz_long.py --count 1000000 --jobs 2          # nice -n 19 on a shared machine

Each input is built from its seed and index alone (so any failure can be rebuilt and kept): a generated clause
file (Hypothesis's `files()` strategy, drawn once into a pool), a file or an item of the bundled corpus, or a
special seed (the regression inputs, the hostile corpus, diamonds, date conditions), mutated 1 to 6 times
(tests/fuzzing.py: `mutate`), sometimes spliced with another. Every input goes through parse ->
resolve -> check -> rendering of its diagnostics -> the format round trip; one in ASK_EVERY of those that check
also through `ask` and one in EXPORT_EVERY through the dyad-year export, one in FS_EVERY is planted in a folder among FIFOs, sockets, loops and links and read
from there, and one in CSV_EVERY is a hostile ATOP member file.

It reports the count, the crashes (any exception; a failed round trip) and the hangs (an input still running
after --hang seconds of CPU, measured by the worker's ITIMER_PROF, so that a machine busy with other work does
not turn slowness into a hang; and a wall-clock watchdog in the parent for a worker stuck in C code), writes
each failing input to --save as soon as it is found, and exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import signal
import sys
import time
import traceback
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ASK_EVERY = 25
EXPORT_EVERY = 10
FS_EVERY = 500
CSV_EVERY = 200
# Where an input starts: a generated file (every one checks), the bundled corpus, or a special seed.
KINDS, WEIGHTS = ("generated", "corpus", "special"), (5, 3, 2)


class Hang(BaseException):
    pass


def _pool(seed: int, n: int) -> list[str]:
    """`n` generated clause files (every one checks), drawn with Hypothesis once, deterministically."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from obligations.syntax.format import format_file
    from obligations.testing import files

    out: list[str] = []
    warnings.simplefilter("ignore")

    @settings(max_examples=n, database=None, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(files(), st.just(seed))
    def collect(f, _):
        out.append(format_file(f))

    collect()
    return out


def make_input(seed: int, i: int, base: dict[str, list[str]]) -> tuple[str, str]:
    """The i-th input of a run: (kind, text)."""
    from fuzzing import mutate

    rng = random.Random(f"{seed}:{i}")
    if i % CSV_EVERY == CSV_EVERY - 1:
        return "csv", ""
    kind = rng.choices(KINDS, WEIGHTS)[0]
    text = rng.choice(base[kind])
    if rng.random() < 0.1:  # splice two seeds
        other = rng.choice(base[rng.choice(KINDS)])
        text = text[: rng.randint(0, len(text))] + other[rng.randint(0, len(other)):]
    text = mutate(rng, text) if rng.random() < 0.9 else text
    return ("fs" if i % FS_EVERY == FS_EVERY - 1 else "text"), text


def run_one(seed: int, i: int, base: dict[str, list[str]]) -> None:
    from fuzzing import ask_sample, csv_case, export_sample, folder_case, survives

    kind, text = make_input(seed, i, base)
    rng = random.Random(f"{seed}:{i}:run")
    if kind == "csv":
        csv_case(rng)
        return
    if kind == "fs":
        folder_case(rng, text)
        return
    corpus = survives(text)
    if corpus is not None and i % ASK_EVERY == 0:
        ask_sample(corpus, rng)
    if corpus is not None and i % EXPORT_EVERY == 1:
        export_sample(corpus, rng)


def worker(wid: int, jobs: int, seed: int, count: int, base: dict[str, list[str]], hang_s: float, current, progress, failures,
           start: int | None = None, done: int = 0):
    """Run inputs start, start + jobs, ... (default: wid, wid + jobs, ...), counting in progress[wid]."""
    os.environ["OBLIGATIONS_NO_CACHE"] = "1"

    def alarm(signum, frame):
        raise Hang()

    signal.signal(signal.SIGPROF, alarm)
    progress[wid] = done
    for i in range(wid if start is None else start, count, jobs):
        current[wid] = i
        signal.setitimer(signal.ITIMER_PROF, hang_s)
        try:
            run_one(seed, i, base)
        except Hang:
            failures.put(("hang", i, f"still running after {hang_s} s of CPU"))
        except BaseException as e:  # noqa: BLE001 (every exception is a finding)
            failures.put(("crash", i, "".join(traceback.format_exception_only(type(e), e)).strip()[:2000]
                          + "\n" + "".join(traceback.format_tb(e.__traceback__)[-4:])))
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        done += 1
        progress[wid] = done
    current[wid] = -1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--count", type=int, default=1_000_000, help="inputs to run (default 1,000,000)")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--pool", type=int, default=300, help="generated clause files to mutate (default 300)")
    p.add_argument("--hang", type=float, default=30.0,
                   help="seconds of CPU after which an input counts as a hang (default 30; the watchdog for a worker "
                        "stuck in C code waits 40 times as long, in wall time)")
    p.add_argument("--save", default="fuzz-failures", help="folder for failing inputs (default ./fuzz-failures)")
    p.add_argument("--report", help="write the summary as JSON here too")
    a = p.parse_args(argv)
    from fuzzing import seeds

    t0 = time.time()
    base = {**seeds(), "generated": _pool(a.seed, a.pool)}
    print(f"fuzz_long: {a.count} inputs, seed {a.seed}, {a.jobs} job(s), seed texts: "
          + ", ".join(f"{len(v)} {k}" for k, v in base.items()), flush=True)
    ctx = mp.get_context("fork")
    current = ctx.Array("q", [-1] * a.jobs)
    progress = ctx.Array("q", [0] * a.jobs)
    failures = ctx.Queue()
    procs = {}

    def start(wid: int):
        pr = ctx.Process(target=worker, args=(wid, a.jobs, a.seed, a.count, base, a.hang, current, progress, failures),
                         daemon=True)
        pr.start()
        procs[wid] = pr

    for w in range(a.jobs):
        start(w)
    found: list[tuple] = []
    save = Path(a.save)

    def record(f: tuple) -> None:
        """Keep a failure as soon as it comes: the input rebuilt from its index, and why."""
        found.append(f)
        kind, i, why = f
        k, text = make_input(a.seed, i, base)
        save.mkdir(parents=True, exist_ok=True)
        (save / f"{kind}-{a.seed}-{i}.treaty").write_bytes(text.encode("utf-8", "surrogatepass"))  # CRs as they are
        (save / f"{kind}-{a.seed}-{i}.txt").write_text(f"input kind {k}\n{why}\n", encoding="utf-8")
        print(f"fuzz_long: {kind} on input {i} (kept in {save}): {why.splitlines()[0][:300]}", flush=True)

    last = {w: (-2, time.time()) for w in range(a.jobs)}
    next_report = time.time() + 60
    while any(pr.is_alive() for pr in procs.values()) or not failures.empty():
        while not failures.empty():
            record(failures.get())
        now = time.time()
        for w, pr in procs.items():
            i = current[w]
            if not pr.is_alive() or i < 0:
                continue
            if i != last[w][0]:
                last[w] = (i, now)
            elif now - last[w][1] > a.hang * 40:  # stuck where the worker's own timer cannot reach (C code)
                pr.kill()
                pr.join()
                record(("hang", i, f"worker stuck for {now - last[w][1]:.0f} s (killed)"))
                print(f"fuzz_long: worker {w} stuck on input {i}; restarted after it", flush=True)
                # Restart this worker's share after the stuck input: its progress counter continues.
                done_before = progress[w]
                _restart(ctx, procs, w, i, a, base, current, progress, failures, done_before)
                last[w] = (-2, time.time())
        if now >= next_report:
            n = sum(progress)
            rate = n / max(1e-9, now - t0)
            print(f"fuzz_long: {n}/{a.count} inputs, {len(found)} failure(s), {rate:.0f}/s", flush=True)
            next_report = now + 60
        time.sleep(0.5)
    for pr in procs.values():
        pr.join()
    while not failures.empty():
        record(failures.get())
    n = sum(progress)
    crashes = [f for f in found if f[0] == "crash"]
    hangs = [f for f in found if f[0] == "hang"]
    elapsed = time.time() - t0
    summary = {"command": " ".join(["python", "tests/fuzz_long.py", *(argv if argv is not None else sys.argv[1:])]),
               "inputs": n, "requested": a.count, "seed": a.seed, "crashes": len(crashes), "hangs": len(hangs),
               "seconds": round(elapsed), "per_second": round(n / max(elapsed, 1e-9))}
    print(json.dumps(summary), flush=True)
    for kind, i, why in found[:20]:
        print(f"--- {kind} on input {i}:\n{why}", flush=True)
    if a.report:
        Path(a.report).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if found or n < a.count else 0


def _restart(ctx, procs, w, stuck, a, base, current, progress, failures, done_before):
    """Run worker w's remaining inputs (after the stuck one, which counts as run) in a new process."""
    pr = ctx.Process(target=worker, args=(w, a.jobs, a.seed, a.count, base, a.hang, current, progress, failures,
                                          stuck + a.jobs, done_before + 1), daemon=True)
    pr.start()
    procs[w] = pr


if __name__ == "__main__":
    sys.exit(main())
