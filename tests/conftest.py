"""Shared pytest fixtures. Keep each block small and independent.

- Isolation: every test session gets its own PLANGRAPH_HOME (never ~/.plangraph).
- Graph stores: `falkor_store` (one embedded FalkorDB per session, cleared per test).
- Documents: `make_doc` builds a small hand-made ParsedDocument (no parser needed).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# --- isolation -------------------------------------------------------------------------------

@pytest.fixture(scope="session", autouse=True)
def plangraph_home(tmp_path_factory):
    """A private PLANGRAPH_HOME for the whole session."""
    home = tmp_path_factory.mktemp("plangraph-home")
    old = os.environ.get("PLANGRAPH_HOME")
    os.environ["PLANGRAPH_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("PLANGRAPH_HOME", None)
    else:
        os.environ["PLANGRAPH_HOME"] = old


# --- graph stores ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def _falkor_session(plangraph_home):
    from graph.falkor_store import FalkorStore

    store = FalkorStore(plangraph_home / "falkor-tests", autosave_seconds=3600)
    store.ensure_schema()
    yield store
    store.stop()


@pytest.fixture
def falkor_store(_falkor_session):
    """The session's embedded FalkorDB store, emptied before each test."""
    _falkor_session.clear()
    return _falkor_session


# --- documents -------------------------------------------------------------------------------

@pytest.fixture
def make_doc():
    """Factory: make_doc(doc_id="1/KH-UBND@tien-giang-2024", jurisdiction="Tiền Giang") -> ParsedDocument."""
    from graph_samples import sample_document

    return sample_document
