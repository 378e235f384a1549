"""Records: the package's dataclasses, made without the import-time cost of `dataclasses`.

`@record(frozen=..., slots=..., eq=...)` and `field(default=..., default_factory=..., kw_only=..., repr=...,
compare=...)` are the subset of `@dataclass` and `dataclasses.field` this package uses, and give a class what
`@dataclass` gives it on Python 3.11: the same `__init__` (signature, defaults, `__post_init__`), `__repr__`,
`__eq__`, `__hash__`, frozen-ness (`dataclasses.FrozenInstanceError`), `__slots__`, `__match_args__`, docstring
and pickled state, and a `__dataclass_fields__` of real `dataclasses.Field`s, so that `dataclasses.fields`,
`replace`, `asdict`, `is_dataclass` and pydantic (which builds `obligations schema` from them) read a record as
the dataclass it would have been. tests/test_record.py holds every record to what `@dataclass` makes of it.

Why: `@dataclass` writes each method of each class as source text and compiles it (about one `exec` per
method), and formats a docstring through `inspect.signature`: ~0.4 ms a class. A query from the shell imports
~100 of them, and that was a third of its time. Here:

- `__repr__`, `__eq__`, `__hash__`, `__setattr__`/`__delattr__` (frozen) and the pickled state are closures over
  the class's field names: nothing to compile;
- `__init__` is compiled, as `dataclasses` does it (it must stay as fast: a large corpus makes millions of
  objects; a frozen record with slots sets its fields through the slots' own setters, which is faster than
  dataclasses' `object.__setattr__`), but only when the class is first instantiated (or its signature asked
  for), so a class that a command never instantiates costs nothing -- most classes a query reads come from the
  cache, unpickled without `__init__`;
- the docstring is formatted from the fields, without `inspect`;
- `dataclasses` itself (which imports `inspect`, `ast`, `dis`... ~7 ms) is imported only when something asks for
  `Field` objects or a frozen record refuses an assignment.

Nothing here is cached on disk: the code is generated in memory, from the class definitions, in each process.
"""

from __future__ import annotations

import sys
from _thread import get_ident
from operator import attrgetter

__all__ = ["record", "field", "field_names", "replace"]

_MISSING = object()  # stands for dataclasses.MISSING until `dataclasses` is imported


class _Factory:
    """The default of a parameter whose field has a default_factory (dataclasses' _HAS_DEFAULT_FACTORY)."""

    def __repr__(self):
        return "<factory>"


_HAS_DEFAULT_FACTORY = _Factory()


class _Field:
    """A field as declared: what `field()` returns, and each entry of a record's `__record_fields__`."""

    __slots__ = ("name", "type", "default", "default_factory", "kw_only", "repr", "compare")

    def __init__(self, default=_MISSING, default_factory=_MISSING, kw_only=False, repr=True, compare=True):
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = self.type = None
        self.default, self.default_factory, self.kw_only = default, default_factory, kw_only
        self.repr, self.compare = repr, compare

    @property
    def has_default(self) -> bool:
        return self.default is not _MISSING or self.default_factory is not _MISSING


def field(*, default=_MISSING, default_factory=_MISSING, kw_only: bool = False, repr: bool = True,
          compare: bool = True):
    """`dataclasses.field`, for the options records support."""
    return _Field(default, default_factory, kw_only, repr, compare)


def record(cls=None, /, *, frozen: bool = False, slots: bool = False, eq: bool = True):
    """`@dataclass(frozen=frozen, slots=slots, eq=eq)`, made cheaply (see the module's docstring)."""

    def wrap(c):
        return _process(c, frozen, slots, eq)

    return wrap if cls is None else wrap(cls)


def field_names(obj) -> tuple[str, ...] | None:
    """The field names of a record class or instance, in order (what `dataclasses.fields` would list), or None for
    anything that is not a record. Cheaper than `dataclasses.fields`, and imports nothing."""
    fs = getattr(obj if isinstance(obj, type) else type(obj), "__record_fields__", None)
    return None if fs is None else tuple(f.name for f in fs)


def replace(obj, /, **changes):
    """`dataclasses.replace` for a record: a copy of `obj` with `changes`, made through its `__init__`."""
    for f in type(obj).__record_fields__:
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)


# ---- making a record ----------------------------------------------------------------------------------------

