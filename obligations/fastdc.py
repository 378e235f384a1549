"""Cheaper unpickling of slotted dataclasses: the cached corpus is thousands of them.

Python's own `__setstate__` for a dataclass with slots calls `fields()` for every object; on a warm `ask` that
was a third of loading the corpus from the cache. This one reads the field names computed once per class and
sets the same attributes in the same order, from the same state (`__getstate__` is unchanged).
"""

from __future__ import annotations

import dataclasses


def fast_setstate(namespace: dict) -> None:
    """Give every slotted dataclass defined in `namespace` (a module's globals()) the cheaper `__setstate__`."""
    for obj in list(namespace.values()):
        if not (isinstance(obj, type) and dataclasses.is_dataclass(obj) and "__slots__" in obj.__dict__):
            continue
        own = obj.__dict__.get("__setstate__")
        if own is None or getattr(own, "__name__", "") != "_dataclass_setstate":
            continue  # a class that defines its own state, or a Python whose dataclasses do it another way
        names = tuple(f.name for f in dataclasses.fields(obj))

        def __setstate__(self, state, _names=names, _set=object.__setattr__):
            for name, value in zip(_names, state):
                _set(self, name, value)

        obj.__setstate__ = __setstate__
