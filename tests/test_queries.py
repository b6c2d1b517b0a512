"""Named queries (queries/*.cypher) and their registry.

Every query runs on the embedded FalkorDB store, and on Neo4j 5 too when NEO4J_URI is set
(that database is cleared: point it at a test instance). Two data sets:

- a small hand-built graph written through the store (always), with exact expected rows;
- the seed plans in data/plans ingested by the real pipeline, with the facts of the seeds
  (run once `graph.ingest` exists, i.e. once the pipeline has landed).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Callable

import pytest

from graph.batch import GraphBatch
from queries.registry import Param, QueryError, load_queries, parse_query_file, run_query

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "plans"

QUERIES = load_queries()

TG = "370/KH-UBND@tien-giang-2021"
QN = "119/KH-UBND@quang-ngai-2020"

BACKENDS = ["embedded"] + (["neo4j"] if os.environ.get("NEO4J_URI") else [])


# --- registry -------------------------------------------------------------------------------


def test_required_queries_exist():
    required = {
        "tasks-led-by", "tasks-coordinated-by", "agencies-on-task", "broken-references",
        "ambiguous-references", "agencies-by-led-tasks", "documents-implementing",
        "targets-of-indicator", "tasks-without-lead", "documents", "agency-search",
    }
    assert required <= set(QUERIES)


def test_headers_are_parsed():
    q = QUERIES["tasks-led-by"]
    assert q.file.name == "tasks-led-by.cypher"
    assert q.description.startswith("Tasks an agency leads")
    assert [(p.name, p.type, p.required, p.default) for p in q.params] == [
        ("agency", "text", True, None),
        ("jurisdiction", "text", False, None),
        ("include_predecessors", "bool", False, False),
    ]
    assert "DIC" in q.params[0].doc
    assert q.columns[:3] == ["doc_id", "document", "jurisdiction"]
    assert "broken" in q.columns
    assert not q.cypher.lstrip().startswith("//")
    limit = QUERIES["agencies-by-led-tasks"].param("limit")
    assert limit == Param("limit", "int", 50, False, limit.doc)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_is_portable_and_documented(name):
    q = QUERIES[name]
    assert q.description and q.columns
    code = q.cypher
    for pattern in (r"\bEXISTS\s*\{", r"\bCOUNT\s*\{", r"\belementId\s*\(", r"(?<![\w.])id\s*\(",
                    r"\bapoc\.", r"\[[^\]]*:\w+\s*\|\s*:\w+"):
        assert not re.search(pattern, code, re.IGNORECASE), (name, pattern)
    for p in q.params:
        assert p.doc, f"{name}: parameter {p.name} has no description"


def test_bind_coerces_fills_defaults_and_adds_companions():
    q = QUERIES["tasks-led-by"]
    bound = q.bind({"agency": "  Sở Thông tin và Truyền thông ", "include_predecessors": "yes"})
    assert bound == {
        "agency": "Sở Thông tin và Truyền thông",
        "agency_folded": "so thong tin va truyen thong",
        "agency_key": "so-thong-tin-va-truyen-thong",
        "jurisdiction": None, "jurisdiction_folded": None, "jurisdiction_key": None,
        "include_predecessors": True,
    }
    assert q.bind({"agency": "DIC", "jurisdiction": "Tiền Giang"})["jurisdiction_key"] == "tien-giang"
    assert q.bind({"agency": "DIC", "jurisdiction": ""})["jurisdiction"] is None
    lim = QUERIES["agencies-by-led-tasks"]
    assert lim.bind({"limit": "7"})["limit"] == 7
    assert lim.bind({"limit": 3.0})["limit"] == 3
    assert lim.bind({})["limit"] == 50
    assert QUERIES["targets-of-indicator"].bind({"indicator": "x", "year": None})["year"] is None
    assert QUERIES["documents-implementing"].bind({"basis": 749})["basis"] == "749"


@pytest.mark.parametrize("name, params, bad", [
    ("tasks-led-by", {}, "agency"),
    ("tasks-led-by", {"agency": None}, "agency"),
    ("tasks-led-by", {"agency": "   "}, "agency"),
    ("tasks-led-by", {"agency": "DIC", "include_predecessors": "maybe"}, "include_predecessors"),
    ("tasks-led-by", {"agency": "DIC", "jurisdictoin": "Tiền Giang"}, "jurisdictoin"),
    ("tasks-led-by", {"agency": ["DIC"]}, "agency"),
    ("agencies-by-led-tasks", {"limit": "ten"}, "limit"),
    ("agencies-by-led-tasks", {"limit": 2.5}, "limit"),
    ("agencies-by-led-tasks", {"limit": True}, "limit"),
    ("targets-of-indicator", {"indicator": "x", "year": "2025.5"}, "year"),
])
def test_bind_rejects_bad_params_naming_them(name, params, bad):
    with pytest.raises(QueryError, match=re.escape(repr(bad))):
        QUERIES[name].bind(params)


def test_run_query_unknown_name():
    with pytest.raises(QueryError, match="unknown query 'nope'"):
        run_query(object(), "nope", {})  # type: ignore[arg-type]


@pytest.mark.parametrize("text, message", [
    ("// description: d\n// columns: a\nRETURN 1 AS a\n", "name"),
    ("// name: q\n// columns: a\nRETURN 1 AS a\n", "description"),
    ("// name: q\n// description: d\nRETURN 1 AS a\n", "columns"),
    ("// name: q\n// description: d\n// param: x: date — d\n// columns: a\nRETURN $x AS a\n", "unknown type"),
    ("// name: q\n// description: d\n// columns: a\nRETURN $x AS a\n", r"\$x is used but not declared"),
    ("// name: q\n// description: d\n// param: x: int = 1 — d\n// columns: a\nRETURN 1 AS a\n", "never used"),
    ("// name: q\n// description: d\n// param: x: int = abc — d\n// columns: a\nRETURN $x AS a\n", "bad default"),
    ("// name: other\n// description: d\n// columns: a\nRETURN 1 AS a\n", "differs from the file name"),
    ("// name: q\n// description: d\n// columns: a\n", "no Cypher"),
])
def test_malformed_headers_are_rejected(tmp_path, text, message):
    path = tmp_path / "q.cypher"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QueryError, match=message):
        parse_query_file(path)


def test_header_continuation_and_companions(tmp_path):
    path = tmp_path / "q.cypher"
    path.write_text(
        "// name: q\n// description: first line\n//   second line\n"
        "// param: who: text = 'Sở Y tế' — an agency\n// param: n: float = 1,5 — a number\n"
        "// columns: a, b\n// a comment in the body\nRETURN $who_folded AS a, $n AS b\n",
        encoding="utf-8")
    q = parse_query_file(path)
    assert q.description == "first line second line"
    assert q.params[0].default == "Sở Y tế" and q.params[1].default == 1.5
    assert q.cypher == "RETURN $who_folded AS a, $n AS b"
    assert q.bind({})["who_folded"] == "so y te"


# --- stores ---------------------------------------------------------------------------------


def _open(backend: str, home: Path):
    store_mod = pytest.importorskip("graph.store")
    if backend == "neo4j":
        store = store_mod.open_store("neo4j")
    else:
        store = store_mod.open_store("embedded", home=home)
    try:
        store.ensure_schema()
    except Exception:  # pragma: no cover - the schema is a store concern, not the queries'
        pass
    store.clear()
    return store


class Loaded:
    """One store per backend; the data set it holds is switched on demand."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.dataset: str | None = None

    def use(self, name: str, load: Callable[[Any], None]) -> Any:
        if self.dataset != name:
            self.store.clear()
            self.dataset = None
            load(self.store)
            self.dataset = name
        return self.store


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    store = _open(request.param, tmp_path_factory.mktemp(f"store-{request.param}"))
    yield Loaded(store)
    store.close()


