"""Offline Neo4j Cypher lint of queries/*.cypher (tools/cypher-lint/lint.mjs).

Skips only when `node` is absent. When the linter's node_modules are missing it installs
them from the committed lock file (`npm ci`), so a missing install fails loudly.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LINT_DIR = ROOT / "tools" / "cypher-lint"
LINT = LINT_DIR / "lint.mjs"
PACKAGE = "@neo4j-cypher/language-support"
VERSION = "2.0.0-next.38"

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def test_package_is_pinned_exactly():
    pkg = json.loads((LINT_DIR / "package.json").read_text(encoding="utf-8"))
    assert pkg["dependencies"] == {PACKAGE: VERSION}
    lock = json.loads((LINT_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][f"node_modules/{PACKAGE}"]["version"] == VERSION


@pytest.fixture(scope="module")
def linter():
    if not (LINT_DIR / "node_modules" / PACKAGE / "package.json").exists():
        npm = shutil.which("npm")
        assert npm, "node_modules missing and npm not found: run `npm ci --prefix tools/cypher-lint`"
        subprocess.run([npm, "ci", "--prefix", str(LINT_DIR), "--no-audit", "--no-fund"],
                       check=True, capture_output=True, text=True, timeout=600)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([NODE, str(LINT), "--python", sys.executable, *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=600)

    return run


def test_project_queries_lint_clean(linter):
    res = linter()
    assert res.returncode == 0, res.stdout + res.stderr
    n = len(list((ROOT / "queries").glob("*.cypher")))
    assert f"{n} file(s), 0 problem(s)" in res.stdout


GOOD = """\
// name: good
// description: A correct query: declared parameters, known labels, types and properties.
// param: agency: text — agency
// param: limit: int = 10 — rows
// columns: id, path
MATCH (a:Agency)-[r:LEADS]->(t:Task)
WHERE a.id = $agency OR $agency_folded IN split(coalesce(a.search_text, ''), '|')
RETURN a.id AS id, t.path AS path
LIMIT $limit
"""

# (file name, text, [(line, expected fragment of the message)])
BAD = [
    ("syntax.cypher", "// name: syntax\n// description: x\n// columns: out\nMATCH (a:Agency\nRETURN a.id AS out\n",
     [(5, "Invalid input")]),
    ("label.cypher", "// name: label\n// description: x\n// columns: out\nMATCH (a:Agnecy) RETURN a.id AS out\n",
     [(4, "Label Agnecy is not present")]),
    ("reltype.cypher", "// name: reltype\n// description: x\n// columns: out\n"
     "MATCH (a:Agency)-[:LEADZ]->(t) RETURN t.id AS out\n", [(4, "LEADZ is not present")]),
    ("function.cypher", "// name: function\n// description: x\n// columns: out\n"
     "MATCH (a:Agency) RETURN fold(a.name) AS out\n", [(4, "Function fold is not present")]),
    ("property.cypher", "// name: property\n// description: x\n// columns: out\n"
     "MATCH (a:Agency) WHERE a.nmae = 'x' RETURN a.id AS out\n", [(4, "nmae is not present")]),
    ("param.cypher", "// name: param\n// description: x\n// param: agency: text — x\n// columns: out\n"
     "MATCH (a:Agency) WHERE a.id = $agnecy RETURN a.id AS out\n", [(5, "Parameter $agnecy is not defined")]),
    ("variable.cypher", "// name: variable\n// description: x\n// columns: out\n"
     "MATCH (a:Agency) RETURN b.id AS out\n", [(4, "Variable `b` not defined")]),
    ("deprecated.cypher", "// name: deprecated\n// description: x\n// columns: out\n"
     "MATCH (a:Agency)-[r:LEADS|:COORDINATES]->(t) RETURN id(a) AS out\n",
     [(4, "deprecated"), (4, "portability: [:A|:B]"), (4, "portability: id()")]),
    ("subquery.cypher", "// name: subquery\n// description: x\n// columns: out\n"
     "MATCH (t:Task) WHERE NOT EXISTS { (t)<-[:LEADS]-(:Agency) } RETURN t.id AS out\n",
     [(4, "portability: EXISTS { }")]),
    ("precedence.cypher", "// name: precedence\n// description: x\n// param: k: text — x\n// columns: out\n"
     "MATCH (a:Agency) WHERE a.id ENDS WITH '@' + $k_key RETURN a.id AS out\n",
     [(5, "tighter than arithmetic")]),
    ("path.cypher", "// name: path\n// description: x\n// columns: out\n"
     "MATCH (a:Agency)-[:HAS_SECTION]->(s:Section) RETURN s.id AS out\n", [(4, "HAS_SECTION")]),
]


def test_linter_catches_bad_queries(linter, tmp_path):
    (tmp_path / "good.cypher").write_text(GOOD, encoding="utf-8")
    for name, text, _ in BAD:
        (tmp_path / name).write_text(text, encoding="utf-8")
    res = linter(str(tmp_path))
    assert res.returncode == 1, res.stdout + res.stderr
    lines = res.stdout.splitlines()
    assert not [ln for ln in lines if "good.cypher" in ln], res.stdout
    for name, _, expected in BAD:
        mine = [ln for ln in lines if f"{name}:" in ln]
        assert mine, f"{name}: nothing reported\n{res.stdout}"
        for line, fragment in expected:
            assert any(ln.split(":")[1] == str(line) and fragment in ln for ln in mine), (
                f"{name}: expected line {line} to report {fragment!r}\n" + "\n".join(mine))
        for ln in mine:  # file:line:col: severity: message
            _file, line_no, col, rest = ln.split(":", 3)
            assert line_no.isdigit() and col.isdigit() and rest.strip().split(":")[0] in ("error", "warning")


def test_good_query_alone_passes(linter, tmp_path):
    (tmp_path / "good.cypher").write_text(GOOD, encoding="utf-8")
    res = linter(str(tmp_path / "good.cypher"))
    assert res.returncode == 0, res.stdout + res.stderr


def test_schema_json_argument(linter, tmp_path):
    """`--schema FILE.json` replaces graph/schema.yaml: a label it lacks becomes a warning."""
    spec = yaml.safe_load((ROOT / "graph" / "schema.yaml").read_text(encoding="utf-8"))
    props = sorted({p for body in [*spec["nodes"].values(), *spec["relationships"].values()]
                    for p in body.get("properties") or []})
    labels = sorted(set(spec["nodes"]) - {"Task"})
    schema = {"labels": labels, "relationshipTypes": sorted(spec["relationships"]), "propertyKeys": props}
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "good.cypher").write_text(GOOD, encoding="utf-8")
    res = linter("--schema", str(schema_file), str(tmp_path / "good.cypher"))
    assert res.returncode == 1 and "Label Task is not present" in res.stdout, res.stdout + res.stderr
    schema["labels"].append("Task")
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    res = linter("--schema", str(schema_file), str(tmp_path / "good.cypher"))
    assert res.returncode == 0, res.stdout + res.stderr
