"""Named queries: the registry (`queries/*.cypher`) as endpoints.

Every query gets its own route, `GET /queries/<name>`, with typed query parameters and a
response model generated from its header, so /docs shows each one properly. A generic
route takes any name and the parameters as they come (validated by the registry).
"""
from __future__ import annotations

import inspect
import re
from typing import Annotated, Any, Callable

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, create_model

from api.deps import Store
from api.errors import bad_parameter, not_found, responses
from api.models import QueryInfo, QueryParamInfo, QueryResult

PY_TYPES: dict[str, type] = {"text": str, "int": int, "float": float, "bool": bool}


def _registry():
    from queries import registry
    return registry


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def _run(store: Any, name: str, params: dict[str, Any]) -> QueryResult | dict[str, Any]:
    registry = _registry()
    queries = registry.load_queries()
    if name not in queries:
        raise not_found("query", name)
    query = queries[name]
    try:
        rows = registry.run_query(store, name, params)
    except registry.QueryError as exc:
        raise bad_parameter(str(exc)) from None
    shown = {k: v for k, v in params.items() if v is not None}
    return {"query": name, "params": shown, "columns": list(query.columns), "count": len(rows), "rows": rows}


def info(query: Any) -> QueryInfo:
    return QueryInfo(
        name=query.name, description=query.description, columns=list(query.columns), path=f"/queries/{query.name}",
        params=[QueryParamInfo(name=p.name, type=p.type, required=p.required, default=p.default, doc=p.doc or None)
                for p in query.params],
    )


def result_model(query: Any) -> type[BaseModel]:
    """`<Name>Row` with one field per declared column, and `<Name>Result` around it."""
    fields: dict[str, Any] = {}
    for i, column in enumerate(query.columns):
        fields[f"c{i}_{re.sub(r'[^A-Za-z0-9_]', '_', column)}"] = (Any, Field(None, alias=column))
    row = create_model(f"{_camel(query.name)}Row", __config__=ConfigDict(extra="allow", populate_by_name=True),
                       **fields)
    return create_model(
        f"{_camel(query.name)}Result", __base__=QueryResult,
        rows=(list[row], Field(description=f"one object per row with keys {', '.join(query.columns)}")),
    )


def endpoint_for(query: Any) -> Callable[..., Any]:
    """A route function whose signature declares the query's parameters with types."""
    names = {f"p_{p.name}": p.name for p in query.params}

    def endpoint(plangraph_store: Store, **kwargs: Any) -> Any:
        return _run(plangraph_store, query.name, {names[k]: v for k, v in kwargs.items() if k in names})

    sig = [inspect.Parameter("plangraph_store", inspect.Parameter.KEYWORD_ONLY, annotation=Store)]
    for p in query.params:
        py = PY_TYPES.get(p.type, str)
        doc = p.doc or None
        if p.required:
            annotation = Annotated[py, Query(alias=p.name, description=doc)]
            default = inspect.Parameter.empty
        else:
            annotation = Annotated[py | None, Query(alias=p.name, description=doc)]
            default = p.default
        sig.append(inspect.Parameter(f"p_{p.name}", inspect.Parameter.KEYWORD_ONLY,
                                     annotation=annotation, default=default))
    endpoint.__signature__ = inspect.Signature(sig)  # type: ignore[attr-defined]
    endpoint.__name__ = "query_" + re.sub(r"\W", "_", query.name)
    endpoint.__doc__ = query.description
    return endpoint


def build_router() -> APIRouter:
    router = APIRouter(prefix="/queries", tags=["queries"])
    registry = _registry()

    @router.get("", response_model=list[QueryInfo], summary="List the named queries")
    def list_queries() -> list[QueryInfo]:
        return [info(q) for q in registry.load_queries().values()]

    for query in registry.load_queries().values():
        router.add_api_route(
            f"/{query.name}", endpoint_for(query), methods=["GET"], response_model=result_model(query),
            summary=query.name, description=query.description, responses=responses(bad_param=True),
            operation_id=f"query_{query.name.replace('-', '_')}",
        )

    @router.get("/{name}", response_model=QueryResult, responses=responses("query", bad_param=True),
                summary="Run any named query (parameters as query string)")
    def run_named(name: str, request: Request, store: Store) -> Any:
        return _run(store, name, dict(request.query_params))

    @router.get("/{name}/info", response_model=QueryInfo, responses=responses("query"),
                summary="Description, parameters and columns of a named query")
    def query_info(name: str) -> QueryInfo:
        queries = registry.load_queries()
        if name not in queries:
            raise not_found("query", name)
        return info(queries[name])

    return router
