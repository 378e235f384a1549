"""A Pygments lexer for `.treaty` clause files, so that they highlight in documentation and notebooks.

Registered as the entry point `pygments.lexers: treaty` (pyproject.toml): with obligations installed,
`pygments.lexers.get_lexer_by_name("treaty")` finds it, and so do Markdown's code blocks (```treaty), Sphinx,
MkDocs and Jupyter. The words come from `obligations/highlight.py`, shared with the VS Code grammar. Imported
only by Pygments: the engine's commands never import it.
"""

from __future__ import annotations

import re

from pygments.lexer import RegexLexer, bygroups
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String, Whitespace)

from obligations import highlight as H

# A group of words -> its token type.
_TOKENS = {
    "declaration": Keyword.Declaration,
    "deontic": Keyword.Reserved,
    "operator": Operator.Word,
    "keyword": Keyword,
    "action": Name.Builtin,
    "role": Name.Builtin.Pseudo,
    "constant": Keyword.Constant,
}


class TreatyLexer(RegexLexer):
    """Clause files of `obligations` (https://github.com/.../obligations): treaties quoted article by article."""

    name = "Treaty clauses"
    aliases = ["treaty", "obligations"]
    filenames = ["*.treaty"]
    mimetypes = ["text/x-treaty"]
    url = "https://pypi.org/project/obligations/"
    version_added = ""
    flags = re.MULTILINE

    tokens = {
        "root": [
            (r"[ \t\r\n\f]+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"', String.Double, "string"),
            (H.DECLARED_STATE, bygroups(Whitespace, Keyword.Declaration, Whitespace, Name.Class)),
            (H.DECLARED, bygroups(Whitespace, Keyword.Declaration, Whitespace, Name.Function)),
            (H.ARTICLE, bygroups(Keyword.Declaration, Whitespace, Name.Label)),
            (H.LABEL, bygroups(Keyword.Declaration, Whitespace, Name.Label)),
            (H.WORD_START + H.DATE + H.WORD_END, Number.Other),
            *[(H.words_regex(words), _TOKENS[group]) for group, words in H.GROUPS.items()],
            (H.WORD_START + H.ARTNUM + H.WORD_END + r"(?<=[.)])", Name.Label),  # IV(1), 5.2 elsewhere
            (r"\b" + H.CODE + r"\b", Name.Class),
            (H.WORD_START + r"[0-9]+" + H.WORD_END, Number.Integer),
            (H.WORD_START + H.NAME + H.WORD_END, Name.Variable),
            (r"<=|>=|<|>|=|\*", Operator),
            (r"[(){},]", Punctuation),
        ],
        "string": [
            (r'[^"\\]+', String.Double),
            (r"\\.", String.Escape),
            (r'"', String.Double, "#pop"),
        ],
    }
