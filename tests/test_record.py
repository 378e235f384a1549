"""obligations/record.py makes the package's dataclasses cheaply: each record must be what @dataclass would have
made of the same class -- fields, signature, docstring, repr, equality, hash, frozen-ness, slots, pickled state --
so that the rest of the code (and dataclasses.fields/replace/asdict, and pydantic) cannot tell them apart."""

import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil
import types

import pytest

import obligations
from obligations import record as R
from obligations.source import Span

# What @record adds that @dataclass does not (the record's own bookkeeping, and the hook that makes __init__ when
# inspect.signature asks before the first instantiation).
OWN = {"__record_fields__", "__record_params__", "__signature__"}


def _features(deco, fld):
    """The same classes, made by @dataclass (deco, fld = dataclass, dataclasses.field) or by @record."""

    @deco(frozen=True, slots=True)
    class P:
        a: int
        b: "str" = "x"
        c: list = fld(default_factory=list)
        d: int = fld(default=3, compare=False)
        e: int = fld(default=0, repr=False)
        k: str = fld(kw_only=True)

        def total(self):
            return self.a + self.d

    @deco(frozen=True, slots=True, eq=False)
    class Q(P):
        """Q: a subclass with its own docstring."""

        f: int = 5

    @deco(slots=True, eq=False)
    class Mut:
        name: str
        table: dict = fld(default_factory=dict)

    @deco
    class Plain:
        x: int
        y: list = fld(default_factory=list)

        def __post_init__(self):
            self.y.append(self.x)

    @deco(frozen=True)
    class Checked:
        v: int
        w: int = fld(default=0, compare=False)

        def __post_init__(self):
            if self.v < 0:
                raise ValueError("negative")
            object.__setattr__(self, "w", self.v * 2)

    @deco(frozen=True, slots=True)
    class Empty:
        pass

    @deco(slots=True)
    class MutEq:
        x: int

    @deco(frozen=True, slots=True)
    class OwnMethods:
        x: int

        def __repr__(self):
            return "own"

        def __hash__(self):
            return 7

    @deco(frozen=True, slots=True)
    class One:
        x: float

    @deco
    class SelfField:
        self: int
        other: int = 1

    return {c.__name__: c for c in (P, Q, Mut, Plain, Checked, Empty, MutEq, OwnMethods, One, SelfField)}


STD = _features(dataclasses.dataclass, dataclasses.field)
REC = _features(R.record, R.field)

ARGS = {
    "P": [((1,), {"k": "z"}), ((1, "y", [2], 4, 5), {"k": "z"}), ((2,), {"k": "z", "d": 9})],
    "Q": [((1,), {"k": "z"}), ((1, "y", [2], 4, 5, 6), {"k": "z"})],
    "Mut": [(("m",), {}), (("m", {"a": 1}), {})],
    "Plain": [((1,), {}), ((1, [0]), {})],
    "Checked": [((1,), {}), ((2, 99), {}), ((-1,), {})],
    "Empty": [((), {})],
    "MutEq": [((1,), {}), ((2,), {})],
    "OwnMethods": [((1,), {})],
    "One": [((float("nan"),), {}), ((1.5,), {})],
    "SelfField": [((1,), {}), ((1, 2), {})],
}


def _field_view(cls):
    return [(f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.hash, f.compare, dict(f.metadata),
             f.kw_only, f._field_type) for f in dataclasses.fields(cls)]


def _class_view(cls):
    d = cls.__dict__
    return {
        "fields": _field_view(cls),
        "params": repr(cls.__dataclass_params__),
        "signature": str(inspect.signature(cls)),
        "doc": cls.__doc__,
        "match_args": getattr(cls, "__match_args__", None),
        "slots": d.get("__slots__"),
        "hash": "none" if d.get("__hash__", 0) is None else ("own" if "__hash__" in d else "inherited"),
        "eq": "__eq__" in d,
        "names": sorted(set(d) - OWN),
        "is_dataclass": dataclasses.is_dataclass(cls),
    }