def _own_fields(cls) -> list[_Field]:
    annotations = cls.__dict__.get("__annotations__", {})
    out = []
    for name, typ in annotations.items():
        text = typ if isinstance(typ, str) else str(typ)
        if "ClassVar" in text or "InitVar" in text or "KW_ONLY" in text:  # pseudo-fields: not supported here
            raise TypeError(f"{cls.__name__}.{name}: {text} is not supported by @record (use @dataclass)")
        default = cls.__dict__.get(name, _MISSING)
        f = default if isinstance(default, _Field) else _Field(default)
        if f.default is not _MISSING and type(f.default).__hash__ is None:  # as dataclasses refuses them
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: use default_factory")
        f.name, f.type = name, typ
        out.append(f)
    for name, value in cls.__dict__.items():
        if isinstance(value, _Field) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    return out


def _process(cls, frozen: bool, slots: bool, eq: bool):
    fields: dict[str, _Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        inherited = base.__dict__.get("__record_fields__")
        if inherited is not None:
            if base.__record_params__["frozen"] != frozen:
                raise TypeError("cannot inherit frozen dataclass from a non-frozen one" if frozen
                                else "cannot inherit non-frozen dataclass from a frozen one")
            fields.update((f.name, f) for f in inherited)
        elif "__dataclass_fields__" in base.__dict__:
            raise TypeError(f"{cls.__name__}: a record cannot extend the @dataclass {base.__name__}")
    own = _own_fields(cls)
    fields.update((f.name, f) for f in own)
    all_fields = tuple(fields.values())
    std = [f for f in all_fields if not f.kw_only]
    seen_default = False
    for f in std:
        if f.has_default:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    names = tuple(fields)

    if slots:
        cls = _with_slots(cls, names)
    else:
        for f in own:  # as dataclasses leaves them: the default as the class attribute, or none
            if isinstance(cls.__dict__.get(f.name), _Field):
                if f.default is _MISSING:
                    delattr(cls, f.name)
                else:
                    setattr(cls, f.name, f.default)

    cls.__record_fields__ = all_fields
    cls.__record_params__ = {"frozen": frozen, "slots": slots, "eq": eq}
    own_dict = cls.__dict__
    # Explicit __hash__: one written in the class, not the None Python puts there beside an __eq__ of its own.
    class_hash = own_dict.get("__hash__", _MISSING)
    has_explicit_hash = not (class_hash is _MISSING or (class_hash is None and "__eq__" in own_dict))

    if "__init__" not in own_dict:
        cls.__init__ = _lazy_init(cls)
        cls.__signature__ = _OnFirstRead(cls, "__signature__", _signature_hook)
    if "__repr__" not in own_dict:
        cls.__repr__ = _repr(cls, tuple(f.name for f in all_fields if f.repr))
    key = _values(tuple(f.name for f in all_fields if f.compare))
    if eq and "__eq__" not in own_dict:
        cls.__eq__ = _eq(cls, key)
    if frozen:
        for name, fn in (("__setattr__", _frozen_setattr(cls, names)), ("__delattr__", _frozen_delattr(cls, names))):
            if name in own_dict:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
            setattr(cls, name, fn)
    if eq and not has_explicit_hash:  # dataclasses' table, for unsafe_hash=False
        cls.__hash__ = _hash(cls, key) if frozen else None
    if not cls.__doc__:  # made when read (help(), pydantic's schema): no query reads it
        cls.__doc__ = _OnFirstRead(cls, "__doc__", _doc)
    if "__match_args__" not in own_dict:
        cls.__match_args__ = tuple(f.name for f in std)
    if frozen and slots:  # pickling: the state is the list of field values, as dataclasses makes it
        if "__getstate__" not in own_dict:
            cls.__getstate__ = _getstate(cls, _values(names))
        if "__setstate__" not in own_dict:
            cls.__setstate__ = _setstate(cls, names)
    if sys.version_info >= (3, 13) and "__replace__" not in own_dict:
        cls.__replace__ = replace
    cls.__dataclass_fields__ = _OnFirstRead(cls, "__dataclass_fields__", _dataclass_fields)
    cls.__dataclass_params__ = _OnFirstRead(cls, "__dataclass_params__", _dataclass_params)
    return cls


def _with_slots(cls, names: tuple[str, ...]):
    """The class made again with `__slots__` (they cannot be added to a class once made), as dataclasses does."""
    if "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__} already specifies __slots__")
    inherited: set[str] = set()
    for base in cls.__mro__[1:-1]:
        s = base.__dict__.get("__slots__")
        inherited.update((s,) if isinstance(s, str) else s or ())
    cls_dict = dict(cls.__dict__)
    cls_dict["__slots__"] = tuple(n for n in names if n not in inherited)
    for n in names:
        cls_dict.pop(n, None)
    cls_dict.pop("__dict__", None)
    cls_dict.pop("__weakref__", None)
    qualname = getattr(cls, "__qualname__", None)
    new = type(cls)(cls.__name__, cls.__bases__, cls_dict)
    if qualname is not None:
        new.__qualname__ = qualname
    return new


