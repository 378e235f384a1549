"""The clause language's words, grouped for highlighting, in one place.

The Pygments lexer (`obligations/pygments_lexer.py`), the TextMate grammar of the VS Code extension
(`editors/vscode/syntaxes/treaty.tmLanguage.json`, generated from here: `python -m obligations.highlight
> editors/vscode/syntaxes/treaty.tmLanguage.json`) and the language server's keyword completion all read these
lists. The closed word lists (actions, events, targets, roles, kinds, categories) come from `obligations.vocab`;
tests/test_highlight.py checks that every keyword of grammar/treaty.lark is in exactly one group here and that
the committed TextMate grammar is the one this module generates. Nothing here imports Pygments or Lark.
"""

from __future__ import annotations

import json

from obligations.vocab import ACTIONS, BINDINGS, CATEGORIES, EVENTS, INSTRUMENT_KINDS, ROLES, TARGETS

# group -> words. A word belongs to the first group that lists it (`statute` is an instrument kind before it is a
# category; `place` starts a declaration before it names the place attacked), so the groups are disjoint.
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # what starts a declaration or closes a block
    ("declaration", ("state", "region", "place", "term", "fact", "define", *INSTRUMENT_KINDS, "article", "clause",
                     "property", "criterion", "restrict", "end")),
    # must, must not, may
    ("deontic", ("must", "may")),
    # and, or, not and the relations of conditions
    ("operator", ("and", "or", "not", "is", "in", "has-dispute-with")),
    # the options of declarations, clauses and properties
    ("keyword", ("short", "draft", "binding", "category", "signed", "in-force", "terminated", "to", "by", "toward",
                 "atop", "source", "note", "parties", "designates", "suspended", "ccode", "from", "until",
                 "includes", "excludes", "possibly-in", "island", "metropolitan", "territory-of", "administered-by",
                 "claimed-by", "of", "reading", "means", "discretionary", "all", "immediately", "constitutional", "against", "unless",
                 "only-if", "as", "requires", "upon", "if", "where", "for", "on", "expect", "at-least", "no",
                 "conflicts", "each", "other", "than", "when")),
    # the actions a clause obliges
    ("action", ACTIONS),
    # what a scenario names: roles, and the subjects of conditions
    ("role", (*ROLES, "party", "author", "alliance", "target", "date")),
    # closed values: events, targets, categories, bindings, the kinds of a term's argument, truth values
    ("constant", (*EVENTS, *TARGETS, *CATEGORIES, *BINDINGS, "instrument", "true", "false", "military",
                  "designated")),
)


def _disjoint() -> dict[str, tuple[str, ...]]:
    seen: set[str] = set()
    out: dict[str, tuple[str, ...]] = {}
    for group, words in _GROUPS:
        out[group] = tuple(w for w in dict.fromkeys(words) if w not in seen)
        seen.update(words)
    return out


GROUPS: dict[str, tuple[str, ...]] = _disjoint()
KEYWORDS: dict[str, str] = {w: g for g, ws in GROUPS.items() for w in ws}  # word -> its group

# The grammar's terminals, as regular expressions both Pygments (Python `re`) and TextMate (Oniguruma) read.
NAME = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
CODE = r"[A-Z]{3}"
ARTNUM = r"(?:[0-9]+[a-z]*|[IVXLC]+)(?:\.[0-9a-z]+|\([0-9a-z]+\))*"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
# A word is bounded by anything that cannot continue a name (names hold letters, digits and hyphens).
WORD_START, WORD_END = r"(?<![A-Za-z0-9-])", r"(?![A-Za-z0-9-])"


def words_regex(words, capture: bool = False) -> str:
    """A regex matching any of `words` as a whole word, longest first (`in-force` before `in`)."""
    alts = "|".join(w.replace("-", r"\-") for w in sorted(words, key=lambda w: (-len(w), w)))
    return f"{WORD_START}({'' if capture else '?:'}{alts}){WORD_END}"


