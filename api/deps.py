"""Dependencies: the graph store, opened once per application lifespan.

The store kind comes from `PLANGRAPH_STORE` (embedded|neo4j, default embedded), its
location from `PLANGRAPH_HOME` (embedded) or `NEO4J_URI` / `NEO4J_USER` /
`NEO4J_PASSWORD` (neo4j); `graph.store.open_store` reads those.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request


@dataclass(frozen=True)
class StoreSettings:
    kind: str = "embedded"
    home: str | None = None
    uri: str | None = None
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_env(cls) -> "StoreSettings":
        return cls(
            kind=os.environ.get("PLANGRAPH_STORE", "embedded") or "embedded",
            home=os.environ.get("PLANGRAPH_HOME") or None,
            uri=os.environ.get("NEO4J_URI") or None,
            user=os.environ.get("NEO4J_USER") or None,
            password=os.environ.get("NEO4J_PASSWORD") or None,
        )


def open_store(settings: StoreSettings):
    from graph.store import open_store as _open

    return _open(kind=settings.kind, home=settings.home, uri=settings.uri,
                 user=settings.user, password=settings.password)


class SerialStore:
    """The store behind a lock: FastAPI runs sync routes on a thread pool, and the
    embedded store is one connection; queries are short, so serialising is cheap."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._lock = threading.RLock()

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict]:
        with self._lock:
            return list(self._store.run(cypher, params or {}))

    def document_ids(self) -> list[str]:
        with self._lock:
            return list(self._store.document_ids())

    def close(self) -> None:
        with self._lock:
            self._store.close()

    def __getattr__(self, name: str) -> Any:   # anything else the store offers
        return getattr(self._store, name)

    @property
    def inner(self) -> Any:
        return self._store


def get_store(request: Request) -> SerialStore:
    return request.app.state.store


Store = Annotated[SerialStore, Depends(get_store)]