# --- the hand-built graph -------------------------------------------------------------------


def _shared_batch() -> GraphBatch:
    b = GraphBatch("__catalog__")
    b.node(("AgencyType",), "dic", owned=False, name="Sở Thông tin và Truyền thông",
           name_en="Department of Information and Communications", abbr="DIC", level="province")
    b.node(("AgencyType",), "dost", owned=False, name="Sở Khoa học và Công nghệ",
           name_en="Department of Science and Technology", abbr="DOST", level="province")
    b.node(("AgencyType",), "departments", owned=False, name="Các sở, ban, ngành", collective=True)
    b.edge("SUCCEEDED_BY", ("AgencyType", "dic"), ("AgencyType", "dost"), date="2025-03-01")
    return b


def _agency(b: GraphBatch, type_key: str, jkey: str, jname: str, name: str, name_en: str | None,
            abbr: str | None, collective: bool = False) -> tuple[str, str]:
    from loaders.text import fold

    key = f"{type_key}@{jkey}"
    b.node(("Agency",), key, owned=False, type_key=type_key, name=name, name_en=name_en, abbr=abbr,
           jurisdiction=jname, jurisdiction_key=jkey, collective=collective, catalogued=True,
           search_text=" | ".join(fold(n) for n in (name, abbr, name_en) if n))
    b.edge("OF_TYPE", ("Agency", key), ("AgencyType", type_key))
    return ("Agency", key)


