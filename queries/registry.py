"""Named, parameterised Cypher queries: one `queries/<name>.cypher` file per question.

Each file starts with a header of `//` comments that this module parses::

    // name: tasks-led-by
    // description: Tasks an agency leads ...
    //   (an indented comment line continues the previous entry)
    // param: agency: text — English abbreviation (DIC), Vietnamese name or key
    // param: jurisdiction: text = null — optional province/district
    // param: limit: int = 50 — maximum number of rows
    // columns: doc_id, path, title

Parameter types are `text`, `int`, `float` and `bool`; a parameter without `= default`
is required. Every `text` parameter gets two companions computed here so the Cypher can
match with or without diacritics: `<name>_folded` (`loaders.text.fold`) and `<name>_key`
(`loaders.text.slug`), both None when the value is None.

The Cypher is written in the common core of Neo4j 5 and FalkorDB (see docs/CONTRACTS.md):
no EXISTS {}/COUNT {} subqueries, no elementId()/id(), no APOC.
"""
from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

from loaders.text import fold, slug

QUERIES_DIR = Path(__file__).resolve().parent

ParamType = Literal["text", "int", "float", "bool"]
PARAM_TYPES: tuple[str, ...] = ("text", "int", "float", "bool")
COMPANION_SUFFIXES: tuple[str, ...] = ("_folded", "_key")

_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_HEADER_RE = re.compile(r"^//\s?(?P<key>name|description|param|columns)\s*:\s*(?P<value>.*)$")
_PARAM_RE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[A-Za-z]+)"
    r"(?:\s*=\s*(?P<default>.*?))?"
    r"(?:\s+(?:—|–|--|-)\s+(?P<doc>.*))?\s*$"
)
_PARAM_USE_RE = re.compile(r"\$(?P<name>[A-Za-z_][A-Za-z0-9_]*)")
_STRING_LITERAL_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


class QueryError(ValueError):
    """A query file is malformed, a query is unknown, or a parameter is invalid."""


class Store(Protocol):
    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: ParamType
    default: Any = None
    required: bool = True
    doc: str = ""

    def coerce(self, value: Any, query: str) -> Any:
        """Validate and convert one value; raises QueryError naming the parameter."""
        if value is None or (isinstance(value, str) and not value.strip() and self.type != "text"):
            return self._missing(query)
        try:
            if self.type == "text":
                if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                    raise TypeError(f"expected text, got {type(value).__name__}")
                text = str(value).strip()
                if not text:
                    return self._missing(query)
                return text
            if self.type == "int":
                if isinstance(value, bool):
                    raise TypeError("expected an integer, got a boolean")
                if isinstance(value, int):
                    return value
                if isinstance(value, float):
                    if not value.is_integer():
                        raise ValueError(f"expected an integer, got {value!r}")
                    return int(value)
                if isinstance(value, str):
                    return int(value.strip())
                raise TypeError(f"expected an integer, got {type(value).__name__}")
            if self.type == "float":
                if isinstance(value, bool):
                    raise TypeError("expected a number, got a boolean")
                if isinstance(value, (int, float)):
                    number = float(value)
                elif isinstance(value, str):
                    number = float(value.strip().replace(",", "."))
                else:
                    raise TypeError(f"expected a number, got {type(value).__name__}")
                if not math.isfinite(number):
                    raise ValueError(f"expected a finite number, got {value!r}")
                return number
            # bool
            if isinstance(value, bool):
                return value
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            if isinstance(value, str):
                lowered = value.strip().lower()
                if lowered in ("true", "1", "yes", "y", "on"):
                    return True
                if lowered in ("false", "0", "no", "n", "off"):
                    return False
            raise ValueError(f"expected true or false, got {value!r}")
        except (TypeError, ValueError) as exc:
            raise QueryError(f"query {query!r}: parameter {self.name!r} ({self.type}): {exc}") from None

    def _missing(self, query: str) -> Any:
        if self.required:
            raise QueryError(f"query {query!r}: parameter {self.name!r} ({self.type}) is required")
        return self.default


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    description: str
    params: list[Param]
    columns: list[str]
    cypher: str
    file: Path
    header_lines: int = field(default=0, compare=False)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def bind(self, params: dict[str, Any] | None) -> dict[str, Any]:
        """Validated, coerced parameters with defaults and text companions."""
        given = dict(params or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            expected = ", ".join(p.name for p in self.params) or "none"
            raise QueryError(
                f"query {self.name!r}: unknown parameter {unknown[0]!r} (expected: {expected})"
            )
        bound: dict[str, Any] = {}
        for p in self.params:
            value = p.coerce(given.get(p.name), self.name)
            bound[p.name] = value
            if p.type == "text":
                bound[f"{p.name}_folded"] = None if value is None else fold(value)
                bound[f"{p.name}_key"] = None if value is None else slug(value)
        return bound

    def parameter_names(self) -> set[str]:
        """Every name the Cypher may use: declared parameters and text companions."""
        names: set[str] = set()
        for p in self.params:
            names.add(p.name)
            if p.type == "text":
                names.update(p.name + s for s in COMPANION_SUFFIXES)
        return names

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "required": p.required, "doc": p.doc}
                for p in self.params
            ],
            "columns": list(self.columns),
            "file": self.file.name,
        }