def _outcome(fn):
    try:
        return ("ok", fn())
    except Exception as e:  # noqa: BLE001 -- the point is to compare failures too
        return (type(e).__name__, str(e))


@pytest.mark.parametrize("name", sorted(STD))
def test_a_record_is_the_dataclass_it_stands_for(name):
    std, rec = STD[name], REC[name]
    assert inspect.signature(rec) and _class_view(rec) == _class_view(std)
    made = []
    for args, kw in ARGS[name]:
        s = _outcome(lambda: std(*copy.deepcopy(args), **copy.deepcopy(kw)))
        r = _outcome(lambda: rec(*copy.deepcopy(args), **copy.deepcopy(kw)))
        assert s[0] == r[0]
        if s[0] != "ok":
            assert s == r
            continue
        s, r = s[1], r[1]
        made.append((s, r))
        assert repr(r) == repr(s)
        if type(s).__hash__ is not object.__hash__:  # else an identity hash, different for any two objects
            assert _outcome(lambda: hash(r)) == _outcome(lambda: hash(s))
        assert (r == r) == (s == s) and (r != r) == (s != s)
        assert (r == 1) == (s == 1)
        assert dataclasses.asdict(r) == dataclasses.asdict(s)
        assert dataclasses.astuple(r) == dataclasses.astuple(s)
        if "__getstate__" in std.__dict__:
            assert r.__getstate__() == s.__getstate__()
        for f in dataclasses.fields(s):  # on copies: the instances are compared below
            r1, s1 = copy.copy(r), copy.copy(s)
            assert _outcome(lambda: setattr(r1, f.name, 0)) == _outcome(lambda: setattr(s1, f.name, 0))
            assert _outcome(lambda: delattr(r1, f.name)) == _outcome(lambda: delattr(s1, f.name))
        assert _outcome(lambda: setattr(copy.copy(r), "other", 0))[0] in ("ok", "FrozenInstanceError", "AttributeError")
    for (s1, r1) in made:  # equality across instances, as dataclasses compares
        for (s2, r2) in made:
            assert (r1 == r2) == (s1 == s2)


def test_replace_and_match_args():
    p = REC["P"](1, k="z")
    q = dataclasses.replace(p, a=2)
    assert (q.a, q.k) == (2, "z") and R.replace(p, a=2) == q
    with pytest.raises(TypeError):
        dataclasses.replace(p, nope=1)
    PRec = REC["P"]
    match p:
        case PRec(1, "x"):
            pass
        case _:
            pytest.fail("no match")


def test_frozen_records_raise_dataclasses_error():
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'a'"):
        REC["P"](1, k="z").a = 2


def test_signature_before_the_first_instance():
    @R.record(frozen=True, slots=True)
    class Fresh:
        a: int
        b: str = "x"

    assert str(inspect.signature(Fresh)) == "(a: int, b: str = 'x') -> None"
    assert Fresh(1) == Fresh(1, "x")


def test_what_record_refuses():
    with pytest.raises(TypeError, match="follows default"):
        @R.record
        class Bad:
            a: int = 1
            b: int

    with pytest.raises(ValueError, match="mutable default"):
        @R.record
        class Bad2:
            a: list = []

    with pytest.raises(TypeError, match="no type annotation"):
        @R.record
        class Bad3:
            a = R.field(default=1)

    with pytest.raises(TypeError, match="frozen"):
        @R.record(frozen=True)
        class Bad4(REC["Plain"]):
            pass


# ---- every record of the package, against @dataclass made from the same definition ---------------------------


def _package_records():
    out = {}
    for m in pkgutil.walk_packages(obligations.__path__, "obligations."):
        try:
            mod = importlib.import_module(m.name)
        except ImportError:  # an optional extra (lsp, serve) not installed
            continue
        for v in vars(mod).values():
            if isinstance(v, type) and "__record_fields__" in v.__dict__ and v.__module__ == mod.__name__:
                out[f"{v.__module__}.{v.__qualname__}"] = v
    return out


