"""`plangraph` command line: ingest, query, audit, export, viz, serve.

Global options (before the command) choose the store:
``plangraph --store embedded --home ./graph-home ingest data/plans``,
``plangraph --store neo4j --neo4j-uri bolt://... query tasks-led-by --param agency=DIC``.
Each also reads its environment variable (PLANGRAPH_STORE, PLANGRAPH_HOME, NEO4J_URI,
NEO4J_USER, NEO4J_PASSWORD).

Exit codes: 0 success; 1 a command failed (unknown query or document, bad parameter,
store error), or `ingest` loaded no file at all (every file failed, or none found);
`ingest --strict` also exits 1 when any single file failed. A partially failed ingest
exits 0 by default because the good files are loaded and each bad one is reported.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.deps import StoreSettings

app = typer.Typer(
    name="plangraph",
    help="Vietnamese public-sector plans as a graph of responsibilities and cross-references.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
viz_app = typer.Typer(help="Write an interactive HTML map (self-contained, works offline).", no_args_is_help=True)
app.add_typer(viz_app, name="viz")

console = Console()
err = Console(stderr=True)


class StoreKind(str, Enum):
    embedded = "embedded"
    neo4j = "neo4j"


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    json = "json"
    graphml = "graphml"


# --------------------------------------------------------------------------- store
def _settings(ctx: typer.Context) -> StoreSettings:
    return ctx.find_root().obj or StoreSettings.from_env()


@contextmanager
def _store(ctx: typer.Context) -> Iterator[Any]:
    from api.deps import open_store

    settings = _settings(ctx)
    try:
        store = open_store(settings)
    except Exception as exc:  # a clear line, not a traceback
        where = settings.home or settings.uri or "default location"
        _fail(f"cannot open the {settings.kind} store ({where}): {exc}")
    try:
        yield store
    finally:
        store.close()


def _emit(text: str, output: Path, what: str) -> None:
    """Write a report to stdout ('-') or to a file, saying what was written."""
    if str(output) == "-":
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote {output} ({what})", highlight=False)


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[StoreKind, typer.Option("--store", envvar="PLANGRAPH_STORE",
                                             help="Graph store: embedded FalkorDB or a Neo4j server.")] = StoreKind.embedded,
    home: Annotated[Optional[Path], typer.Option("--home", envvar="PLANGRAPH_HOME",
                                                 help="Folder of the embedded store.")] = None,
    neo4j_uri: Annotated[Optional[str], typer.Option("--neo4j-uri", envvar="NEO4J_URI")] = None,
    neo4j_user: Annotated[Optional[str], typer.Option("--neo4j-user", envvar="NEO4J_USER")] = None,
    neo4j_password: Annotated[Optional[str], typer.Option("--neo4j-password", envvar="NEO4J_PASSWORD",
                                                          show_default=False)] = None,
) -> None:
    """Vietnamese public-sector plans as a graph of responsibilities and cross-references."""
    ctx.obj = StoreSettings(kind=store.value, home=str(home) if home else None,
                            uri=neo4j_uri, user=neo4j_user, password=neo4j_password)


# --------------------------------------------------------------------------- ingest
@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of plans (.txt, .docx, .pdf, .html).",
                                                 exists=True, show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any file fails (default: only when all do).")] = False,
) -> None:
    """Load plans into the graph (re-ingesting a document replaces it)."""
    from graph.ingest import expand_paths, ingest_paths

    progress = Progress(TextColumn("[bold blue]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("{task.fields[current]}"), console=err, transient=False)
    with _store(ctx) as store, progress:
        task = progress.add_task("ingesting", total=len(expand_paths(paths)) or None, current="")

        def on_progress(done: int, total: int, path: str) -> None:
            progress.update(task, completed=done, total=total, current=Path(path).name)

        summary = ingest_paths(paths, store, on_progress=on_progress)
        progress.update(task, current="done")

    rows, failures = summary.rows, summary.failures
    table = Table(title=f"Ingested {len(rows)} of {len(rows) + len(failures)} file(s) in {summary.seconds:.1f}s")
    for col, just in (("file", "left"), ("doc_id", "left"), ("sections", "right"), ("refs ok", "right"),
                      ("broken", "right"), ("ambiguous", "right"), ("assignments", "right"),
                      ("targets", "right"), ("seconds", "right")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(Path(row.file).name, row.doc_id, str(row.sections), str(row.references_resolved),
                      str(row.references_broken), str(row.references_ambiguous), str(row.assignments),
                      str(row.targets), f"{row.seconds:.2f}")
    console.print(table)
    for failure in failures:
        where = f"{failure.file}:{failure.line}" if failure.line else failure.file
        err.print(f"[bold red]error:[/] {where}: {failure.reason}", highlight=False, soft_wrap=True)
    if not rows:
        _fail("no file was loaded" + (f" ({len(failures)} failed)" if failures else " (no input files found)"))
    if failures and strict:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- query
def _parse_params(items: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            _fail(f"--param wants key=value, got {item!r}")
        key, value = item.split("=", 1)
        params[key.strip()] = value
    return params


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _print_queries() -> None:
    from queries.registry import load_queries

    table = Table(title="Named queries", show_lines=True)
    table.add_column("name", style="bold")
    table.add_column("parameters")
    table.add_column("description")
    for q in load_queries().values():
        params = "\n".join(f"{p.name}: {p.type}" + (" (required)" if p.required else f" = {p.default}")
                           for p in q.params)
        table.add_row(q.name, params, q.description)
    console.print(table)


@app.command()
def query(
    ctx: typer.Context,
    name: Annotated[Optional[str], typer.Argument(help="Query name (see --list).", show_default=False)] = None,
    param: Annotated[list[str], typer.Option("--param", "-p", help="Parameter as key=value; repeat for more.")] = [],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    list_: Annotated[bool, typer.Option("--list", "-l", help="List the named queries and their parameters.")] = False,
) -> None:
    """Run a named query (queries/*.cypher) and print its rows."""
    from queries.registry import QueryError, load_queries, run_query

    if list_:
        _print_queries()
        return
    if not name:
        _fail("give a query name, or --list to see them")
    queries = load_queries()
    if name not in queries:
        _fail(f"unknown query {name!r} (available: {', '.join(sorted(queries))})")
    q = queries[name]
    params = _parse_params(param)
    with _store(ctx) as store:
        try:
            rows = run_query(store, name, params)
        except QueryError as exc:
            _fail(str(exc))
    columns = list(q.columns)
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(title=f"{name}: {len(rows)} row(s)")
        for c in columns:
            table.add_column(c, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        console.print(table)


# --------------------------------------------------------------------------- export
def _scalar(value: Any) -> Any:
    """GraphML attributes are scalars: lists/maps become JSON text, None is dropped."""
    if isinstance(value, (str, int, float, bool)):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    return json.dumps(value, ensure_ascii=False, default=str)


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="json (node-link) or graphml.")] = ExportFormat.json,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write ('-' for stdout).")] = Path("-"),
) -> None:
    """Export the whole graph."""
    import networkx as nx

    from graph.analysis import to_networkx

    with _store(ctx) as store:
        g = to_networkx(store)
    if fmt is ExportFormat.json:
        data = nx.node_link_data(g, edges="edges")
        text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    else:
        clean = nx.MultiDiGraph()
        for n, attrs in g.nodes(data=True):
            clean.add_node(str(n), **{k: _scalar(v) for k, v in attrs.items() if v is not None})
        for u, v, attrs in g.edges(data=True):
            clean.add_edge(str(u), str(v), **{k: _scalar(x) for k, x in attrs.items() if x is not None})
        buf = io.BytesIO()
        nx.write_graphml(clean, buf, encoding="utf-8")
        text = buf.getvalue().decode("utf-8")
    _emit(text, output, f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges")


# --------------------------------------------------------------------------- audit
def _catalog():
    from loaders.agencies import AgencyCatalog

    return AgencyCatalog.load()


class AuditFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    html = "html"
    json = "json"
    csv = "csv"


@app.command()
def audit(
    ctx: typer.Context,
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Plan files or folders; default: the documents already ingested into the store.",
        show_default=False)] = None,
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f", help="Output format.")] = AuditFormat.table,
    document: Annotated[Optional[list[str]], typer.Option("--document", "-d", help="Only these document ids.")] = None,
    kind: Annotated[Optional[list[str]], typer.Option("--kind", "-k",
                                                      help="Only these finding kinds (prefix, e.g. numbering).")] = None,
    agency: Annotated[Optional[str], typer.Option("--agency", "-a", help="Only findings about this agency.")] = None,
    min_severity: Annotated[str, typer.Option("--min-severity", help="info, warning or error.")] = "info",
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write ('-' for stdout).")] = Path("-"),
) -> None:
    """Broken, ambiguous and misdirected references, numbering faults, conflicting targets,
    targets below the national programme, legal-basis inconsistencies and responsibility gaps."""
    from graph.audit.corpus import audit_files, stored_sources
    from graph.audit.report import filter_findings, render_table, summary, to_csv, to_html, to_json, to_markdown

    if not paths:
        with _store(ctx) as store:
            sources = stored_sources(store)
        if not sources:
            _fail("nothing to audit: give plan files or folders, or ingest some first")
        paths = [Path(s) for s in sources]
    result = audit_files(paths)
    for file, line, reason in result.failures:
        err.print(f"error: {file}{':' + str(line) if line else ''}: {reason}", highlight=False, markup=False)
    try:
        findings = filter_findings(result.findings, document=document, kind=kind, agency=agency,
                                   min_severity=min_severity, catalog=_catalog())
    except ValueError as exc:
        _fail(str(exc))
    if fmt is AuditFormat.table and str(output) == "-":
        render_table(findings, console)
        counts = summary(findings)
        err.print(f"{len(findings)} findings in {len(result.documents)} documents: "
                  + ", ".join(f"{n} {k}" for k, n in counts.items()), highlight=False)
        return
    render = {AuditFormat.markdown: to_markdown, AuditFormat.html: to_html, AuditFormat.json: to_json,
              AuditFormat.csv: to_csv, AuditFormat.table: to_markdown}[fmt]
    text = render(findings)
    _emit(text, output, f"{len(findings)} findings")


# --------------------------------------------------------------------------- viz
def _write_map(ctx: typer.Context, kind: str, key: str, output: Path) -> None:
    from viz.maps import MapNotFound, agency_map, document_map, write_map

    with _store(ctx) as store:
        try:
            html = document_map(store, key) if kind == "document" else agency_map(store, key)
        except MapNotFound as exc:
            _fail(str(exc))
    write_map(html, output)
    err.print(f"wrote {output}", highlight=False)


@viz_app.command("document")
def viz_document(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="Document id, e.g. 119/KH-UBND@quang-ngai-2020.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("map.html"),
) -> None:
    """Map of one document: sections, tasks, agencies, references (broken ones in red)."""
    _write_map(ctx, "document", doc_id, output)


@viz_app.command("agency")
def viz_agency(
    ctx: typer.Context,
    agency: Annotated[str, typer.Argument(help="Agency id (dic@tien-giang), type or abbreviation (DIC), or name.",
                                          show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("map.html"),
) -> None:
    """Map of an agency's responsibilities across documents."""
    _write_map(ctx, "agency", agency, output)


# --------------------------------------------------------------------------- serve
@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Run the HTTP API and the analysts' page (http://HOST:PORT/, API docs at /docs)."""
    import uvicorn

    from api.main import create_app

    settings = _settings(ctx)
    # The environment carries the choice to anything the app imports lazily as well.
    os.environ["PLANGRAPH_STORE"] = settings.kind
    for var, value in (("PLANGRAPH_HOME", settings.home), ("NEO4J_URI", settings.uri),
                       ("NEO4J_USER", settings.user), ("NEO4J_PASSWORD", settings.password)):
        if value:
            os.environ[var] = value
    uvicorn.run(create_app(settings=settings), host=host, port=port)


if __name__ == "__main__":
    app()
