"""Bolt smoke test: the SAME Neo4jStore code against FalkorDB 4.18's Bolt listener.

FalkorDB 4.18.3 (falkordblite 0.10.0, the last release with Bolt) lives in its own venv,
tools/.venv-bolt, created by tools/bolt/setup.sh (`make test` runs it). This proves the
driver path connects, tolerates DDL the server rejects, writes a real batch in batched
UNWIND transactions and reads it back. It does not stand in for Neo4j semantics
(FalkorDB's Bolt rollback undoes nothing): tests/test_store_neo4j.py does, on real Neo4j.
"""
from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from graph.build import build_batch, catalog_batch
from graph.neo4j_store import Neo4jStore
from graph_samples import SampleCatalog, sample_document
from store_contract import DOC, counts

ROOT = Path(__file__).resolve().parent.parent
BOLT_VENV = ROOT / "tools" / ".venv-bolt"


def _binaries() -> tuple[Path, Path] | None:
    for site in sorted(BOLT_VENV.glob("lib/python3.*/site-packages/redislite/bin")):
        server, module = site / "redis-server", site / "falkordb.so"
        if server.exists() and module.exists():
            return server.resolve(), module.resolve()
    return None


def _free_port() -> int:
    """A free port below 32768: FalkorDB 4.18 silently ignores BOLT_PORT above 32767
    (measured here: 39697 never listens, 30001 does)."""
    import random

    for port in random.Random().sample(range(20000, 32768), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 20000-32767")


@pytest.fixture(scope="module")
def bolt_uri(tmp_path_factory):
    found = _binaries()
    if found is None:
        pytest.skip("tools/.venv-bolt absent: run tools/bolt/setup.sh (make test does) for the Bolt smoke test")
    server, module = found
    work = tmp_path_factory.mktemp("bolt")
    port = _free_port()
    proc = subprocess.Popen(
        [str(server), "--port", "0", "--bind", "127.0.0.1", "--unixsocket", str(work / "r.sock"),
         "--dir", str(work), "--save", "", "--appendonly", "no", "--logfile", str(work / "redis.log"),
         "--loadmodule", str(module), "BOLT_PORT", str(port)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"FalkorDB (Bolt) exited: {(work / 'redis.log').read_text()[-500:]}")
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("FalkorDB Bolt listener did not open")
    yield f"bolt://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def _bolt_safe_catalog() -> SampleCatalog:
    """FalkorDB 4.18's Bolt listener fails on string parameters holding an apostrophe
    (measured: `RETURN $v` with v="People's" -> Neo.DatabaseError.General.UnknownError, and the
    driver then waits ~60 s on the broken connection). Keep them out of the smoke data."""
    cat = SampleCatalog()
    for t in cat.types.values():
        t.name_en = (t.name_en or "").replace("'", "")
    return cat


def test_neo4j_store_over_bolt(bolt_uri):
    with Neo4jStore(bolt_uri, user="", password="") as store:
        agent = store.verify()
        assert agent.startswith("Neo4j/")               # FalkorDB reports itself as Neo4j/5.13.0
        store.ensure_schema()                            # must not raise
        assert store.real_neo4j is False and store.warnings
        store.write_shared(catalog_batch(_bolt_safe_catalog()))
        stats = store.replace_document(build_batch(sample_document(), _bolt_safe_catalog()))
        assert stats.nodes > 0 and stats.dropped_edges == 0
        assert store.document_ids() == [DOC]
        got = counts(store)
        assert got["Section"] == 8 and got["Section:Task"] == 1 and got["LEADS"] == 2 and got["REFERENCES"] == 4
        rows = store.run("MATCH (a:Agency {id: $a})-[r:LEADS]->(t:Section) RETURN a, r, t",
                         {"a": "dic@tien-giang"})
        assert rows[0]["r"]["type"] == "LEADS" and rows[0]["t"]["path"] == "II.1.a"
        assert rows[0]["a"]["name"] == "Sở Thông tin và Truyền thông"
        # Re-ingest keeps the same counts.
        store.replace_document(build_batch(sample_document(), _bolt_safe_catalog()))
        assert counts(store) == got
        assert store.delete_document(DOC) == 12
        assert store.document_ids() == []

