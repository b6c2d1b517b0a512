"""The PlanGraph HTTP API: one router per resource, the analysts' page at `/`.

Run with `plangraph serve` or `uvicorn api.main:app`. The store is opened once when the
application starts (kind from PLANGRAPH_STORE, see api/deps.py) and closed at shutdown.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

import logging

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api.deps import SerialStore, Store, StoreSettings, open_store
from api.routers import agencies, audit, documents, maps, queries, tasks

log = logging.getLogger("plangraph.api")

STATIC_DIR = Path(__file__).resolve().parent / "static"

DESCRIPTION = """
Vietnamese public-sector plans as a graph of responsibilities and cross-references.

* **documents** — the plans, their sections trees
* **agencies** — search with or without diacritics, each with its tasks
* **tasks** — filter by agency, role, document, jurisdiction; each with every agency and role
* **queries** — every named query of the registry as its own endpoint
* **maps** — interactive HTML maps of a document or of an agency
* **audit** — findings: broken/ambiguous/misdirected references, numbering, targets, responsibilities

Ids contain `/` and `#`: percent-encode them (`#` as `%23`).
"""


def _swagger_assets() -> str | None:
    """Swagger UI 5 files bundled by the fastapi-offline package (we use only its files)."""
    try:
        import fastapi_offline
    except ImportError:          # fall back to FastAPI's default /docs (CDN assets)
        return None
    folder = Path(fastapi_offline.__file__).resolve().parent / "static"
    return str(folder) if (folder / "swagger-ui-bundle.js").is_file() else None


def create_app(store: Any | None = None, settings: StoreSettings | None = None) -> FastAPI:
    """`store`: an open GraphStore to use (the caller closes it); otherwise one is opened
    from `settings` (default: the environment) for the app's lifespan."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            app.state.store = SerialStore(store)
            yield
            return
        opened = SerialStore(open_store(settings or StoreSettings.from_env()))
        app.state.store = opened
        try:
            yield
        finally:
            opened.close()

    assets = _swagger_assets()
    app = FastAPI(title="PlanGraph", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None if assets else "/docs", redoc_url=None)
    if assets:
        # Swagger UI served from the app itself: /docs works offline too.
        app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

        @app.get("/docs", include_in_schema=False)
        def swagger_ui() -> HTMLResponse:
            return get_swagger_ui_html(
                openapi_url=app.openapi_url or "/openapi.json", title="PlanGraph API",
                swagger_js_url="docs-assets/swagger-ui-bundle.js", swagger_css_url="docs-assets/swagger-ui.css",
                swagger_favicon_url="docs-assets/favicon.png")
    app.include_router(documents.router)
    app.include_router(agencies.router)
    app.include_router(tasks.router)
    app.include_router(queries.build_router())
    app.include_router(maps.router)
    app.include_router(audit.router)

    @app.exception_handler(Exception)
    async def store_failure(request: Request, exc: Exception) -> JSONResponse:
        # A failing query or a lost store connection: a JSON body instead of a bare 500 text.
        log.exception("request failed: %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": f"internal error: {type(exc).__name__}: {exc}"})

    @app.get("/health", tags=["meta"], summary="Liveness and what the store holds")
    def health(s: Store) -> dict[str, Any]:
        return {"status": "ok", "documents": len(s.document_ids())}

    # Last: the page catches every path the routers did not.
    app.mount("/", StaticFiles(directory=STATIC_DIR, html=True), name="ui")
    return app


app = create_app()
