"""The real `plangraph` CLI in a subprocess: ingest (with bad files), query formats,
export, viz."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "plans"


def plangraph(home: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("PLANGRAPH_STORE", None)
    return subprocess.run([sys.executable, "-m", "api.cli", "--home", str(home), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Seeds plus a binary file and a broken .docx, ingested through the CLI."""
    inbox = tmp_path_factory.mktemp("inbox")
    for f in SEEDS.iterdir():
        shutil.copy(f, inbox / f.name)
    (inbox / "scan.bin").write_bytes(bytes(range(256)) * 64)
    (inbox / "broken.docx").write_bytes(b"PK\x03\x04 this is not a real docx archive")
    home = tmp_path_factory.mktemp("cli-home")
    result = plangraph(home, "ingest", str(inbox))
    return home, inbox, result


def test_ingest_reports_bad_files_and_loads_the_rest(loaded):
    home, inbox, result = loaded
    assert result.returncode == 0, result.stdout + result.stderr      # partial failure: exit 0
    out = result.stdout
    for seed in SEEDS.iterdir():
        assert seed.name in out, f"{seed.name} missing from the summary"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any("broken.docx" in line for line in errors), result.stderr
    assert any("scan.bin" in line for line in errors), result.stderr
    assert "Ingested 5 of 7" in out


def test_ingest_strict_and_all_failed(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.docx").write_bytes(b"not a zip")
    result = plangraph(tmp_path / "home", "ingest", str(bad))
    assert result.returncode == 1
    assert "x.docx" in result.stderr and "no file was loaded" in result.stderr
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(next(SEEDS.iterdir()), mixed)
    (mixed / "y.docx").write_bytes(b"not a zip")
    assert plangraph(tmp_path / "home2", "ingest", str(mixed)).returncode == 0
    assert plangraph(tmp_path / "home3", "ingest", "--strict", str(mixed)).returncode == 1


def test_query_list(loaded):
    result = plangraph(loaded[0], "query", "--list")
    assert result.returncode == 0 and "tasks-led-by" in result.stdout and "agency" in result.stdout


def test_query_formats(loaded):
    home = loaded[0]
    as_json = plangraph(home, "query", "tasks-led-by", "--param", "agency=DIC", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert rows and all(r["agency_id"].startswith("dic@") for r in rows)

    as_csv = plangraph(home, "query", "tasks-led-by", "-p", "agency=DIC", "-f", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(table) == len(rows) and {r["path"] for r in table} == {r["path"] for r in rows}

    as_table = plangraph(home, "query", "tasks-led-by", "-p", "agency=so thong tin va truyen thong")
    assert as_table.returncode == 0 and f"{len(rows)} row(s)" in as_table.stdout


def test_query_errors(loaded):
    home = loaded[0]
    unknown = plangraph(home, "query", "no-such-query")
    assert unknown.returncode == 1 and "unknown query" in unknown.stderr
    bad = plangraph(home, "query", "agencies-by-led-tasks", "-p", "limit=lots")
    assert bad.returncode == 1 and "limit" in bad.stderr
    missing = plangraph(home, "query", "tasks-led-by")
    assert missing.returncode == 1 and "agency" in missing.stderr


def test_export_json_and_graphml(loaded, tmp_path):
    home = loaded[0]
    out_json = tmp_path / "g.json"
    r = plangraph(home, "export", "--format", "json", "-o", str(out_json))
    assert r.returncode == 0, r.stderr
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(data["nodes"]) > 50 and len(data["edges"]) > 50
    out_xml = tmp_path / "g.graphml"
    r = plangraph(home, "export", "--format", "graphml", "-o", str(out_xml))
    assert r.returncode == 0, r.stderr
    root = ET.parse(out_xml).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == len(data["nodes"])


def test_viz_document_and_agency(loaded, tmp_path):
    home = loaded[0]
    docs = json.loads(plangraph(home, "query", "documents", "-f", "json").stdout)
    doc_id = docs[0]["doc_id"]
    out = tmp_path / "doc.html"
    r = plangraph(home, "viz", "document", doc_id, "-o", str(out))
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert "vis.Network" in html and not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html)
    out2 = tmp_path / "agency.html"
    r = plangraph(home, "viz", "agency", "DIC", "-o", str(out2))
    assert r.returncode == 0, r.stderr
    assert out2.stat().st_size > 100_000
    r = plangraph(home, "viz", "document", "nope@nowhere", "-o", str(tmp_path / "x.html"))
    assert r.returncode == 1 and "unknown document" in r.stderr


def test_audit_of_the_ingested_documents(loaded, tmp_path):
    home, _, _ = loaded
    result = plangraph(home, "audit", "--kind", "broken_reference", "--format", "json")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert sorted((f["path"], f["target"]) for f in findings) == [("III.12", "II.5.đ"), ("III.8.a", "II.1.e")]
    assert all(f["severity"] == "error" and f["document"].startswith("119/KH-UBND") for f in findings)
    table = plangraph(home, "audit", "--document", "370/KH-UBND", "--min-severity", "error")
    assert table.returncode == 0 and "target_conflict" in table.stdout
    assert "5 findings" in table.stderr
    out = tmp_path / "audit.csv"
    assert plangraph(home, "audit", "-f", "csv", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "kind,severity,document,path,quote,target,suggestion,evidence"


def test_audit_of_files_given_and_bad_severity(tmp_path):
    result = plangraph(tmp_path / "empty-home", "audit", str(SEEDS / "002_8dead71a1713ec0c.txt"), "-k", "target_conflict",
                       "-f", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 5
    bad = plangraph(tmp_path / "empty-home", "audit", str(SEEDS), "--min-severity", "catastrophic")
    assert bad.returncode == 1 and "catastrophic" in bad.stderr