def _doc(b: GraphBatch, did: str, number: str, jname: str, jkey: str, date: str) -> tuple[str, str]:
    b.node(("Document",), did, doc_id=did, number=number, doc_type="Kế hoạch", jurisdiction=jname,
           jurisdiction_key=jkey, date=date, title=f"Kế hoạch {number}", sections=0, references_broken=0)
    return ("Document", did)


def _section(b: GraphBatch, did: str, path: str, order: int, title: str, task: bool = False) -> tuple[str, str]:
    labels = ("Section", "Task") if task else ("Section",)
    b.node(labels, f"{did}#{path}", doc_id=did, path=path, title=title, order=order, quote=title,
           **({"task_source": "section"} if task else {}))
    return ("Section", f"{did}#{path}")


def _missing(b: GraphBatch, did: str, path: str, raw: str) -> tuple[str, str]:
    b.node(("Missing",), f"{did}#missing:{path}", doc_id=did, path=path, raw=raw)
    return ("Missing", f"{did}#missing:{path}")


def _role(b: GraphBatch, rtype: str, agency, target, did: str, clause: str, quote: str,
          via: bool = False, broken: bool = False) -> None:
    b.edge(rtype, agency, target, doc_id=did, clause=clause, quote=quote, via_reference=via, broken=broken)


def _tien_giang_batch() -> GraphBatch:
    b = GraphBatch(TG)
    doc = _doc(b, TG, "370/KH-UBND", "Tiền Giang", "tien-giang", "2021-12-08")
    dic = _agency(b, "dic", "tien-giang", "Tiền Giang", "Sở Thông tin và Truyền thông",
                  "Department of Information and Communications", "DIC")
    dost = _agency(b, "dost", "tien-giang", "Tiền Giang", "Sở Khoa học và Công nghệ",
                   "Department of Science and Technology", "DOST")
    deps = _agency(b, "departments", "tien-giang", "Tiền Giang", "Các sở, ban, ngành", None, None, True)
    t1a = _section(b, TG, "III.1.a", 10, "Phát triển hạ tầng số", task=True)
    t1b = _section(b, TG, "III.1.b", 11, "Phát triển nền tảng số", task=True)
    t9 = _section(b, TG, "III.9", 19, "Nhiệm vụ chưa có đơn vị chủ trì", task=True)
    s2b = _section(b, TG, "II.2.b", 5, "Mục tiêu kinh tế số")
    v3b = _section(b, TG, "V.3.b", 40, "Chủ trì thực hiện điểm a, b khoản 1 mục III")
    row1 = _section(b, TG, "PL1.1", 50, "Xây dựng kho dữ liệu dùng chung", task=True)
    row2 = _section(b, TG, "PL1.2", 51, "Số hóa hồ sơ", task=True)
    for s in (s2b, t1a, t1b, t9, v3b, row1, row2):
        b.edge("HAS_SECTION", doc, s, doc_id=TG, order=0)
    b.edge("REFERENCES", v3b, t1a, doc_id=TG, status="resolved", target_path="III.1.a",
           raw="điểm a, b khoản 1 mục III", line=700)
    _role(b, "LEADS", dic, t1a, TG, "V.3.b", "Chủ trì ... điểm a, b khoản 1 mục III", via=True)
    _role(b, "LEADS", dic, t1b, TG, "V.3.b", "Chủ trì ... điểm a, b khoản 1 mục III", via=True)
    _role(b, "LEADS", dic, row1, TG, "PL1.1", "Sở TT&TT | Các sở, ngành")
    _role(b, "LEADS", deps, row2, TG, "PL1.2", "Các sở, ngành | Sở TT&TT")
    _role(b, "COORDINATES", deps, row1, TG, "PL1.1", "Sở TT&TT | Các sở, ngành")
    _role(b, "COORDINATES", dic, row2, TG, "PL1.2", "Các sở, ngành | Sở TT&TT")
    _role(b, "COORDINATES", dost, t9, TG, "III.9", "phối hợp với Sở Khoa học và Công nghệ")
    b.node(("LegalBasis",), "942/QĐ-TTg", owned=False, number="942/QĐ-TTg", doc_type="Quyết định",
           issuer_code="TTg", title="Chiến lược phát triển Chính phủ điện tử hướng tới Chính phủ số")
    b.node(("LegalBasis",), "749/QĐ-TTg", owned=False, number="749/QĐ-TTg", doc_type="Quyết định",
           issuer_code="TTg")
    b.node(("LegalBasis",), "45/2020/NĐ-CP", owned=False, number="45/2020/NĐ-CP", doc_type="Nghị định",
           issuer_code="CP")
    b.edge("IMPLEMENTS", doc, ("LegalBasis", "942/QĐ-TTg"), doc_id=TG, quote="Quyết định số 942/QĐ-TTg")
    b.edge("CITES", doc, ("LegalBasis", "749/QĐ-TTg"), doc_id=TG, quote="Quyết định số 749/QĐ-TTg")
    b.edge("IMPLEMENTS", doc, ("LegalBasis", "45/2020/NĐ-CP"), doc_id=TG, quote="Nghị định số 45/2020/NĐ-CP")
    b.node(("Target",), f"{TG}#II.2.b:t1", doc_id=TG, path="II.2.b", indicator="Kinh tế số chiếm",
           indicator_key="digital_economy_share_grdp", comparator="range", value=15.0, value_max=20.0,
           unit="%", year=2025, quote="Kinh tế số chiếm 15% đến 20% GRDP")
    b.node(("Indicator",), "digital_economy_share_grdp", owned=False, name="Kinh tế số chiếm")
    b.edge("HAS_TARGET", s2b, ("Target", f"{TG}#II.2.b:t1"), doc_id=TG)
    b.edge("MEASURES", ("Target", f"{TG}#II.2.b:t1"), ("Indicator", "digital_economy_share_grdp"), doc_id=TG)
    return b


