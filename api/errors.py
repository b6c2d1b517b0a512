"""HTTP errors of the API, with the response documentation FastAPI puts in OpenAPI."""
from __future__ import annotations

from typing import Any

from fastapi import HTTPException, status
from pydantic import BaseModel


class ErrorBody(BaseModel):
    """What every error response carries (FastAPI's HTTPException shape)."""

    detail: str


class ValidationErrorBody(BaseModel):
    """A bad parameter: a plain message, or FastAPI's list of validation errors."""

    detail: str | list[dict[str, Any]]


def not_found(kind: str, key: str) -> HTTPException:
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"unknown {kind}: {key}")


def bad_parameter(message: str) -> HTTPException:
    return HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=message)


def responses(*kinds: str, bad_param: bool = False) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: 404 for each unknown kind, 422 for bad parameters."""
    out: dict[int | str, dict[str, Any]] = {}
    if kinds:
        out[404] = {"model": ErrorBody, "description": "Unknown " + " or ".join(kinds)}
    if bad_param:
        out[422] = {"model": ValidationErrorBody, "description": "Bad parameter"}
    return out
