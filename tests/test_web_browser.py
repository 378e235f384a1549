"""End to end, as a person uses it: `obligations serve` started on a free port, driven in headless Chromium (Debian's
`chromium`, through Playwright's Python package; no browser is downloaded). Screenshots are saved under a temporary
folder (or $OBLIGATIONS_SCREENSHOTS) and their paths printed.

Skipped, with the reason, when Playwright, a Chromium or the `serve` extra is not installed; `.ci/run` installs them.
"""

import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

pytest.importorskip("starlette", reason="the serve extra is not installed (pip install '.[serve]')")
pytest.importorskip("uvicorn", reason="the serve extra is not installed (pip install '.[serve]')")
pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install '.[test-web]')")

CHROMIUM = os.environ.get("OBLIGATIONS_CHROMIUM") or next(
    (p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium") if p and os.path.exists(p)),
    None)
if CHROMIUM is None:
    pytest.skip("no Chromium installed (Debian: apt-get install chromium)", allow_module_level=True)

# Chromium on a closed network: no background connections, no first-run work, a fresh profile (Playwright's default).
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
ART_V = "Each Party recognizes that an armed attack against either Party in the territories under the administration of Japan"


@pytest.fixture(scope="module")
def server():
    proc = subprocess.Popen([sys.executable, "-m", "obligations.cli", "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url, deadline, seen = None, time.monotonic() + 60, []
    while time.monotonic() < deadline and url is None:
        if proc.poll() is not None:
            break
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            seen.append(line)
            m = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            if m:
                url = m.group(1)
    if url is None:
        proc.kill()
        pytest.fail("the server did not start: " + "".join(seen) + (proc.stderr.read() if proc.stderr else ""))
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    d = Path(os.environ["OBLIGATIONS_SCREENSHOTS"]) if os.environ.get("OBLIGATIONS_SCREENSHOTS") else \
        tmp_path_factory.mktemp("screenshots")
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture
def page(browser, server):
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.requests = requests
    yield pg
    # nothing is fetched from another site: no CDN, no fonts, no analytics
    outside = [u for u in requests if not (u.startswith(server) or u.startswith("data:"))]
    pg.close()
    assert not outside, outside


def shot(pg, shots, name, full=True):
    path = shots / f"{name}.png"
    pg.screenshot(path=str(path), full_page=full)
    print(f"screenshot: {path}")
    return path


def test_the_ask_form_answers_the_readme_question(page, server, shots):
    page.goto(server + "/ask")
    page.fill("#f-attacker", "CHN")
    page.fill("#f-victim", "JPN")
    page.select_option("#f-target", "territory")
    page.fill("#f-place", "senkaku-islands")
    page.fill("#f-date", "2025-06-01")
    page.fill("#f-party", "USA")
    page.select_option("#f-action", "assist")
    page.click("#form-ask button[type=submit]")
    banner = page.wait_for_selector(".verdict-banner")
    assert banner.get_attribute("data-verdict") == "obliged"
    assert banner.query_selector(".verdict-word").text_content().strip() == "obliged"
    assert "us-japan Art. V" in banner.text_content()
    quote = page.locator(".grounds blockquote.article").first
    assert ART_V in quote.text_content() and quote.is_visible()
    svg = page.locator("figure.picture svg")
    assert svg.is_visible()
    assert svg.locator("#node-USA").count() == 1 and svg.locator("#node-JPN").count() == 1
    assert "us-japan Art. V" in svg.text_content()
    # the grounds are a collapsible tree: closing it hides the conditions
    tree = page.locator(".grounds details.grounds-tree").first
    assert tree.locator("li.step").first.is_visible()
    tree.locator("summary").first.click()
    assert not tree.locator("li.step").first.is_visible()
    tree.locator("summary").first.click()
    assert "2025-06-01" in page.url and "party=USA" in page.url
    shot(page, shots, "ask")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.evaluate("window.scrollTo(0, document.querySelector('.answer').getBoundingClientRect().top + window.scrollY - 16)")
    shot(page, shots, "ask-answer", full=False)


def test_an_unknown_state_is_shown_with_the_closest_name(page, server):
    page.goto(server + "/ask")
    page.fill("#f-victim", "JPX")
    page.fill("#f-party", "USA")
    page.click("#form-ask button[type=submit]")
    err = page.wait_for_selector(".error")
    assert 'unknown state "JPX" (did you mean "JPN"?)' in err.text_content()


def test_who_draws_the_cascade(page, server, shots):
    page.goto(server + "/who?attacker=CHN&victim=JPN&place=senkaku-islands&date=2025-06-01&depth=3")
    svg = page.wait_for_selector("figure.picture svg")
    for code in ("CHN", "JPN", "USA", "AUS", "NZL", "PHL"):
        assert svg.query_selector(f"#node-{code}") is not None, code
    assert "anzus Art. IV" in svg.text_content()
    shot(page, shots, "who")
    page.locator("figure.picture").screenshot(path=str(shots / "cascade.png"))
    print(f"screenshot: {shots / 'cascade.png'}")


def test_the_clause_editor_checks_as_you_type_and_asks_about_the_draft(page, server, shots):
    page.goto(server + "/editor")
    page.wait_for_selector(".diag-summary.ok")
    text = page.input_value("#f-text")
    assert "pacific-pact" in text
    page.fill("#f-text", text.replace("pacific-ocean", "pacific-oean").replace("JPN PHL AUS", "JPN PHX AUS"))
    page.wait_for_selector(".diag.error")
    panel = page.text_content("#diagnostics")
    assert 'unknown state "PHX"' in panel and 'did you mean "pacific-ocean"' in panel
    # a located problem: its button puts the cursor on it
    page.locator(".loc-button").first.click()
    line = page.evaluate("() => { const a = document.getElementById('f-text');"
                         " return a.value.slice(0, a.selectionStart).split('\\n').length; }")
    assert line == 5
    shot(page, shots, "editor-errors", full=False)
    page.fill("#f-text", text)
    page.wait_for_selector(".diag-summary.ok")
    for f, v in (("#f-attacker", "CHN"), ("#f-victim", "JPN"), ("#f-place", "senkaku-islands"), ("#f-date", "2025-06-01"),
                 ("#f-party", "AUS")):
        page.fill(f, v)
    page.click("#form-editor button[type=submit]")
    banner = page.wait_for_selector(".verdict-banner")
    assert banner.get_attribute("data-verdict") == "obliged"
    assert "pacific-pact Art. 4" in banner.text_content()
    assert "pacific-pact" in page.input_value("#f-text")  # the draft is kept in the page, not stored
    shot(page, shots, "editor")


def test_network_and_time_line_pages(page, server, shots):
    page.goto(server + "/graph?date=2025-06-01&party=USA")
    svg = page.wait_for_selector("figure.picture svg")
    assert svg.query_selector("#node-USA") is not None and svg.query_selector("#node-JPN") is not None
    shot(page, shots, "graph")
    page.goto(server + "/timeline?party=NZL")
    svg = page.wait_for_selector("figure.picture svg")
    assert "USA suspended toward NZL" in svg.text_content()
    assert svg.get_attribute("role") == "img"
    shot(page, shots, "timeline")