def _quang_ngai_batch() -> GraphBatch:
    b = GraphBatch(QN)
    doc = _doc(b, QN, "119/KH-UBND", "Quảng Ngãi", "quang-ngai", "2020-10-09")
    dic = _agency(b, "dic", "quang-ngai", "Quảng Ngãi", "Sở Thông tin và Truyền thông",
                  "Department of Information and Communications", "DIC")
    c1 = _section(b, QN, "II.1.c", 3, "Điểm c thứ nhất", task=True)
    c2 = _section(b, QN, "II.1.c~2", 4, "Điểm c thứ hai", task=True)
    s8a = _section(b, QN, "III.8.a", 20, "Chủ trì thực hiện điểm e khoản 1 mục II")
    s12 = _section(b, QN, "III.12", 30, "Thực hiện điểm đ, khoản 5 mục II")
    s5 = _section(b, QN, "III.5", 15, "Thực hiện điểm c khoản 1 mục II")
    for s in (c1, c2, s5, s8a, s12):
        b.edge("HAS_SECTION", doc, s, doc_id=QN, order=0)
    e = _missing(b, QN, "II.1.e", "điểm e khoản 1 mục II")
    dd = _missing(b, QN, "II.5.đ", "điểm đ, khoản 5 mục II")
    b.edge("REFERENCES", s8a, e, doc_id=QN, status="broken", target_path="II.1.e",
           raw="điểm e khoản 1 mục II", quote="nêu tại điểm e khoản 1 mục II", line=405)
    b.edge("REFERENCES", s12, dd, doc_id=QN, status="broken", target_path="II.5.đ",
           raw="điểm đ, khoản 5 mục II", quote="nêu tại điểm đ, khoản 5 mục II", line=426)
    for c in (c1, c2):
        b.edge("REFERENCES", s5, c, doc_id=QN, status="ambiguous", target_path="II.1.c",
               raw="điểm c khoản 1 mục II", line=300)
    _role(b, "LEADS", dic, e, QN, "III.8.a", "chủ trì thực hiện điểm e khoản 1 mục II", via=True, broken=True)
    _role(b, "LEADS", dic, c1, QN, "III.5", "thực hiện điểm c khoản 1 mục II", via=True)
    _role(b, "LEADS", dic, c1, QN, "III.9", "chủ trì thực hiện điểm c khoản 1 mục II", via=True)
    b.node(("LegalBasis",), "749/QĐ-TTg", owned=False, number="749/QĐ-TTg", doc_type="Quyết định",
           issuer_code="TTg")
    b.edge("IMPLEMENTS", doc, ("LegalBasis", "749/QĐ-TTg"), doc_id=QN, quote="Quyết định số 749/QĐ-TTg")
    b.node(("Target",), f"{QN}#II.1.c:t1", doc_id=QN, path="II.1.c", indicator="Kinh tế số chiếm",
           indicator_key="digital_economy_share_grdp", comparator=">=", value=20.0, unit="%", year=2030,
           quote="Kinh tế số chiếm 20% GRDP")
    b.node(("Indicator",), "digital_economy_share_grdp", owned=False, name="Kinh tế số chiếm")
    b.edge("HAS_TARGET", c1, ("Target", f"{QN}#II.1.c:t1"), doc_id=QN)
    b.edge("MEASURES", ("Target", f"{QN}#II.1.c:t1"), ("Indicator", "digital_economy_share_grdp"), doc_id=QN)
    b.node(("Finding",), f"{QN}#finding:1", doc_id=QN, kind="broken_reference", severity="error",
           path="III.8.a", target="II.1.e", quote="điểm e khoản 1 mục II", line=405)
    return b