def _parse_default(raw: str, type_: str, where: str) -> Any:
    raw = raw.strip()
    if raw.lower() in ("null", "none", ""):
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        raw = raw[1:-1]
        if type_ == "text":
            return raw
    try:
        return Param("default", type_, required=True).coerce(raw, where)  # type: ignore[arg-type]
    except QueryError as exc:
        raise QueryError(f"{where}: bad default {raw!r}: {exc}") from None


def _used_params(cypher: str) -> set[str]:
    code = "\n".join(line for line in cypher.splitlines() if not line.lstrip().startswith("//"))
    return {m.group("name") for m in _PARAM_USE_RE.finditer(_STRING_LITERAL_RE.sub("''", code))}


def parse_query_file(path: Path) -> Query:
    """Parse one `.cypher` file; raises QueryError on a malformed header."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    entries: list[list[str]] = []  # [key, value]
    header_end = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            header_end = i + 1
            continue
        if not stripped.startswith("//"):
            break
        header_end = i + 1
        m = _HEADER_RE.match(stripped)
        if m:
            entries.append([m.group("key"), m.group("value").strip()])
        elif entries and stripped[2:].strip():
            entries[-1][1] = f"{entries[-1][1]} {stripped[2:].strip()}".strip()

    where = path.name
    names = [v for k, v in entries if k == "name"]
    if len(names) != 1:
        raise QueryError(f"{where}: exactly one '// name:' line is required")
    name = names[0]
    if not _NAME_RE.match(name):
        raise QueryError(f"{where}: query name {name!r} must be lowercase words joined by '-'")
    if name != path.stem:
        raise QueryError(f"{where}: query name {name!r} differs from the file name")
    description = " ".join(v for k, v in entries if k == "description").strip()
    if not description:
        raise QueryError(f"{where}: '// description:' is required")
    columns = [c.strip() for k, v in entries if k == "columns" for c in v.split(",") if c.strip()]
    if not columns:
        raise QueryError(f"{where}: '// columns:' is required")

    params: list[Param] = []
    for key, value in entries:
        if key != "param":
            continue
        m = _PARAM_RE.match(value)
        if not m:
            raise QueryError(f"{where}: cannot read parameter line {value!r} (want 'name: type [= default] — doc')")
        pname, ptype = m.group("name"), m.group("type").lower()
        if ptype not in PARAM_TYPES:
            raise QueryError(f"{where}: parameter {pname!r} has unknown type {ptype!r} (use {', '.join(PARAM_TYPES)})")
        if any(p.name == pname for p in params):
            raise QueryError(f"{where}: parameter {pname!r} is declared twice")
        has_default = m.group("default") is not None
        default = _parse_default(m.group("default"), ptype, f"{where}: parameter {pname!r}") if has_default else None
        params.append(Param(pname, ptype, default, not has_default, (m.group("doc") or "").strip()))  # type: ignore[arg-type]

    body_lines = [line for line in lines[header_end:] if not line.lstrip().startswith("//")]
    cypher = "\n".join(body_lines).strip()
    if not cypher:
        raise QueryError(f"{where}: no Cypher after the header")
    query = Query(name, description, params, columns, cypher, path, header_end)

    used = _used_params(cypher)
    undeclared = sorted(used - query.parameter_names())
    if undeclared:
        raise QueryError(f"{where}: parameter ${undeclared[0]} is used but not declared")
    for p in params:
        if not ({p.name} | {p.name + s for s in COMPANION_SUFFIXES}) & used:
            raise QueryError(f"{where}: parameter {p.name!r} is declared but never used")
    return query


@lru_cache(maxsize=8)
def _load(directory: str) -> dict[str, Query]:
    queries: dict[str, Query] = {}
    for path in sorted(Path(directory).glob("*.cypher")):
        query = parse_query_file(path)
        queries[query.name] = query
    return queries


def load_queries(directory: Path | str | None = None) -> dict[str, Query]:
    """All named queries of `directory` (default: this package), by name."""
    return dict(_load(str(Path(directory or QUERIES_DIR).resolve())))


def get_query(name: str, directory: Path | str | None = None) -> Query:
    queries = load_queries(directory)
    if name not in queries:
        raise QueryError(f"unknown query {name!r} (available: {', '.join(sorted(queries))})")
    return queries[name]


def run_query(store: Store, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a named query on a GraphStore; rows are dicts keyed by the declared columns."""
    query = get_query(name)
    rows = store.run(query.cypher, query.bind(params))
    return [{c: row.get(c) for c in query.columns} | {k: v for k, v in row.items() if k not in query.columns}
            for row in rows]


def main(argv: list[str] | None = None) -> int:
    """`python -m queries.registry [list|show NAME|json]`: inspect the registry."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "list"
    queries = load_queries()
    if command == "list":
        for q in queries.values():
            params = ", ".join(f"{p.name}:{p.type}" + ("" if p.required else f"={p.default}") for p in q.params)
            print(f"{q.name}({params})\n    {q.description}")
    elif command == "show" and len(args) == 2:
        print(get_query(args[1]).cypher)
    elif command == "json":
        print(json.dumps([q.to_dict() for q in queries.values()], ensure_ascii=False, indent=2))
    else:
        print("usage: python -m queries.registry [list | show NAME | json]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
