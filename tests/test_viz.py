"""Maps: self-contained HTML (no external URL), styles, built from a real store."""
from __future__ import annotations

import json
import re

import pytest

from viz.maps import COLORS, EDGE_STYLES, MapData, MapNotFound, agency_map, document_map, render_html

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import\s+url\(\s*["']?https?:|url\(\s*["']?https?:""", re.I)


def _data(html: str, var: str) -> list[dict]:
    m = re.search(rf"var {var} = new vis\.DataSet\((.*?)\);\n", html, re.S)
    assert m, f"no {var} in the page"
    return json.loads(m.group(1))


def test_render_is_self_contained_and_settles():
    data = MapData(title="t <b>")
    data.node("a", label="A", color="#000")
    data.node("b", label="</script><script>alert(1)</script>", color="#000")
    data.edge("a", "b", arrows="to")
    html = render_html(data)
    assert not EXTERNAL.search(html)
    assert "<script src" not in html and "<link" not in html
    assert "stabilizationIterationsDone" in html and "physics: {enabled: false}" in html
    assert "</script><script>alert" not in html              # labels cannot close the script
    assert "t &lt;b&gt;" in html
    assert [n["id"] for n in _data(html, "nodes")] == ["a", "b"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from graph.store import open_store
    from test_api import ingest_seeds

    home = tmp_path_factory.mktemp("viz-home")
    ingest_seeds(home)
    s = open_store(kind="embedded", home=str(home))
    yield s
    s.close()


def test_document_map_styles_roles_and_broken(store):
    doc_ids = store.document_ids()
    html = None
    for doc_id in doc_ids:                       # a document with both roles
        candidate = document_map(store, doc_id)
        edges = _data(candidate, "edges")
        colours = {(e.get("color") or {}).get("color") for e in edges}
        if EDGE_STYLES["LEADS"]["color"] in colours and EDGE_STYLES["COORDINATES"]["color"] in colours:
            html = candidate
            break
    assert html, "no seed document has both lead and coordinate assignments"
    assert not EXTERNAL.search(html)
    edges = _data(html, "edges")
    nodes = _data(html, "nodes")
    leads = [e for e in edges if (e.get("color") or {}).get("color") == EDGE_STYLES["LEADS"]["color"]]
    coords = [e for e in edges if (e.get("color") or {}).get("color") == EDGE_STYLES["COORDINATES"]["color"]]
    assert all(e["dashes"] is False for e in leads) and all(e["dashes"] is True for e in coords)
    assert leads[0]["width"] > coords[0]["width"]
    assert any(n["color"] == COLORS["document"] for n in nodes)
    assert any(n["color"] == COLORS["task"] for n in nodes)
    assert 'id="legend"' in html and "leads (chủ trì)" in html and "broken reference" in html


def test_broken_references_are_red(store):
    rows = store.run("MATCH (s:Section)-[r:REFERENCES]->(m:Missing) RETURN s.doc_id AS doc LIMIT 1", {})
    if not rows:
        pytest.skip("the seeds have no broken reference")
    html = document_map(store, rows[0]["doc"])
    nodes = _data(html, "nodes")
    edges = _data(html, "edges")
    assert any(n["color"] == COLORS["missing"] for n in nodes)
    assert any((e.get("color") or {}).get("color") == COLORS["broken"] for e in edges)


def test_agency_map_across_documents(store):
    html = agency_map(store, "DIC")
    assert not EXTERNAL.search(html)
    nodes = _data(html, "nodes")
    focus = [n for n in nodes if n["color"] == COLORS["agency_focus"]]
    assert focus and all(n["id"].startswith("dic@") for n in focus)
    docs = [n for n in nodes if n["color"] == COLORS["document"]]
    assert len(docs) >= 2, "the DIC has tasks in several seed plans"
    # the same agency with a Vietnamese name, without diacritics
    html2 = agency_map(store, "so thong tin va truyen thong")
    assert {n["id"] for n in _data(html2, "nodes") if n["color"] == COLORS["agency_focus"]} == {n["id"] for n in focus}


def test_unknown_keys_raise(store):
    with pytest.raises(MapNotFound):
        document_map(store, "nope@nowhere")
    with pytest.raises(MapNotFound):
        agency_map(store, "zzzz-no-such-agency")