def _load_mini(store: Any) -> None:
    store.write_shared(_shared_batch())
    store.replace_document(_tien_giang_batch())
    store.replace_document(_quang_ngai_batch())


@pytest.fixture()
def mini(backend):
    store = backend.use("mini", _load_mini)
    return lambda name, **params: run_query(store, name, params)


def _keys(rows, *cols):
    return [tuple(r[c] for c in cols) for r in rows]


def test_rows_carry_the_declared_columns(mini):
    for name, params in [
        ("tasks-led-by", {"agency": "DIC"}), ("tasks-coordinated-by", {"agency": "DIC"}),
        ("agencies-on-task", {"task": f"{TG}#PL1.1"}), ("broken-references", {}),
        ("ambiguous-references", {}), ("agencies-by-led-tasks", {}),
        ("documents-implementing", {"basis": "749"}), ("targets-of-indicator", {"indicator": "digital_economy_share_grdp"}),
        ("tasks-without-lead", {}), ("documents", {}), ("agency-search", {"q": "so thong tin"}),
        ("findings", {}), ("task-assignments", {"doc": "370"}),
    ]:
        rows = mini(name, **params)
        assert rows, name
        assert list(rows[0]) == QUERIES[name].columns, name
    tested = {"tasks-led-by", "tasks-coordinated-by", "agencies-on-task", "broken-references",
              "ambiguous-references", "agencies-by-led-tasks", "documents-implementing",
              "targets-of-indicator", "tasks-without-lead", "documents", "agency-search",
              "findings", "task-assignments"}
    assert tested == set(QUERIES), "a new query needs a test here"


@pytest.mark.parametrize("agency", [
    "DIC", "dic", "Sở Thông tin và Truyền thông", "so thong tin va truyen thong",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Department of Information and Communications",
])
def test_tasks_led_by_spellings(mini, agency):
    rows = mini("tasks-led-by", agency=agency)
    assert _keys(rows, "doc_id", "path", "agency_id", "broken") == [
        (QN, "II.1.c", "dic@quang-ngai", False),
        (QN, "II.1.e", "dic@quang-ngai", True),
        (TG, "III.1.a", "dic@tien-giang", False),
        (TG, "III.1.b", "dic@tien-giang", False),
        (TG, "PL1.1", "dic@tien-giang", False),
    ]


def test_tasks_led_by_row_content(mini):
    rows = mini("tasks-led-by", agency="dic@tien-giang")
    assert [r["path"] for r in rows] == ["III.1.a", "III.1.b", "PL1.1"]
    first = rows[0]
    assert first["document"] == "370/KH-UBND" and first["jurisdiction"] == "Tiền Giang"
    assert first["agency"] == "Sở Thông tin và Truyền thông"
    assert first["title"] == "Phát triển hạ tầng số"
    assert first["clauses"] == ["V.3.b"] and first["via_reference"] is True
    assert first["predecessor"] is False and first["quote"].startswith("Chủ trì")
    twice = mini("tasks-led-by", agency="dic@quang-ngai")[0]
    assert twice["path"] == "II.1.c" and sorted(twice["clauses"]) == ["III.5", "III.9"]
    broken = mini("tasks-led-by", agency="DIC", jurisdiction="quang ngai")
    assert [(r["path"], r["broken"], r["title"]) for r in broken] == [
        ("II.1.c", False, "Điểm c thứ nhất"), ("II.1.e", True, "điểm e khoản 1 mục II")]


@pytest.mark.parametrize("jurisdiction", ["Tiền Giang", "tien giang", "tien-giang", "TIỀN GIANG"])
def test_tasks_led_by_jurisdiction(mini, jurisdiction):
    rows = mini("tasks-led-by", agency="Sở Thông tin và Truyền thông", jurisdiction=jurisdiction)
    assert {r["agency_id"] for r in rows} == {"dic@tien-giang"}
    assert len(rows) == 3


def test_tasks_led_by_unknown_agency_is_empty(mini):
    assert mini("tasks-led-by", agency="Sở Thông tin") == []
    assert mini("tasks-led-by", agency="DIC", jurisdiction="Hà Nội") == []


def test_tasks_led_by_predecessors(mini):
    assert mini("tasks-led-by", agency="DOST") == []
    rows = mini("tasks-led-by", agency="DOST", include_predecessors=True)
    assert {(r["agency_id"], r["predecessor"]) for r in rows} == {
        ("dic@tien-giang", True), ("dic@quang-ngai", True)}
    assert len(rows) == 5
    by_name = mini("tasks-led-by", agency="Sở Khoa học và Công nghệ", include_predecessors=True,
                   jurisdiction="Tiền Giang")
    assert {r["path"] for r in by_name} == {"III.1.a", "III.1.b", "PL1.1"}
    by_id = mini("tasks-led-by", agency="dost@tien-giang", include_predecessors=True)
    assert {r["agency_id"] for r in by_id} == {"dic@tien-giang"}


