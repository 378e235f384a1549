"""The documentation: docs/DIAGNOSTICS.md is the registry's, and the site builds with `mkdocs build --strict`, reads
nothing from the network, and highlights clause text with our lexer."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_diagnostics_page_is_generated_from_the_registry():
    from obligations.diagnostics import CODES, markdown

    page = (ROOT / "docs" / "DIAGNOSTICS.md").read_text(encoding="utf-8")
    assert page == markdown(), "regenerate: python -m obligations.diagnostics > docs/DIAGNOSTICS.md"
    assert all(f"## {code}:" in page for code in CODES)


def test_the_site_builds_strictly_and_stands_alone(tmp_path):
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python", "pygments"):
        pytest.importorskip(module, reason="the docs extra is not installed: pip install '.[docs]'")
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                       cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    pages = list(site.glob("**/*.html"))
    assert (site / "index.html").is_file() and (site / "api" / "engine" / "index.html").is_file()
    # Nothing is fetched when a page is read: no web fonts, scripts or styles from elsewhere.
    external = re.compile(r'<(?:link|script|img)[^>]+(?:href|src)="(?:https?:)?//')
    assert [p.name for p in pages if external.search(p.read_text(encoding="utf-8"))] == []
    # Clause text is highlighted by the lexer (Keyword.Declaration -> "kd"), in the docs and in README's page.
    assert 'class="kd">article</span>' in (site / "LANGUAGE" / "index.html").read_text(encoding="utf-8")
    assert 'class="kd">treaty</span>' in (site / "index.html").read_text(encoding="utf-8")
    assert 'class="kd">treaty</span>' in (site / "drafting" / "index.html").read_text(encoding="utf-8")
    # Links between the pages were rewritten to the site's own.
    assert 'href="LANGUAGE/"' in (site / "index.html").read_text(encoding="utf-8")
