"""The embedded FalkorDB store on a real server: contract, persistence, sharing, recovery."""
from __future__ import annotations

import pytest

from graph.build import build_batch, catalog_batch
from graph.falkor_store import FalkorStore
from graph.store import open_store
from graph_samples import SampleCatalog, sample_document
from store_contract import DOC, StoreContract, snapshot


@pytest.fixture
def store(falkor_store):
    return falkor_store


class TestFalkorContract(StoreContract):
    pass


def test_schema_indexes_and_constraints(falkor_store):
    falkor_store.ensure_schema()   # idempotent
    rows = falkor_store.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
    indexed = {(r["label"], p) for r in rows for p in r["properties"]}
    assert ("Section", "id") in indexed and ("Section", "doc_id") in indexed and ("Agency", "jurisdiction_key") in indexed


def test_no_staging_leftovers(falkor_store):
    falkor_store.replace_document(build_batch(sample_document()))
    falkor_store.replace_document(build_batch(sample_document()))
    assert falkor_store.run("MATCH (n) WHERE n.id STARTS WITH '~' OR n._id IS NOT NULL RETURN count(n) AS c")[0]["c"] == 0
    assert list(falkor_store.r.scan_iter(match="plangraph:*")) == []


def test_data_persists_between_processes_and_server_is_shared(tmp_path):
    home = tmp_path / "home"
    with open_store("embedded", home=home) as first:
        assert first.started_server
        first.ensure_schema()
        first.write_shared(catalog_batch(SampleCatalog()))
        first.replace_document(build_batch(sample_document(), SampleCatalog()))
        expected = snapshot(first)
        with open_store("embedded", home=home) as second:     # e.g. the CLI while the API runs
            assert not second.started_server
            assert second.document_ids() == [DOC]
        assert first.server.alive()                        # the second did not stop it
    assert (home / "falkordb" / "graph.rdb").exists()
    with open_store("embedded", home=home) as again:          # a later command: new server, same data
        assert again.started_server
        assert snapshot(again) == expected
    assert not again.server.alive()


class _CrashAfterCommit(FalkorStore):
    """Fault injection: the process 'dies' right after the commit point."""

    def _finish(self, doc_id, gen):
        raise KeyboardInterrupt


def test_interrupted_commit_is_rolled_forward(tmp_path):
    home = tmp_path / "home"
    with FalkorStore(home, keep_running=True) as s:
        s.ensure_schema()
        s.replace_document(build_batch(sample_document(), SampleCatalog()))
        expected = snapshot(s)
    crashing = _CrashAfterCommit(home, keep_running=True)
    with pytest.raises(KeyboardInterrupt):
        crashing.replace_document(build_batch(sample_document(), SampleCatalog()))
    crashing.r.close()
    with FalkorStore(home) as s:       # opening recovers
        assert snapshot(s) == expected
        assert list(s.r.scan_iter(match="plangraph:*")) == []
        s.stop()


def test_unloadable_database_file_gives_a_clear_error(tmp_path):
    """A database file the engine cannot load (here: truncated) is named, with the way out."""
    from graph.store import StoreError

    home = tmp_path / "home"
    with open_store("embedded", home=home) as first:
        first.ensure_schema()
        first.replace_document(build_batch(sample_document(), SampleCatalog()))
    rdb = home / "falkordb" / "graph.rdb"
    data = rdb.read_bytes()
    rdb.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError) as err:
        open_store("embedded", home=home)
    assert str(rdb) in str(err.value) and "ingest the plans again" in str(err.value)
