"""How many examples property tests run: the default for CI, more with OBLIGATIONS_TEST_SCALE=N (e.g. 100)."""

import os


def examples(n: int) -> int:
    return max(1, int(n * float(os.environ.get("OBLIGATIONS_TEST_SCALE", "1"))))
