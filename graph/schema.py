"""The graph schema, loaded once from `graph/schema.yaml`, and everything generated from it.

- FalkorDB DDL: `CREATE INDEX FOR (n:L) ON (n.p)` for each key and index, then unique
  constraints (`GRAPH.CONSTRAINT CREATE <graph> UNIQUE NODE L PROPERTIES 1 id`, which
  need the exact-match index on the key first).
- Neo4j 5 DDL: `CREATE CONSTRAINT ... IF NOT EXISTS ... REQUIRE n.id IS UNIQUE` and
  `CREATE INDEX ... IF NOT EXISTS`.
- `docs/SCHEMA.md`: `python -m graph.schema docs` (add `--check` to fail when stale).
- The Cypher linter's schema: `python -m graph.schema lint-schema` prints
  `{labels, relationshipTypes, propertyKeys}` as JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SCHEMA_PATH = Path(__file__).with_name("schema.yaml")
DOCS_PATH = Path(__file__).resolve().parent.parent / "docs" / "SCHEMA.md"


@dataclass(frozen=True, slots=True)
class NodeSpec:
    label: str
    doc: str
    key: str
    properties: tuple[str, ...]
    indexes: tuple[str, ...]

    @property
    def owned(self) -> bool:
        """Nodes that belong to one document carry `doc_id` and are replaced with it."""
        return "doc_id" in self.properties

    @property
    def indexed(self) -> tuple[str, ...]:
        """Key first, then the declared indexes, without repeats."""
        return tuple(dict.fromkeys((self.key, *self.indexes)))


@dataclass(frozen=True, slots=True)
class RelSpec:
    type: str
    doc: str
    from_: tuple[str, ...]
    to: tuple[str, ...]
    properties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Schema:
    nodes: dict[str, NodeSpec]
    relationships: dict[str, RelSpec]

    @property
    def owned_labels(self) -> tuple[str, ...]:
        return tuple(label for label, spec in self.nodes.items() if spec.owned)

    @property
    def property_keys(self) -> list[str]:
        keys: set[str] = set()
        for n in self.nodes.values():
            keys.update(n.properties)
        for r in self.relationships.values():
            keys.update(r.properties)
        return sorted(keys)


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(value or ())


@lru_cache(maxsize=1)
def load_schema(path: str | None = None) -> Schema:
    """Parse schema.yaml once (cached)."""
    raw = yaml.safe_load(Path(path or SCHEMA_PATH).read_text(encoding="utf-8"))
    nodes = {
        label: NodeSpec(label, spec.get("doc", ""), spec.get("key", "id"), _tuple(spec.get("properties")),
                        _tuple(spec.get("indexes")))
        for label, spec in raw["nodes"].items()
    }
    rels = {
        rtype: RelSpec(rtype, spec.get("doc", ""), _tuple(spec.get("from")), _tuple(spec.get("to")),
                       _tuple(spec.get("properties")))
        for rtype, spec in raw["relationships"].items()
    }
    for spec in nodes.values():
        unknown = [p for p in spec.indexed if p not in spec.properties]
        if unknown:
            raise ValueError(f"schema.yaml: {spec.label} indexes unknown properties {unknown}")
    for spec in rels.values():
        for label in (*spec.from_, *spec.to):
            if label not in nodes:
                raise ValueError(f"schema.yaml: {spec.type} names unknown label {label}")
    return Schema(nodes, rels)


# --- DDL -----------------------------------------------------------------------------------


def falkor_index_statements() -> list[str]:
    """Exact-match (range) indexes for every key and declared index."""
    out = []
    for spec in load_schema().nodes.values():
        for prop in spec.indexed:
            out.append(f"CREATE INDEX FOR (n:{spec.label}) ON (n.{prop})")
    return out


def falkor_constraint_commands(graph: str) -> list[list[str | int]]:
    """Redis command argument lists for unique constraints on node keys."""
    return [["GRAPH.CONSTRAINT", "CREATE", graph, "UNIQUE", "NODE", spec.label, "PROPERTIES", 1, spec.key]
            for spec in load_schema().nodes.values()]


def neo4j_statements() -> list[str]:
    """Neo4j 5 DDL: a uniqueness constraint per key (it brings its own index), plus indexes."""
    out = []
    for spec in load_schema().nodes.values():
        low = spec.label.lower()
        out.append(f"CREATE CONSTRAINT {low}_{spec.key}_unique IF NOT EXISTS "
                   f"FOR (n:{spec.label}) REQUIRE n.{spec.key} IS UNIQUE")
        for prop in spec.indexes:
            if prop != spec.key:
                out.append(f"CREATE INDEX {low}_{prop} IF NOT EXISTS FOR (n:{spec.label}) ON (n.{prop})")
    return out


# --- linter schema and docs ------------------------------------------------------------------


def lint_schema() -> dict[str, list[str]]:
    schema = load_schema()
    return {
        "labels": list(schema.nodes),
        "relationshipTypes": list(schema.relationships),
        "propertyKeys": schema.property_keys,
    }


def render_docs() -> str:
    schema = load_schema()
    lines = [
        "# Graph schema",
        "",
        "<!-- Generated from graph/schema.yaml by `python -m graph.schema docs`. Do not edit. -->",
        "",
        "Every node carries `id` (unique per label). Nodes that belong to one document carry `doc_id`",
        "and are replaced when the document is re-ingested; the others (agencies, agency types, legal",
        "bases, indicators) are shared and only merged. Provenance: `start`/`end` are character",
        "offsets into the document's NFC text, `line` the 1-based line, `quote` the text (truncated).",
        "",
        "## Nodes",
        "",
        "| label | key | owned by a document | indexes | description |",
        "|---|---|---|---|---|",
    ]
    for spec in schema.nodes.values():
        idx = ", ".join(f"`{p}`" for p in spec.indexes) or "-"
        lines.append(f"| `{spec.label}` | `{spec.key}` | {'yes' if spec.owned else 'no (shared)'} | {idx} | {spec.doc} |")
    lines += ["", "### Node properties", ""]
    for spec in schema.nodes.values():
        lines.append(f"- **{spec.label}**: " + ", ".join(f"`{p}`" for p in spec.properties))
    lines += ["", "## Relationships", "", "| type | from | to | properties | description |", "|---|---|---|---|---|"]
    for spec in schema.relationships.values():
        props = ", ".join(f"`{p}`" for p in spec.properties) or "-"
        lines.append(f"| `{spec.type}` | {', '.join(spec.from_)} | {', '.join(spec.to)} | {props} | {spec.doc} |")
    lines += ["", "## Generated DDL", "", "### FalkorDB (embedded store)", "", "```"]
    lines += falkor_index_statements()
    lines += [" ".join(map(str, c)) for c in falkor_constraint_commands("<graph>")]
    lines += ["```", "", "### Neo4j 5", "", "```cypher"]
    lines += [s + ";" for s in neo4j_statements()]
    lines += ["```", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.schema", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("docs", help="write docs/SCHEMA.md")
    d.add_argument("--check", action="store_true", help="exit 1 when docs/SCHEMA.md is stale")
    d.add_argument("--out", default=str(DOCS_PATH))
    sub.add_parser("lint-schema", help="print the linter schema as JSON")
    ddl = sub.add_parser("ddl", help="print DDL for a store")
    ddl.add_argument("--store", choices=["falkordb", "neo4j"], default="neo4j")
    ddl.add_argument("--graph", default="plangraph")
    args = parser.parse_args(argv)
    if args.cmd == "docs":
        text = render_docs()
        out = Path(args.out)
        if args.check:
            current = out.read_text(encoding="utf-8") if out.exists() else ""
            if current != text:
                print(f"{out} is stale: run python -m graph.schema docs", file=sys.stderr)
                return 1
            return 0
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    elif args.cmd == "lint-schema":
        print(json.dumps(lint_schema(), ensure_ascii=False, indent=2))
    else:
        stmts = neo4j_statements() if args.store == "neo4j" else (
            falkor_index_statements() + [" ".join(map(str, c)) for c in falkor_constraint_commands(args.graph)])
        print("\n".join(stmts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
