"""What a query from the shell imports, once its corpus is in the cache: the engine's query path and the
standard library's few modules it needs. Start-up is most of such a query's time (benchmarks/, issue 18), and an
import is the easiest way to lose it again unnoticed: each module named below cost a query 1 to 60 ms."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Not on a warm query's path: the solver, the parser, pydantic, and standard modules whose import was measured
# on that path (typing, pathlib with urllib, hashlib and hmac with OpenSSL, shutil with bz2 and lzma, zlib for
# the bundled corpus's pack, dataclasses with inspect).
NOT_IMPORTED = ("z3", "lark", "pydantic", "typing", "pathlib", "urllib", "hashlib", "_hashlib", "hmac", "shutil",
                "bz2", "lzma", "zlib", "dataclasses", "inspect", "importlib.metadata", "importlib.resources")

ASK = ["ask", "--attacker", "CHN", "--victim", "JPN", "--target", "territory", "--at", "senkaku-islands", "--on",
       "2025-06-01", "--party", "USA", "--action", "assist"]

PROBE = """
import sys
before = set(sys.modules)
from obligations.cli import main
code = main({argv!r})
print("IMPORTED", sorted(m for m in {names!r} if m in sys.modules and m not in before), code)
"""


def _run(argv: list[str], cache: str) -> str:
    env = {**os.environ, "OBLIGATIONS_CACHE_DIR": cache}
    env.pop("OBLIGATIONS_NO_CACHE", None)
    r = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv, names=NOT_IMPORTED)], capture_output=True,
                       text=True, timeout=300, env=env)
    return r.stdout + r.stderr


# `who` and `conflicts` decide with Python terms first (obligations/smt/pyterm.py); these two are settled without
# the solver, so z3 (imported when first used: obligations/smt/z3lazy.py) is never loaded.
WHO = ["who", "--attacker", "CHN", "--victim", "JPN", "--target", "territory", "--at", "senkaku-islands", "--on",
       "2025-06-01"]
CONFLICTS = ["conflicts", "--party", "USA", "--on", "2025-06-01"]


@pytest.mark.parametrize("argv", [ASK, WHO, CONFLICTS], ids=["ask", "who", "conflicts"])
def test_a_warm_query_imports_none_of_the_heavy_modules(argv, tmp_path):
    cold = _run(argv, str(tmp_path))  # makes the cache entry: the parser and the rest are imported here
    assert "'lark'" in cold  # the probe sees imports: the cold query parsed the corpus
    warm = _run(argv, str(tmp_path))
    assert "IMPORTED [] " in warm, warm
    assert warm.rstrip().endswith(cold.rstrip().rsplit(" ", 1)[1])  # the same exit code