RECORDS = _package_records()
SKIP = OWN | {"__dataclass_fields__", "__dataclass_params__", "__slots__", "__dict__", "__weakref__", "__match_args__",
              "__doc__", "__module__", "__qualname__", "__annotations__"}


def _twin(rec, memo={}):
    """The class @dataclass makes of the record's definition (its own fields, defaults, methods and bases)."""
    if rec in memo:
        return memo[rec]
    bases = tuple(_twin(b) if "__record_fields__" in b.__dict__ else b for b in rec.__bases__)
    inherited = {id(f) for b in rec.__mro__[1:] for f in b.__dict__.get("__record_fields__", ())}
    own = [f for f in rec.__record_fields__ if id(f) not in inherited]
    ns = {"__module__": rec.__module__, "__qualname__": rec.__qualname__}
    if "__annotations__" in rec.__dict__:
        ns["__annotations__"] = {}
    for k, v in rec.__dict__.items():
        code = getattr(v, "__code__", None)
        if code is not None and code.co_filename in (R.__file__, "<string>"):
            continue  # a method @record made
        if k in SKIP or isinstance(v, types.MemberDescriptorType) or (k == "__hash__" and v is None):
            continue
        ns[k] = v
    doc = rec.__doc__
    ns["__doc__"] = None if doc and doc.startswith(rec.__name__ + "(") else doc
    for f in own:
        ns["__annotations__"][f.name] = f.type
        kw = {"repr": f.repr, "compare": f.compare, "kw_only": f.kw_only}
        if f.default is not R._MISSING:
            kw["default"] = f.default
        if f.default_factory is not R._MISSING:
            kw["default_factory"] = f.default_factory
        ns[f.name] = dataclasses.field(**kw)
    p = rec.__record_params__
    memo[rec] = dataclasses.dataclass(frozen=p["frozen"], eq=p["eq"], slots=p["slots"])(type(rec)(rec.__name__, bases, ns))
    return memo[rec]


def test_the_package_has_records():
    assert len(RECORDS) > 90
    assert "obligations.model.core.Clause" in RECORDS and "obligations.results.AskResult" in RECORDS


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_every_record_is_its_dataclass(name):
    rec = RECORDS[name]
    twin = _twin(rec)
    assert _class_view(rec) == _class_view(twin)
    kw = {f.name: i for i, f in enumerate(dataclasses.fields(twin))}
    s, r = _outcome(lambda: twin(**kw)), _outcome(lambda: rec(**kw))
    assert s[0] == r[0]
    if s[0] == "ok":
        s, r = s[1], r[1]
        assert repr(r) == repr(s)
        if type(s).__hash__ is not object.__hash__:
            assert _outcome(lambda: hash(r)) == _outcome(lambda: hash(s))
        assert (r == rec(**kw)) == (s == twin(**kw))
        if "__getstate__" in twin.__dict__:
            assert r.__getstate__() == s.__getstate__()
            r2 = pickle.loads(pickle.dumps(r))
            assert type(r2) is rec and [getattr(r2, n) for n in kw] == list(kw.values())
        name0 = next(iter(kw), None)
        if name0:
            assert _outcome(lambda: setattr(r, name0, 1)) == _outcome(lambda: setattr(s, name0, 1))
    else:
        assert s == r


def test_cached_values_round_trip():
    from obligations.model.core import ALWAYS, And, Const, Instrument, Interval

    span = Span("f.treaty", 1, 2, 3, 4)
    c = And(span, (Const(span, True), Const(span, False)))
    c2 = pickle.loads(pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL))
    assert c2.span == span and [x.value for x in c2.items] == [True, False] and c2 != c  # eq=False: identity
    assert pickle.loads(pickle.dumps(ALWAYS)) == Interval(None, None)
    i = Instrument("t", "treaty", "T", None, False, "legal", None, None, None, None, None, None, (), (), (), None, (),
                   span)
    i2 = pickle.loads(pickle.dumps(i))
    assert (i2.name, i2.definitions, i2.span) == ("t", {}, span)
    assert copy.deepcopy(span) == span and copy.copy(span) == span