# Declarations whose next word is the name they declare; such a declaration starts a line, and its name is
# followed by its title (a string), by `as` (a definition) or by the end of the line.
NAMING = ("region", "place", "term", "define", "criterion", "property", *INSTRUMENT_KINDS)
_SP = r"[ \t]+"
DECLARED = (r"^([ \t]*)(" + "|".join(w.replace("-", r"\-") for w in sorted(NAMING, key=lambda w: (-len(w), w)))
            + r")(" + _SP + r")(?!(?:in|is)" + WORD_END + r")(" + NAME + r")(?=" + _SP + r'(?:"|as' + WORD_END
            + r")|[ \t]*(?:#.*)?$)")
DECLARED_STATE = r"^([ \t]*)(state)(" + _SP + r")(" + CODE + r")" + WORD_END
# `article IV(1)`, `restrict article IV of ...`: the article's number or name.
ARTICLE = f"{WORD_START}(article)({_SP})({ARTNUM}|{NAME}){WORD_END}"
# `clause collective-defence`: a clause's label.
LABEL = f"{WORD_START}(clause)({_SP})(?!(?:upon|if|each){WORD_END})({NAME}){WORD_END}"

# TextMate scopes, chosen so that common themes colour each group differently.
_TM_SCOPES = {
    "declaration": "keyword.declaration.treaty",
    "deontic": "keyword.control.deontic.treaty",
    "operator": "keyword.operator.word.treaty",
    "keyword": "keyword.other.treaty",
    "action": "support.function.action.treaty",
    "role": "variable.language.treaty",
    "constant": "constant.language.treaty",
}


def textmate_grammar() -> dict:
    """The TextMate grammar of `.treaty` files (editors/vscode/syntaxes/treaty.tmLanguage.json)."""
    patterns: list[dict] = [
        {"include": "#comment"},
        {"include": "#string"},
        {"name": "constant.numeric.date.treaty", "match": f"{WORD_START}{DATE}{WORD_END}"},
        {"comment": "article IV(1): the article's number", "match": ARTICLE,
         "captures": {"1": {"name": _TM_SCOPES["declaration"]}, "3": {"name": "entity.name.section.article.treaty"}}},
        {"comment": "state USA: the state declared", "match": DECLARED_STATE,
         "captures": {"2": {"name": _TM_SCOPES["declaration"]}, "4": {"name": "entity.name.type.state.treaty"}}},
        {"comment": "place senkaku-islands, treaty anzus, ...: the name declared", "match": DECLARED,
         "captures": {"2": {"name": _TM_SCOPES["declaration"]}, "4": {"name": "entity.name.function.treaty"}}},
        {"comment": "clause collective-defence: the clause's label", "match": LABEL,
         "captures": {"1": {"name": _TM_SCOPES["declaration"]}, "3": {"name": "entity.name.tag.clause.treaty"}}},
    ]
    for group, words in GROUPS.items():
        patterns.append({"name": _TM_SCOPES[group], "match": words_regex(words)})
    patterns += [
        {"name": "entity.name.type.state.treaty", "match": f"\\b{CODE}\\b"},
        {"name": "constant.numeric.treaty", "match": f"{WORD_START}[0-9]+{WORD_END}"},
        {"name": "variable.other.name.treaty", "match": f"{WORD_START}{NAME}{WORD_END}"},
        {"name": "keyword.operator.comparison.treaty", "match": r"<=|>=|<|>|="},
        {"name": "keyword.operator.wildcard.treaty", "match": r"\*"},
        {"name": "punctuation.separator.treaty", "match": r","},
        {"name": "punctuation.section.treaty", "match": r"[(){}]"},
    ]
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "Treaty clauses",
        "scopeName": "source.treaty",
        "fileTypes": ["treaty"],
        "comment": "Generated by `python -m obligations.highlight` from obligations/highlight.py; do not edit.",
        "patterns": patterns,
        "repository": {
            "comment": {"name": "comment.line.number-sign.treaty", "match": "#.*$"},
            "string": {"name": "string.quoted.double.treaty", "begin": '"', "end": '"',
                       "patterns": [{"name": "constant.character.escape.treaty", "match": r"\\."}]},
        },
    }


def textmate_json() -> str:
    return json.dumps(textmate_grammar(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(textmate_json(), end="")
