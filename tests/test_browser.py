"""The analysts' page in Debian's headless Chromium (playwright), against a real server.

Needs the `chromium` Debian package (/usr/bin/chromium) and `playwright` from PyPI; no
browser is downloaded. Skipped, with the reason, when chromium is absent.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PLANGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

from test_api import Server, ingest_seeds  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
SHOTS = Path(os.environ.get("PLANGRAPH_SCREENSHOTS", "")) if os.environ.get("PLANGRAPH_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("browser-home")
    assert ingest_seeds(home)
    srv = Server(home, tmp_path_factory.mktemp("logs") / "uvicorn.log")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        external: list[str] = []
        pg.on("request", lambda r: external.append(r.url) if not r.url.startswith((server.url, "data:", "about:")) else None)
        pg.goto(server.url + "/")
        pg.errors = errors            # type: ignore[attr-defined]
        pg.external = external        # type: ignore[attr-defined]
        yield pg
        context.close()
        browser.close()


def _shot(pg, tmp_path: Path, name: str) -> Path:
    folder = SHOTS or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    pg.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    return path


def test_document_map_renders(page, tmp_path):
    page.wait_for_function("document.querySelectorAll('#doc-select option[value]:not([value=\"\"])').length > 0")
    options = page.eval_on_selector_all("#doc-select option", "os => os.map(o => o.value)")
    doc_id = next(o for o in options if "quang-ngai" in o)
    page.select_option("#doc-select", doc_id)
    page.click("#show-doc")
    frame_el = page.wait_for_selector("#map-frame:not([hidden])")
    frame = frame_el.content_frame()
    frame.wait_for_selector("#map canvas", state="attached", timeout=30_000)
    frame.wait_for_selector("body[data-stabilized=true]", state="attached", timeout=60_000)
    nodes = frame.evaluate("() => window.planGraphNetwork.body.data.nodes.length")
    assert nodes > 10
    _shot(page, tmp_path, "document-map.png")
    assert not page.errors, page.errors
    assert not page.external, page.external


def test_agency_search_and_map(page, tmp_path):
    page.fill("#agency-q", "so thong tin")
    item = page.wait_for_selector("#agency-results li[data-id^='dic@']")
    item.click()
    page.wait_for_function(
        """() => { const f = document.querySelector('#map-frame');
                   const d = f && f.contentDocument;
                   return f.contentWindow.location.href.includes('maps/agency') && d && d.body
                          && d.body.getAttribute('data-stabilized') === 'true'; }""", timeout=60_000)
    frame = page.wait_for_selector("#map-frame").content_frame()
    assert "Responsibilities of" in frame.title()
    assert frame.evaluate("() => window.planGraphNetwork.body.data.nodes.length") > 2
    _shot(page, tmp_path, "agency-map.png")


def test_named_query_shows_rows(page, tmp_path):
    page.select_option("#query-select", "tasks-led-by")
    page.fill("#param-agency", "DIC")
    page.click("#run-query")
    page.wait_for_selector("#results tbody tr")
    status = page.text_content("#query-status")
    assert "tasks-led-by" in status and "row" in status
    headers = page.eval_on_selector_all("#results thead th", "ths => ths.map(t => t.textContent)")
    assert "agency_id" in headers
    col = headers.index("agency_id")
    ids = page.eval_on_selector_all("#results tbody tr", f"trs => trs.map(tr => tr.children[{col}].textContent)")
    assert ids and all(i.startswith("dic@") for i in ids)
    _shot(page, tmp_path, "query-results.png")


def test_bad_query_parameter_shows_the_error(page):
    page.select_option("#query-select", "agencies-by-led-tasks")
    page.fill("#param-limit", "")
    page.evaluate("document.querySelector('#param-limit').type = 'text'")
    page.fill("#param-limit", "lots")
    page.click("#run-query")
    page.wait_for_selector("#query-status.error")
    assert "422" in page.text_content("#query-status")
    assert not page.errors, page.errors


def test_swagger_docs_render_offline(page, server):
    page.goto(server.url + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.textContent)")
    assert any("/queries/tasks-led-by" in p for p in paths)
    assert not page.errors, page.errors
    assert not page.external, page.external
