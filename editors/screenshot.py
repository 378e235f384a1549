"""The README's editor picture, made from the language server's real answers.

VS Code cannot run here, so this script does what it would: it starts `obligations lsp`, opens a sample clause
file, and takes the server's `publishDiagnostics`, a hover over a clause and the quick fix offered for the
diagnostic. It lays them out as an editor would (the text highlighted by our Pygments lexer, the diagnostic
underlined, the hover's Markdown rendered, the Problems panel) in an HTML page styled after VS Code's dark theme,
and has headless Chromium photograph it.

    python editors/screenshot.py            # needs the lsp and docs extras, and chromium on PATH
    -> docs/images/editor.png (and build/screenshot/editor.html, the page photographed)
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

SAMPLE = '''# A Pacific pact, being drafted.
treaty pacific-pact "Pacific Mutual Defence Pact (draft)"
  draft
  parties USA JPN AUS PHL

  article 5 "The Parties agree that an armed attack against one or more of them in the Pacific area
    shall be considered an attack against them all, and each of them will assist the Party or Parties
    so attacked, in accordance with its constitutional processes."
    clause mutual-defence
      upon armed-attack
      if victim is party and (place in west-pacific or place = gaum)
      each party other than victim must assist victim
      constitutional "in accordance with its constitutional processes"
  end
end
'''

CSS = """
body { margin: 0; background: #1e1e1e; font-family: 'DejaVu Sans', sans-serif; color: #d4d4d4; }
.window { width: 1180px; border: 1px solid #3c3c3c; }
.titlebar { background: #323233; color: #cccccc; font-size: 13px; padding: 7px 12px; text-align: center; }
.tabs { background: #252526; display: flex; font-size: 13px; }
.tab { background: #1e1e1e; color: #ffffff; padding: 8px 16px; border-top: 1px solid #0078d4; }
.tab .err { color: #f48771; margin-left: 8px; }
.editor { position: relative; padding: 8px 0; font-family: 'DejaVu Sans Mono', monospace; font-size: 14px;
          line-height: 21px; }
.line { white-space: pre; height: 21px; }
.num { display: inline-block; width: 48px; text-align: right; color: #858585; padding-right: 22px; }
.squiggle { text-decoration: underline wavy #f14c4c; text-underline-offset: 4px; text-decoration-skip-ink: none; }
.popup { position: absolute; background: #252526; border: 1px solid #454545; box-shadow: 0 2px 8px #000a;
         font-family: 'DejaVu Sans', sans-serif; font-size: 13px; line-height: 19px; color: #cccccc;
         max-width: 640px; }
.popup .body { padding: 6px 10px; }
.popup blockquote { margin: 6px 0; padding: 0 10px; border-left: 3px solid #4e5a64; color: #bbbbbb; }
.popup p { margin: 4px 0; }
.popup a { color: #3794ff; text-decoration: none; }
.popup code { font-family: 'DejaVu Sans Mono', monospace; }
.popup .src { color: #858585; }
.popup .actions { border-top: 1px solid #454545; padding: 4px 10px; color: #3794ff; }
.popup .code { color: #858585; }
.panel { border-top: 1px solid #3c3c3c; font-size: 13px; }
.panel .head { padding: 6px 12px; color: #e7e7e7; text-transform: uppercase; font-size: 11px; letter-spacing: .5px; }
.panel .head span { border-bottom: 1px solid #e7e7e7; padding-bottom: 3px; }
.panel .row { padding: 3px 24px; white-space: nowrap; }
.panel .row .icon { color: #f14c4c; margin-right: 8px; }
.panel .row .where { color: #858585; margin-left: 8px; }
.statusbar { background: #007acc; color: #ffffff; font-size: 12px; padding: 3px 12px; }
/* the lexer's tokens, in VS Code Dark+ colours */
.kd { color: #569cd6; } .k { color: #c586c0; } .kr { color: #c586c0; font-weight: bold; } .ow { color: #569cd6; }
.nb { color: #dcdcaa; } .bp { color: #9cdcfe; } .kc { color: #4fc1ff; } .nc { color: #4ec9b0; } .nf { color: #dcdcaa; }
.nl { color: #d7ba7d; } .nv { color: #9cdcfe; } .s2, .se { color: #ce9178; } .c1 { color: #6a9955; }
.mo, .mi { color: #b5cea8; } .o, .p { color: #d4d4d4; }
"""


def highlighted_lines(text: str, squiggles: dict[int, list[tuple[int, int]]]) -> list[str]:
    """Each line of `text` as HTML: the lexer's token classes, and the diagnostics' ranges underlined."""
    from pygments.token import STANDARD_TYPES

    from obligations.pygments_lexer import TreatyLexer

    def css(t) -> str:
        while t not in STANDARD_TYPES:
            t = t.parent
        return STANDARD_TYPES[t]

    chars: list[tuple[str, str]] = []  # (character, css class)
    for t, v in TreatyLexer().get_tokens(text):
        chars += [(c, css(t)) for c in v]
    lines, cur = [], []
    for c, cls in chars:
        if c == "\n":
            lines.append(cur)
            cur = []
        else:
            cur.append((c, cls))
    out = []
    for i, line in enumerate(lines):
        marks = squiggles.get(i, [])
        parts = []
        for j, (c, cls) in enumerate(line):
            inside = any(a <= j < b for a, b in marks)
            parts.append(f'<span class="{cls}{" squiggle" if inside else ""}">{html.escape(c)}</span>')
        out.append("".join(parts))
    return out


def main() -> int:
    import markdown

    from lsp_editor import Editor
    from obligations.lsp.text import LineIndex

    work = Path(tempfile.mkdtemp(prefix="obligations-screenshot-"))
    path = work / "pacific-pact.treaty"
    path.write_text(SAMPLE, encoding="utf-8")
    editor = Editor(work)
    try:
        uri = editor.open(path)
        diags = editor.diagnostics_of(uri)
        lines = SAMPLE.split("\n")
        hover_line = next(i for i, ln in enumerate(lines) if "upon armed-attack" in ln)
        hover_col = lines[hover_line].index("upon") + 2
        hover = editor.hover(uri, hover_line, hover_col)
        fixes = editor.code_actions(uri, diags)
    finally:
        editor.close()
    assert diags and hover is not None, "the server gave no diagnostic or no hover"

    index = LineIndex(SAMPLE)
    squiggles: dict[int, list[tuple[int, int]]] = {}
    for d in diags:
        _, a = index.from_lsp(d.range.start.line, d.range.start.character)
        _, b = index.from_lsp(d.range.end.line, d.range.end.character)
        squiggles.setdefault(d.range.start.line, []).append((a - 1, b - 1))
    code = highlighted_lines(SAMPLE, squiggles)
    rows = "".join(f'<div class="line"><span class="num">{i + 1}</span>{c}</div>' for i, c in enumerate(code))

    # The hover, above the line hovered; the diagnostic's popup, below the underlined name.
    hover_html = markdown.markdown(hover.contents.value)
    hover_top = 8 + 21 * (hover_line - 7) + 2
    hover_left = 70 + 8.4 * hover_col
    d = diags[0]
    message, *rest = d.message.split("\n")
    diag_top = 8 + 21 * (d.range.end.line + 1) + 6
    diag_left = 70 + 8.4 * d.range.start.character
    fix = fixes[0].title if fixes else None
    diag_html = (f'<div class="body">{html.escape(message)} <span class="code">obligations({d.code})</span>'
                 + "".join(f'<div class="src">{html.escape(r)}</div>' for r in rest) + "</div>"
                 + (f'<div class="actions">Quick Fix: {html.escape(fix)}</div>' if fix else ""))
    problems = "".join(
        f'<div class="row"><span class="icon">&#x2297;</span>{html.escape(x.message.splitlines()[0])}'
        f'<span class="where">obligations({x.code}) [Ln {x.range.start.line + 1}, Col {x.range.start.character + 1}]'
        f"</span></div>" for x in diags)
    page = f"""<!doctype html><html><head><meta charset="utf-8"><style>{CSS}</style></head><body>
<div class="window">
  <div class="titlebar">pacific-pact.treaty — drafts</div>
  <div class="tabs"><div class="tab">pacific-pact.treaty<span class="err">{len(diags)}</span></div></div>
  <div class="editor">{rows}
    <div class="popup" style="top:{hover_top}px; left:{hover_left:.0f}px"><div class="body">{hover_html}</div></div>
    <div class="popup" style="top:{diag_top}px; left:{diag_left:.0f}px">{diag_html}</div>
  </div>
  <div class="panel"><div class="head"><span>Problems</span></div>{problems}</div>
  <div class="statusbar">&#x2297; {len(diags)} &nbsp; obligations lsp &nbsp;·&nbsp; Treaty clauses</div>
</div></body></html>"""
    out_dir = ROOT / "build" / "screenshot"
    out_dir.mkdir(parents=True, exist_ok=True)
    page_path = out_dir / "editor.html"
    page_path.write_text(page, encoding="utf-8")
    png = ROOT / "docs" / "images" / "editor.png"
    png.parent.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        print(f"wrote {page_path}; no chromium to photograph it (apt-get install chromium)", file=sys.stderr)
        return 1
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--hide-scrollbars", "--window-size=1182,462",
                    f"--screenshot={png}", page_path.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"wrote {png} from {page_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