def test_tasks_coordinated_by(mini):
    rows = mini("tasks-coordinated-by", agency="so thong tin va truyen thong")
    assert _keys(rows, "doc_id", "path", "agency_id", "clauses") == [(TG, "PL1.2", "dic@tien-giang", ["PL1.2"])]
    assert _keys(mini("tasks-coordinated-by", agency="DOST"), "path") == [("III.9",)]


def test_agencies_on_task(mini):
    rows = mini("agencies-on-task", task=f"{TG}#PL1.1")
    assert _keys(rows, "path", "role", "agency_id") == [
        ("PL1.1", "lead", "dic@tien-giang"), ("PL1.1", "coordinate", "departments@tien-giang")]
    assert rows[0]["abbr"] == "DIC" and rows[0]["agency_en"] == "Department of Information and Communications"
    for doc in ("370/KH-UBND", "370", TG):
        assert mini("agencies-on-task", task="PL1.1", doc=doc) == rows
    assert mini("agencies-on-task", task="PL1.1") == []      # a bare path needs the document
    broken = mini("agencies-on-task", task="II.1.e", doc="119/KH-UBND")
    assert _keys(broken, "role", "agency_id", "broken", "via_reference", "clause") == [
        ("lead", "dic@quang-ngai", True, True, "III.8.a")]


def test_broken_references(mini):
    rows = mini("broken-references")
    assert _keys(rows, "doc_id", "document", "clause", "target_path", "raw") == [
        (QN, "119/KH-UBND", "III.8.a", "II.1.e", "điểm e khoản 1 mục II"),
        (QN, "119/KH-UBND", "III.12", "II.5.đ", "điểm đ, khoản 5 mục II"),
    ]
    assert rows[0]["clause_quote"].startswith("Chủ trì thực") and rows[0]["line"] == 405   # the clause, not the mention
    assert mini("broken-references", doc="370/KH-UBND") == []
    assert len(mini("broken-references", doc="119")) == 2


def test_ambiguous_references(mini):
    rows = mini("ambiguous-references", doc=QN)
    assert len(rows) == 1
    row = rows[0]
    assert (row["clause"], row["target_path"]) == ("III.5", "II.1.c")
    assert sorted(row["candidates"]) == ["II.1.c", "II.1.c~2"]


def test_agencies_by_led_tasks(mini):
    rows = mini("agencies-by-led-tasks")
    assert _keys(rows, "agency_id", "tasks", "documents") == [
        ("dic@tien-giang", 3, 1), ("dic@quang-ngai", 2, 1), ("departments@tien-giang", 1, 1)]
    assert _keys(mini("agencies-by-led-tasks", include_collective=False, limit=1), "agency_id") == [
        ("dic@tien-giang",)]
    assert _keys(mini("agencies-by-led-tasks", jurisdiction="Quảng Ngãi"), "agency_id") == [("dic@quang-ngai",)]
    assert _keys(mini("agencies-by-led-tasks", doc="370/KH-UBND"), "agency_id", "tasks") == [
        ("dic@tien-giang", 3), ("departments@tien-giang", 1)]


@pytest.mark.parametrize("basis", ["749/QĐ-TTg", "749", "QĐ 749", "qd 749", "Quyết định 749",
                                   "749/qd-ttg", "Quyết định số 749/QĐ-TTg"])
def test_documents_implementing_749(mini, basis):
    rows = mini("documents-implementing", basis=basis)
    assert _keys(rows, "basis", "doc_id", "relation") == [("749/QĐ-TTg", QN, "implements")]


def test_documents_implementing_variants(mini):
    assert _keys(mini("documents-implementing", basis="942/QĐ-TTg"), "doc_id") == [(TG,)]
    assert _keys(mini("documents-implementing", basis="NĐ 45"), "basis", "doc_id") == [("45/2020/NĐ-CP", TG)]
    assert _keys(mini("documents-implementing", basis="45/2020/NĐ-CP"), "doc_id") == [(TG,)]
    cited = mini("documents-implementing", basis="749", include_citing=True)
    assert _keys(cited, "doc_id", "relation") == [(QN, "implements"), (TG, "cites")]
    assert mini("documents-implementing", basis="74") == []
    assert mini("documents-implementing", basis="7490") == []


