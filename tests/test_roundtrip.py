"""The formatter keeps meaning and is idempotent; generated files pass check."""

from scale import examples
from hypothesis import given, settings

from obligations.model.load import load_texts
from obligations.syntax.ast import semantic
from obligations.syntax.format import format_file
from obligations.syntax.parse import parse
from obligations.testing import files


@settings(max_examples=examples(150))
@given(files())
def test_print_parse_roundtrip(f):
    text = format_file(f)
    g, diags = parse(text, "<generated>")
    assert diags == [], (diags, text)
    assert semantic(g.items) == semantic(f.items)
    assert format_file(g) == text


@settings(max_examples=examples(100))
@given(files())
def test_generated_files_pass_check(f):
    loaded = load_texts({"gen.treaty": format_file(f)})
    assert loaded.ok, [d.short() for d in loaded.diagnostics]
