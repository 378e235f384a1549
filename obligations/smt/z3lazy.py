"""`z3`, imported when first used.

`conflicts` and `who` first decide with Python terms (smt/pyterm.py) and reach the solver only for what those
cannot settle; on the bundled corpus they never do, and importing z3 was a third of such a query from the shell
(~30 ms, issue 18). The modules of the symbolic layer import this stand-in instead of z3: its first attribute
read imports z3 and copies z3's names onto it, so every later `z3.X` is a plain module attribute read, and every
value is z3's own (`isinstance(x, z3.BoolRef)` is z3's class).
"""

from __future__ import annotations

import types


class _Z3(types.ModuleType):
    def __getattr__(self, name: str):
        import z3

        self.__dict__.update((k, v) for k, v in vars(z3).items() if not (k.startswith("__") and k.endswith("__")))
        try:
            return getattr(z3, name)
        except AttributeError:
            raise AttributeError(f"module 'z3' has no attribute {name!r}") from None


z3 = _Z3("z3", "z3, imported when first used (obligations/smt/z3lazy.py)")