def _values(names: tuple[str, ...]):
    """obj -> the tuple of its values of `names` (what dataclasses' methods compare, hash and pickle)."""
    if len(names) > 1:
        return attrgetter(*names)
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()


def _named(cls, fn, name: str):
    fn.__name__ = name
    fn.__qualname__ = f"{cls.__qualname__}.{name}"
    fn.__module__ = cls.__module__
    return fn


def _repr(cls, names: tuple[str, ...]):
    running: set = set()  # as dataclasses' _recursive_repr: a record that contains itself shows "..."

    def __repr__(self):
        k = id(self), get_ident()
        if k in running:
            return "..."
        running.add(k)
        try:
            return f"{self.__class__.__qualname__}({', '.join([f'{n}={getattr(self, n)!r}' for n in names])})"
        finally:
            running.discard(k)

    return _named(cls, __repr__, "__repr__")


def _eq(cls, key):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return _named(cls, __eq__, "__eq__")


def _hash(cls, key):
    def __hash__(self):
        return hash(key(self))

    return _named(cls, __hash__, "__hash__")


def _frozen_error(message: str):
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(message)


def _frozen_setattr(cls, names: tuple[str, ...]):
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise _frozen_error(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return _named(cls, __setattr__, "__setattr__")


def _frozen_delattr(cls, names: tuple[str, ...]):
    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise _frozen_error(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return _named(cls, __delattr__, "__delattr__")


def _getstate(cls, values):
    def __getstate__(self):
        return list(values(self))

    return _named(cls, __getstate__, "__getstate__")


def _setstate(cls, names: tuple[str, ...]):
    # The slots' own setters, looked up once, when the class is first unpickled (most classes a query imports
    # never are): unpickling the cached corpus calls this for thousands of objects, and a frozen record's
    # __setattr__ refuses. (dataclasses' version calls fields() for every object.)
    setters = None

    def __setstate__(self, state):
        nonlocal setters
        if setters is None:
            setters = tuple(getattr(cls, n).__set__ for n in names)
        for set_, value in zip(setters, state):
            set_(self, value)

    return _named(cls, __setstate__, "__setstate__")


def _doc(cls) -> str:
    return cls.__name__ + _text_signature(cls.__record_fields__)


def _text_signature(fields) -> str:
    """`str(inspect.signature(cls))` without its ` -> None`, as dataclasses writes it into the docstring of a
    class that has none: `Span(file: 'str', line: 'int', ...)`."""
    params = []
    for kw in (False, True):
        group = [f for f in fields if f.kw_only == kw]
        if kw and group:
            params.append("*")
        for f in group:
            ann = repr(f.type) if isinstance(f.type, str) else _format_annotation(f.type)
            if f.default_factory is not _MISSING:
                params.append(f"{f.name}: {ann} = <factory>")
            elif f.default is not _MISSING:
                params.append(f"{f.name}: {ann} = {f.default!r}")
            else:
                params.append(f"{f.name}: {ann}")
    return "(" + ", ".join(params) + ")"


def _format_annotation(t) -> str:
    import inspect  # only for a module without `from __future__ import annotations`

    return inspect.formatannotation(t)


# ---- what is made on first use ------------------------------------------------------------------------------


class _OnFirstRead:
    """A class attribute computed when first read (from the class or an instance), then stored in its place.
    Two threads may both compute it: each gets an equal value."""

    def __init__(self, owner, name: str, make):
        self.owner, self.name, self.make = owner, name, make

    def __get__(self, obj, objtype=None):
        value = self.make(self.owner)
        setattr(self.owner, self.name, value)
        return value


def _lazy_init(cls):
    def __init__(self, *args, **kwargs):
        _make_init(cls)(self, *args, **kwargs)

    __init__.__record_stub__ = True
    return _named(cls, __init__, "__init__")


def _signature_hook(cls):
    """inspect.signature(cls) reads `cls.__signature__` first: make the real __init__, and answer None (which
    stays as the attribute) so that it goes on to read it."""
    _make_init(cls)
    return None


def _make_init(cls):
    """Compile the class's __init__, as dataclasses writes it, and put it in place of the stub."""
    init = cls.__dict__["__init__"]
    if not getattr(init, "__record_stub__", False):
        return init  # made already (by another thread, or by inspect.signature)
    fields = cls.__record_fields__
    frozen, slots = cls.__record_params__["frozen"], cls.__record_params__["slots"]
    self_name = "__dataclass_self__" if "self" in {f.name for f in fields} else "self"
    local: dict = {"__dataclass_HAS_DEFAULT_FACTORY__": _HAS_DEFAULT_FACTORY, "__dataclass_return_type__": None,
                   "__dataclass_builtins_object__": object}
    params, body = [self_name], []
    for kw in (False, True):
        group = [f for f in fields if f.kw_only == kw]
        if kw and group:
            params.append("*")
        for f in group:
            local[f"__dataclass_type_{f.name}__"] = f.type
            p = f"{f.name}:__dataclass_type_{f.name}__"
            if f.default_factory is not _MISSING:
                p += "=__dataclass_HAS_DEFAULT_FACTORY__"
            elif f.default is not _MISSING:
                local[f"__dataclass_dflt_{f.name}__"] = f.default
                p += f"=__dataclass_dflt_{f.name}__"
            params.append(p)
    for f in fields:  # assigned in field order, as dataclasses does
        value = f.name
        if f.default_factory is not _MISSING:
            local[f"__dataclass_factory_{f.name}__"] = f.default_factory
            value = f"__dataclass_factory_{f.name}__() if {f.name} is __dataclass_HAS_DEFAULT_FACTORY__ else {f.name}"
        if frozen and slots:
            # The slot's own setter: what object.__setattr__ would find, without looking it up each time.
            local[f"__dataclass_set_{f.name}__"] = getattr(cls, f.name).__set__
            body.append(f"__dataclass_set_{f.name}__({self_name},{value})")
        elif frozen:
            body.append(f"__dataclass_builtins_object__.__setattr__({self_name},{f.name!r},{value})")
        else:
            body.append(f"{self_name}.{f.name}={value}")
    if hasattr(cls, "__post_init__"):
        body.append(f"{self_name}.__post_init__()")
    lines = "\n".join(f"  {b}" for b in body or ["pass"])
    text = (f"def __create_fn__({', '.join(local)}):\n"
            f" def __init__({','.join(params)})->__dataclass_return_type__:\n{lines}\n"
            f" return __init__")
    module = sys.modules.get(cls.__module__)
    ns: dict = {}
    # The module's globals, as dataclasses uses: typing.get_type_hints(cls.__init__) resolves names there.
    # dont_inherit: this module's `from __future__ import annotations` must not turn the parameters' annotations
    # (the fields' types) into strings of their local names.
    exec(compile(text, "<string>", "exec", dont_inherit=True), module.__dict__ if module is not None else {}, ns)
    init = _named(cls, ns["__create_fn__"](**local), "__init__")
    cls.__init__ = init
    return init


def _dataclass_fields(cls) -> dict:
    import dataclasses

    # An inherited field is the base's Field object, as in dataclasses.
    inherited = {}
    for base in cls.__mro__[-1:0:-1]:
        if "__record_fields__" in base.__dict__:
            fields = base.__dataclass_fields__
            inherited.update((id(f), fields[f.name]) for f in base.__record_fields__)
    out = {}
    for f in cls.__record_fields__:
        if id(f) in inherited:
            out[f.name] = inherited[id(f)]
            continue
        d = dataclasses.field(
            default=dataclasses.MISSING if f.default is _MISSING else f.default,
            default_factory=dataclasses.MISSING if f.default_factory is _MISSING else f.default_factory,
            repr=f.repr, compare=f.compare, kw_only=f.kw_only)
        d.name, d.type = f.name, f.type
        d._field_type = dataclasses._FIELD  # what marks a field (not a ClassVar or an InitVar): fields() reads it
        out[f.name] = d
    return out


def _dataclass_params(cls):
    import dataclasses

    p = cls.__record_params__
    known = {"init": True, "repr": True, "eq": p["eq"], "order": False, "unsafe_hash": False, "frozen": p["frozen"],
             "match_args": True, "kw_only": False, "slots": p["slots"], "weakref_slot": False}
    code = dataclasses._DataclassParams.__init__.__code__
    return dataclasses._DataclassParams(**{n: known[n] for n in code.co_varnames[1:code.co_argcount]})