def test_targets_of_indicator(mini):
    rows = mini("targets-of-indicator", indicator="digital_economy_share_grdp")
    assert _keys(rows, "doc_id", "jurisdiction", "year", "value", "value_max", "comparator") == [
        (QN, "Quảng Ngãi", 2030, 20.0, None, ">="), (TG, "Tiền Giang", 2025, 15.0, 20.0, "range")]
    assert rows == mini("targets-of-indicator", indicator="digital-economy-share-grdp")
    assert rows == mini("targets-of-indicator", indicator="kinh tế số")
    assert _keys(mini("targets-of-indicator", indicator="digital_economy_share_grdp", year=2025), "doc_id") == [(TG,)]
    assert mini("targets-of-indicator", indicator="unknown_indicator") == []


def test_tasks_without_lead(mini):
    rows = mini("tasks-without-lead")
    assert _keys(rows, "doc_id", "path", "other_agencies") == [
        (QN, "II.1.c~2", []), (TG, "III.9", ["dost@tien-giang"])]
    assert _keys(mini("tasks-without-lead", doc="370/KH-UBND"), "path") == [("III.9",)]


def test_documents(mini):
    rows = mini("documents")
    assert _keys(rows, "doc_id", "number", "tasks") == [(QN, "119/KH-UBND", 2), (TG, "370/KH-UBND", 5)]
    assert sorted(rows[1]["implements"]) == ["45/2020/NĐ-CP", "942/QĐ-TTg"]
    assert _keys(mini("documents", jurisdiction="tien giang"), "doc_id") == [(TG,)]


def test_agency_search(mini):
    rows = mini("agency-search", q="so thong tin")
    assert _keys(rows, "agency_id", "leads", "coordinates") == [
        ("dic@tien-giang", 3, 1), ("dic@quang-ngai", 2, 0)]
    assert _keys(mini("agency-search", q="Sở Thông tin", jurisdiction="Quảng Ngãi"), "agency_id") == [
        ("dic@quang-ngai",)]
    assert _keys(mini("agency-search", q="science"), "agency_id") == [("dost@tien-giang",)]
    assert _keys(mini("agency-search", q="DOST"), "abbr") == [("DOST",)]


def test_findings(mini):
    rows = mini("findings", doc="119")
    assert _keys(rows, "kind", "path", "target") == [("broken_reference", "III.8.a", "II.1.e")]
    assert mini("findings", kind="broken-reference") == rows
    assert mini("findings", kind="numbering_anomaly") == []


def test_task_assignments(mini):
    rows = mini("task-assignments", doc="119/KH-UBND")
    assert _keys(rows, "path", "leads", "coordinators", "broken") == [
        ("II.1.c", ["dic@quang-ngai"], [], False),
        ("II.1.c~2", [], [], False),
        ("II.1.e", ["dic@quang-ngai"], [], True),
    ]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_on_an_empty_graph(backend, name):
    store = backend.use("empty", lambda _store: None)
    params = {p.name: {"text": "DIC", "int": 1, "float": 1.0, "bool": True}[p.type]
              for p in QUERIES[name].params if p.required}
    assert run_query(store, name, params) == []


# --- the seed plans through the real pipeline ------------------------------------------------


def _ingest_seeds(store: Any) -> None:
    """The seeds through the real pipeline: parse, build, audit, write."""
    from graph.ingest import ingest_paths

    paths = sorted(SEEDS.glob("*.txt"))
    assert paths, f"no seed plans in {SEEDS}"
    summary = ingest_paths(paths, store)
    assert not summary.failures and len(summary.rows) == len(paths)


@pytest.fixture()
def seeds(backend):
    store = backend.use("seeds", _ingest_seeds)
    return lambda name, **params: run_query(store, name, params)


def _doc_id(seeds, number: str) -> str:
    rows = [r for r in seeds("documents") if r["number"] == number]
    assert len(rows) == 1, f"expected one document {number}"
    return rows[0]["doc_id"]


def test_seed_broken_references_quang_ngai(seeds):
    rows = seeds("broken-references", doc="119/KH-UBND")
    assert sorted({(r["clause"], r["target_path"]) for r in rows}) == [("III.12", "II.5.đ"), ("III.8.a", "II.1.e")]
    assert all(r["raw"] and r["clause_quote"] for r in rows)


def test_seed_no_broken_references_tien_giang(seeds):
    assert seeds("broken-references", doc="370/KH-UBND") == []


def test_seed_ambiguous_reference_quang_ngai(seeds):
    rows = seeds("ambiguous-references", doc="119/KH-UBND")
    assert {r["target_path"] for r in rows} == {"II.1.c"}
    assert all(len(r["candidates"]) >= 2 for r in rows)


TG_V3B = {"III.1.a", "III.1.b", "III.1.c", "III.1.d", "III.1.đ", "III.1.e", "III.2",
          "III.3.a", "III.3.b", "III.4.a", "III.4.c", "III.4.e"}


