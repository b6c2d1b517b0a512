"""The HTTP API against a real uvicorn server on the seeds (embedded FalkorDB store).

The server runs in a subprocess on a free 127.0.0.1 port with a temporary PLANGRAPH_HOME
that the real ingest filled with data/plans; it is called with httpx.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "plans"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ingest_seeds(home: Path) -> list[str]:
    """Real ingest of the seed plans into an embedded store at `home`; the doc ids."""
    from graph.ingest import ingest_paths
    from graph.store import open_store

    store = open_store(kind="embedded", home=str(home))
    try:
        ingest_paths([str(SEEDS)], store)
        return list(store.document_ids())
    finally:
        store.close()


class Server:
    """`uvicorn api.main:app` in a subprocess; stopped (by its own pid) on exit."""

    def __init__(self, home: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PLANGRAPH_STORE": "embedded", "PLANGRAPH_HOME": str(home),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.log = log
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not answer in 60 s:\n{log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    home = tmp_path_factory.mktemp("plangraph-home")
    doc_ids = ingest_seeds(home)
    assert doc_ids, "the seeds loaded no document"
    return home, doc_ids


@pytest.fixture(scope="module")
def server(seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home, _ = seeded
    srv = Server(home, tmp_path_factory.mktemp("logs") / "uvicorn.log")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


# --------------------------------------------------------------------------- documents
def test_health_counts_documents(client, seeded):
    assert client.get("/health").json() == {"status": "ok", "documents": len(seeded[1])}


def test_documents_list_and_get(client, seeded):
    listed = client.get("/documents").json()
    assert listed["total"] == len(seeded[1])
    assert {d["id"] for d in listed["items"]} == set(seeded[1])
    doc_id = next(d for d in seeded[1] if "/" in d)            # ids with '/' travel in the path
    doc = client.get(f"/documents/{doc_id}").json()
    assert doc["id"] == doc_id and doc["tasks"] >= 0
    encoded = client.get("/documents/" + doc_id.replace("/", "%2F"))
    assert encoded.status_code == 200 and encoded.json()["id"] == doc_id


def test_document_sections_tree(client, seeded):
    doc_id = next(d for d in seeded[1] if "quang-ngai" in d)
    tree = client.get(f"/documents/{doc_id}/sections").json()
    assert tree["doc_id"] == doc_id and tree["sections"] > 5
    paths = []

    def walk(nodes, depth):
        for n in nodes:
            paths.append((n["path"], depth))
            walk(n["children"], depth + 1)
    walk(tree["children"], 0)
    assert len(paths) == tree["sections"]
    assert ("II", 0) in paths or any(p == "II" for p, _ in paths)
    assert any(d > 0 for _, d in paths), "the tree is flat"


def test_unknown_document_is_404(client):
    r = client.get("/documents/999/KH-UBND@nowhere-1900")
    assert r.status_code == 404 and "unknown document" in r.json()["detail"]
    assert client.get("/documents/nope/sections").status_code == 404


# --------------------------------------------------------------------------- agencies
def test_agency_search_with_and_without_diacritics(client):
    with_marks = client.get("/agencies", params={"q": "Sở Thông tin và Truyền thông"}).json()
    without = client.get("/agencies", params={"q": "so thong tin va truyen thong"}).json()
    assert with_marks["total"] >= 1
    assert {a["id"] for a in with_marks["items"]} == {a["id"] for a in without["items"]}
    assert all(a["id"].startswith("dic@") for a in without["items"])


def test_agency_get_with_tasks_and_404(client):
    dics = client.get("/agencies", params={"type": "dic", "with_tasks": "true"}).json()["items"]
    assert dics, "no DIC with tasks in the seeds"
    agency = client.get(f"/agencies/{dics[0]['id']}").json()
    assert agency["id"] == dics[0]["id"] and agency["responsibilities"]
    assert all(t["roles"] for t in agency["responsibilities"])
    assert client.get("/agencies/nobody@nowhere").status_code == 404


# --------------------------------------------------------------------------- tasks
def test_tasks_filters_and_detail(client):
    led = client.get("/tasks", params={"agency": "DIC", "role": "lead"}).json()
    assert led["total"] >= 1
    assert all(any(a.startswith("dic@") for a in t["leads"]) for t in led["items"])
    task_id = led["items"][0]["id"]
    detail = client.get("/tasks/" + task_id.replace("#", "%23")).json()
    assert detail["id"] == task_id
    roles = {(a["id"], r["role"]) for a in detail["agencies"] for r in a["roles"]}
    assert any(aid.startswith("dic@") and role == "lead" for aid, role in roles)
    assert client.get("/tasks", params={"agency": "DIC", "role": "boss"}).status_code == 422
    assert client.get("/tasks/none%23II.1").status_code == 404


# --------------------------------------------------------------------------- queries
def test_tasks_led_by_dic_returns_the_dic_tasks(client):
    r = client.get("/queries/tasks-led-by", params={"agency": "DIC"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == len(body["rows"]) >= 1
    assert all(row["agency_id"].startswith("dic@") for row in body["rows"])
    # the same through the generic route and with a Vietnamese name without diacritics
    generic = client.get("/queries/tasks-led-by", params={"agency": "so thong tin va truyen thong"}).json()
    assert {(x["doc_id"], x["path"]) for x in generic["rows"]} == {(x["doc_id"], x["path"]) for x in body["rows"]}


def test_tasks_led_by_jurisdiction(client):
    rows = client.get("/queries/tasks-led-by", params={"agency": "DIC", "jurisdiction": "Tiền Giang"}).json()["rows"]
    assert rows and all(r["agency_id"] == "dic@tien-giang" for r in rows)


def test_unknown_query_is_404(client):
    r = client.get("/queries/no-such-query")
    assert r.status_code == 404 and "unknown query" in r.json()["detail"]


def test_bad_parameter_is_422(client):
    assert client.get("/queries/tasks-led-by").status_code == 422                         # required missing
    assert client.get("/queries/tasks-led-by",
                      params={"agency": "DIC", "include_predecessors": "maybe"}).status_code == 422
    assert client.get("/queries/agencies-by-led-tasks", params={"limit": "many"}).status_code == 422


def test_openapi_lists_every_query_with_typed_params(client):
    from queries.registry import load_queries

    spec = client.get("/openapi.json").json()
    queries = load_queries()
    for name, q in queries.items():
        op = spec["paths"][f"/queries/{name}"]["get"]
        declared = {p["name"]: p for p in op.get("parameters", [])}
        assert set(declared) == {p.name for p in q.params}, name
        for p in q.params:
            assert declared[p.name]["required"] == p.required
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("Result")
    listed = client.get("/queries").json()
    assert {q["name"] for q in listed} == set(queries)


def test_swagger_docs_are_served_locally(client):
    import re

    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.text
    assert not re.search(r"https?://", docs.text)
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


# --------------------------------------------------------------------------- maps + page
def test_maps_are_html_without_external_urls(client, seeded):
    import re

    doc_id = seeded[1][0]
    r = client.get("/maps/document", params={"doc_id": doc_id})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "vis.Network" in r.text
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", r.text, re.I)
    a = client.get("/maps/agency", params={"agency": "DIC"})
    assert a.status_code == 200 and "vis.Network" in a.text
    assert client.get("/maps/document", params={"doc_id": "nope"}).status_code == 404
    assert client.get("/maps/agency", params={"agency": "zzzz-no-agency"}).status_code == 404


def test_ui_page_is_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "PlanGraph" in page.text
    assert client.get("/app.js").status_code == 200


# --------------------------------------------------------------------------- audit
def test_audit_json_filters_and_reports(client):
    full = client.get("/audit", params={"min_severity": "warning"}).json()
    assert full["count"] == len(full["findings"]) and full["failures"] == []
    broken = client.get("/audit", params={"kind": "broken_reference"}).json()["findings"]
    assert sorted((f["path"], f["target"]) for f in broken) == [("III.12", "II.5.đ"), ("III.8.a", "II.1.e")]
    conflicts = client.get("/audit", params={"kind": "target_conflict", "document": "370/KH-UBND"}).json()
    assert conflicts["count"] == 5
    misdirected = client.get("/audit", params={"kind": "misdirected", "agency": "DARD"}).json()["findings"]
    assert [(f["path"], f["target"]) for f in misdirected] == [("III.11", "II.5.d")]
    assert "II.5.c" in misdirected[0]["suggestion"]


def test_audit_reports_and_bad_parameter(client):
    md = client.get("/audit", params={"format": "markdown", "kind": "broken_reference"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.splitlines()[0].startswith("| kind | severity | document | path |")
    csv_text = client.get("/audit", params={"format": "csv", "kind": "ambiguous"}).text
    assert csv_text.splitlines()[0] == "kind,severity,document,path,quote,target,suggestion,evidence"
    assert client.get("/audit", params={"min_severity": "catastrophic"}).status_code == 422
