"""MkDocs hooks (mkdocs.yml): the pages that live outside docs/ — README, SECURITY, the walkthroughs and drafts of
examples/, the VS Code extension's README — and the API reference pages, added to the site as generated files,
so that each text has one source. Links between them are rewritten to the site's pages; a link to a file of the
repository that is not a page keeps its text and loses the link (the site has no copy to point at)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File

# repository file -> the page it becomes
PAGES = {
    "README.md": "index.md",
    "SECURITY.md": "security.md",
    "examples/README.md": "examples.md",
    "examples/drafting/WALKTHROUGH.md": "writing-an-instrument.md",
    "editors/vscode/README.md": "editors.md",
}
API = {
    "api/engine.md": ("The engine as a library", "obligations.api"),
    "api/app.md": ("The application layer", "obligations.app"),
    "api/results.md": ("Results", "obligations.results"),
    "api/testing.md": ("Testing draft treaties", "obligations.testing"),
}
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")


def _rewrite(text: str, source: str, page: str, docs: Path, root: Path) -> str:
    def sub(m: re.Match) -> str:
        bang, label, target = m.groups()
        if re.match(r"[a-z]+:|#", target):
            return m.group(0)
        path, _, anchor = target.partition("#")
        repo_path = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if repo_path in PAGES:
            dest = PAGES[repo_path]
        elif repo_path.startswith("docs/") and (docs / repo_path[5:]).exists():
            dest = repo_path[5:]
        else:
            return f"`{label}`" if not bang else label
        rel = posixpath.relpath(dest, posixpath.dirname(page) or ".")
        return f"{bang}[{label}]({rel}{'#' + anchor if anchor else ''})"

    return _LINK.sub(sub, text)


def _drafting(root: Path) -> str:
    out = ["# Drafting examples", "",
           "Two drafts of a Pacific treaty and a drafter's encoding of TEU Art. 42(7) (`examples/drafting/`), "
           "proved and compared in the walkthroughs "
           "(`obligations prove`, `obligations diff`), and the Hypothesis tests that check a draft.", ""]
    for f in sorted((root / "examples" / "drafting").glob("*.treaty")):
        out += [f"## {f.name}", "", "```treaty", f.read_text(encoding="utf-8").rstrip("\n"), "```", ""]
    for f in sorted((root / "examples" / "drafting").glob("test_*.py")):
        out += [f"## {f.name}", "", "```python", f.read_text(encoding="utf-8").rstrip("\n"), "```", ""]
    return "\n".join(out)


def on_files(files, config):
    root = Path(config.config_file_path).resolve().parent
    docs = Path(config.docs_dir)
    for source, page in PAGES.items():
        text = (root / source).read_text(encoding="utf-8")
        files.append(File.generated(config, page, content=_rewrite(text, source, page, docs, root)))
    files.append(File.generated(config, "drafting.md", content=_drafting(root)))
    for page, (title, module) in API.items():
        files.append(File.generated(config, page, content=f"# {title}\n\n::: {module}\n"))
    return files


def _fences(markdown: str):
    """(start, end, language, body) of every fenced block, pairing each opening fence with its own closing one
    (a regex over the text would take a closing fence for an opening one)."""
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            lang = line[3:].strip()
            j = i + 1
            while j < len(lines) and lines[j].rstrip() != "```":
                j += 1
            yield i, j, lang, "\n".join(lines[i + 1:j]) + "\n"
            i = j + 1
        else:
            i += 1


def on_page_markdown(markdown, page, config, files):
    """A code block without a language that is clause text is highlighted as clause text: the docs write
    clause examples in plain fences (GitHub has no lexer for them), the site has ours."""
    from pygments.token import Error, Keyword

    from obligations.pygments_lexer import TreatyLexer

    lines = markdown.split("\n")
    for start, end, lang, body in _fences(markdown):
        if lang or end >= len(lines):
            continue
        tokens = [(t, v) for t, v in TreatyLexer().get_tokens(body) if v.strip()]
        if tokens and tokens[0][0] in Keyword and not any(t in Error for t, _ in tokens):
            lines[start] = "```treaty"
    return "\n".join(lines)
