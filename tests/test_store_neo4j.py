"""The store contract, parameterised over stores. Neo4j runs when NEO4J_URI is set
(e.g. `docker compose up -d neo4j`, NEO4J_URI=bolt://localhost:7687, NEO4J_PASSWORD=...)."""
from __future__ import annotations

import os

import pytest

from store_contract import StoreContract


@pytest.fixture(scope="module")
def _neo4j():
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI not set: no Neo4j server to test against (see docker-compose.yml)")
    from graph.store import open_store

    store = open_store("neo4j")
    yield store
    store.close()


@pytest.fixture(params=["falkordb", "neo4j"])
def store(request):
    s = request.getfixturevalue("falkor_store" if request.param == "falkordb" else "_neo4j")
    s.clear()
    return s


class TestStoreContract(StoreContract):
    pass
