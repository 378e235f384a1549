"""The shape of the code, checked: the pipeline's stages import one way, and the word lists agree with the grammar."""

import ast
import re
from pathlib import Path

import pytest

from obligations import vocab

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "obligations"
GRAMMAR = (ROOT / "grammar" / "treaty.lark").read_text(encoding="utf-8")


def _modules() -> dict[str, Path]:
    out = {}
    for f in PKG.rglob("*.py"):
        name = ".".join(f.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = f
    return out


def _imports() -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, f in mods.items():
        for n in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("obligations"):
                for a in n.names:
                    full = f"{n.module}.{a.name}"
                    graph[m].add(full if full in mods else n.module)
            elif isinstance(n, ast.Import):
                graph[m].update(a.name for a in n.names if a.name.startswith("obligations"))
    return {m: {t for t in ts if t in mods and t != m} for m, ts in graph.items()}


def test_the_import_graph_has_no_cycle():
    graph = _imports()
    state: dict[str, int] = {}

    def visit(m, path):
        state[m] = 1
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                pytest.fail("import cycle: " + " -> ".join(path[path.index(t):] + [t]) if t in path else t)
            if not state.get(t):
                visit(t, path + [t])
        state[m] = 2

    for m in sorted(graph):
        if not state.get(m):
            visit(m, [m])


# The surfaces people use: each may build on the command registry; the stages below them may not.
SURFACES = ("obligations.commands", "obligations.cli", "obligations.web", "obligations.lsp")


def test_no_lower_stage_imports_the_command_line():
    graph = _imports()
    for m, targets in graph.items():
        if m.startswith(SURFACES):
            continue
        bad = sorted(t for t in targets if t.startswith("obligations.commands") or t == "obligations.cli")
        assert not bad, f"{m} imports the CLI layer: {bad}"


def test_the_core_model_does_not_need_pydantic_or_lark():
    """The cached corpus is plain data: reading it back imports neither."""
    for name in ("model/core.py", "model/steps.py", "source.py", "diagnostics.py", "vocab.py", "scenario.py", "results.py"):
        text = (PKG / name).read_text(encoding="utf-8")
        assert "import pydantic" not in text and "from pydantic" not in text, name
        assert "import lark" not in text and "from lark" not in text, name


def _alternatives(rule: str) -> set[str]:
    """The quoted words of a `!rule: "a" | "b" ...` of the grammar."""
    m = re.search(rf"^!{rule}:(.*?)(?=^\S|\Z)", GRAMMAR, re.S | re.M)
    assert m, rule
    return set(re.findall(r'"([^"]+)"', m.group(1)))


@pytest.mark.parametrize("rule,words", [
    ("event", set(vocab.EVENTS)),
    ("target", set(vocab.TARGETS)),
    ("action_name", set(vocab.ACTIONS)),
    ("kind", set(vocab.INSTRUMENT_KINDS)),
    ("category_kind", set(vocab.CATEGORIES)),
    ("binding_kind", set(vocab.BINDINGS)),
])
def test_word_lists_agree_with_the_grammar(rule, words):
    assert _alternatives(rule) == words


def test_roles_and_deontics_agree_with_the_grammar():
    assert _alternatives("role") == set(vocab.ROLES)  # CODE is the other alternative
    assert {"must", "may"} <= _alternatives("deontic") and "not" in _alternatives("deontic")
    assert {d.split()[0] for d in vocab.DEONTICS} == {"must", "may"}


def test_every_diagnostic_code_used_is_registered():
    from obligations.diagnostics import CODES

    used = set()
    for f in PKG.rglob("*.py"):
        used |= set(re.findall(r'code="([EW]\d{3})"', f.read_text(encoding="utf-8")))
        used |= set(re.findall(r'err\("([EW]\d{3})"', f.read_text(encoding="utf-8")))
    assert used and used <= set(CODES), sorted(used - set(CODES))