def test_seed_tien_giang_dic_leads(seeds):
    rows = seeds("tasks-led-by", agency="DIC", jurisdiction="Tiền Giang")
    assert {r["agency_id"] for r in rows} == {"dic@tien-giang"}
    tg = [r for r in rows if r["document"] == "370/KH-UBND"]
    appendix_rows = {r["path"] for r in tg if r["path"].startswith("PL")}
    # 63 rows name the DIC in their Chủ trì cell; PL3.11 names it in a nested remark
    # ("UBND các huyện, thị xã, thành phố (Sở Thông tin và Truyền thông chủ trì, …)"), which also makes it lead
    assert len(appendix_rows) == 64 and "PL3.11" in appendix_rows
    assert {p.split(".")[0] for p in appendix_rows} == {"PL1", "PL2", "PL3", "PL4"}
    assert sum(p.startswith("PL1.") for p in appendix_rows) == 13
    assert sum(p.startswith("PL3.") for p in appendix_rows) == 28
    body = {r["path"] for r in tg if not r["path"].startswith("PL")}
    assert TG_V3B <= body, sorted(TG_V3B - body)
    via_v3b = {r["path"] for r in tg if "V.3.b" in r["clauses"]}
    assert TG_V3B <= via_v3b
    assert not any(r["broken"] for r in tg)


@pytest.mark.parametrize("agency", ["Sở Thông tin và Truyền thông", "so thong tin va truyen thong", "dic"])
def test_seed_tasks_led_by_spellings_agree(seeds, agency):
    expected = seeds("tasks-led-by", agency="DIC")
    assert expected
    assert seeds("tasks-led-by", agency=agency) == expected
    tg = seeds("tasks-led-by", agency="DIC", jurisdiction="Tiền Giang")
    assert seeds("tasks-led-by", agency=agency, jurisdiction="Tiền Giang") == tg


def test_seed_tasks_led_by_includes_broken(seeds):
    rows = seeds("tasks-led-by", agency="DIC", jurisdiction="Quảng Ngãi")
    broken = {r["path"] for r in rows if r["broken"]}
    assert broken <= {"II.1.e", "II.5.đ"}


def test_seed_ninh_thuan_dic(seeds):
    led = seeds("tasks-led-by", agency="DIC", jurisdiction="Ninh Thuận")
    coordinated = seeds("tasks-coordinated-by", agency="DIC", jurisdiction="Ninh Thuận")
    assert len({(r["doc_id"], r["path"]) for r in led if r["task_source"] == "task_block"}) == 9
    assert len({(r["doc_id"], r["path"]) for r in coordinated if r["task_source"] == "task_block"}) == 5


@pytest.mark.parametrize("basis, number", [
    ("749/QĐ-TTg", "119/KH-UBND"), ("749", "119/KH-UBND"), ("QĐ 749", "119/KH-UBND"),
    ("942/QĐ-TTg", "370/KH-UBND"), ("942", "370/KH-UBND"),
])
def test_seed_documents_implementing(seeds, basis, number):
    assert number in {r["number"] for r in seeds("documents-implementing", basis=basis)}


def test_seed_agencies_on_task_and_ranking(seeds):
    tg = _doc_id(seeds, "370/KH-UBND")
    rows = seeds("agencies-on-task", task="III.1.a", doc="370/KH-UBND")
    assert ("lead", "dic@tien-giang") in {(r["role"], r["agency_id"]) for r in rows}
    assert rows == seeds("agencies-on-task", task=f"{tg}#III.1.a")
    ranked = seeds("agencies-by-led-tasks", jurisdiction="Tiền Giang", include_collective=False, limit=3)
    assert ranked[0]["agency_id"] == "dic@tien-giang"
    assert ranked[0]["tasks"] >= 63 + len(TG_V3B)


def test_seed_predecessors_of_dost(seeds):
    rows = seeds("tasks-led-by", agency="DOST", jurisdiction="Tiền Giang", include_predecessors=True)
    dic = {r["path"] for r in rows if r["agency_id"] == "dic@tien-giang"}
    assert all(r["predecessor"] for r in rows if r["agency_id"] == "dic@tien-giang")
    assert dic == {r["path"] for r in seeds("tasks-led-by", agency="DIC", jurisdiction="Tiền Giang")}
    assert not any(r["predecessor"] for r in seeds("tasks-led-by", agency="DOST", jurisdiction="Tiền Giang"))


def test_seed_other_queries_run(seeds):
    assert len(seeds("documents")) == len(list(SEEDS.glob("*.txt")))
    assert seeds("agency-search", q="so thong tin")
    for row in seeds("tasks-without-lead"):
        assert row["path"] and row["doc_id"]
    assert seeds("task-assignments", doc="370/KH-UBND")
    seeds("findings")
    seeds("targets-of-indicator", indicator="digital_economy_share_grdp")
