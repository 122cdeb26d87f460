"""Flat tables: CSV and Parquet, one per contract table plus mentions.

The rows are the export records of store/export.py (the same ones the JSON Lines files and
the HTTP API carry), so every format agrees; a nested field (a list, an object) becomes a JSON
string in its column. `mentions` is a flat table of its own, its entity mapped to the
canonical one.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, select

from .. import schema as S
from ..export import StreamedList, csv_header, iter_streamed, json_text, record_pieces
from ...errors import UsageError
from ._sql import CHUNK, own_and_canonical, streamed

# A chunk also ends once it holds this many characters: articles can be long.
CHUNK_CHARS = 1 << 20

TABLES = ("documents", "entities", "events", "claims", "quotes", "mentions")
PYARROW_MISSING = "Parquet export needs pyarrow, which is not installed: run `pip install pyarrow` (or `pip install 'newsgraph[parquet]'`)"


def iter_mentions(conn) -> Iterator[dict]:
    """Each mention with its canonical entity (`entity`) and the entity of its own key (`own_entity`)."""
    own, canon, cid = own_and_canonical()
    M = S.mentions
    stmt = (
        select(M, cid.label("canonical_id"), canon.c.type.label("entity_type"), canon.c.name.label("entity_name"))
        .select_from(M.join(own, own.c.id == M.c.entity).join(canon, canon.c.id == cid))
        .order_by(M.c.doc, M.c.start, M.c.end)
    )
    for r in streamed(conn, stmt):
        yield {
            "doc": r.doc,
            "start": r.start,
            "end": r.end,
            "text": r.text,
            "entity": r.canonical_id,
            "entity_type": r.entity_type,
            "entity_name": r.entity_name,
            "own_entity": r.entity,
            "label": r.label,
            "sentence_start": r.sentence_start,
            "sentence_end": r.sentence_end,
            "link_reason": r.link_reason,
            "label_reason": r.label_reason,
        }


def check_table(name: str) -> str:
    if name not in TABLES:
        raise UsageError(f"no table {name!r} to export; choose one of {', '.join(TABLES)}")
    return name


def iter_rows(conn, name: str) -> Iterator[dict]:
    """The records of table `name`, streamed; an entity's mentions come as a StreamedList, to
    be read before the next record is asked for."""
    check_table(name)
    # Every query on this connection fetches CHUNK rows at a time (server-side cursors on
    # PostgreSQL), the contract iterators' included.
    conn = conn.execution_options(yield_per=CHUNK)
    return iter_mentions(conn) if name == "mentions" else iter_streamed(conn, name)


def csv_chunks(engine: Engine, name: str, stats: dict | None = None) -> Iterator[str]:
    """Table `name` as CSV text: a header, then chunks of CHUNK rows or about 1 MB; an empty
    table is an empty file. A row longer than that (an entity's mentions) comes in 1 MB pieces."""
    check_table(name)
    buf = io.StringIO()
    fields = None
    n = 0
    with engine.connect() as conn:
        for rec in iter_rows(conn, name):
            if fields is None:
                fields = list(rec)
                buf.write(csv_header(fields))
            for _, text in record_pieces(rec, as_json=False, csv_fields=fields):
                buf.write(text)
                if buf.tell() >= CHUNK_CHARS:
                    yield buf.getvalue()
                    buf.seek(0)
                    buf.truncate()
            n += 1
            if n % CHUNK == 0 and buf.tell():
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
            if n % CHUNK == 0 or buf.tell() >= CHUNK_CHARS:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
    yield buf.getvalue()
    if stats is not None:
        stats["rows"] = n


def parquet_available() -> bool:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def _column_kinds(engine: Engine, name: str) -> dict[str, str]:
    """First pass: each column's kind (bool, int, float, str, json) over the whole table.

    Parquet needs the schema before the first row group, and a column can be null for
    thousands of rows before its first value, so the kinds are read in a pass of their own.
    """
    kinds: dict[str, str | None] = {}
    with engine.connect() as conn:
        for rec in iter_rows(conn, name):
            for k, v in rec.items():
                kinds[k] = _merge(kinds.get(k), _kind(v))
    return {k: (v or "str") for k, v in kinds.items()}


def _kind(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, (dict, list, StreamedList)):  # a StreamedList is left unread here
        return "json"
    return "str"


def _merge(a: str | None, b: str | None) -> str | None:
    if a is None or a == b:
        return b if a is None else a
    if b is None:
        return a
    if {a, b} == {"int", "float"}:
        return "float"
    return "json"  # mixed kinds: keep every value exactly, as JSON


def write_parquet(engine: Engine, name: str, dest: str | Path | IO[bytes]) -> int:
    """Write table `name` as Parquet to `dest` (a path or a binary file); return the row count.

    Columns are flat and typed; a nested or mixed column holds JSON strings and is listed in
    the file's key-value metadata under `newsgraph.json_columns`. Written in row groups of
    at most CHUNK rows (fewer when their text passes 2 MB), so memory does not grow with the
    table; a single cell is held whole (an entity's mentions: see docs/quality.md).
    """
    check_table(name)
    if not parquet_available():
        raise UsageError(PYARROW_MISSING)
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = _column_kinds(engine, name)
    arrow = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "str": pa.string(), "json": pa.string()}
    json_columns = [k for k, kind in kinds.items() if kind == "json"]
    schema = pa.schema([(k, arrow[kind]) for k, kind in kinds.items()]).with_metadata(
        {"newsgraph.table": name, "newsgraph.json_columns": json.dumps(json_columns)}
    )

    def convert(k, v):
        if v is None:
            return None
        if kinds[k] == "json":
            # A Parquet cell is one value: an entity's mentions are held as one JSON text
            # while its row is written (the bound docs/quality.md "Export memory" states).
            return json_text(v)
        if kinds[k] == "float":
            return float(v)
        return v

    # The system allocator gives a row group's buffers back once written; pyarrow's default
    # (mimalloc) keeps them, so its peak grew with the base (docs/quality.md "Export memory").
    pool = pa.system_memory_pool()

    def table(rows: list[dict]):
        return pa.Table.from_arrays([pa.array([r[f.name] for r in rows], type=f.type, memory_pool=pool) for f in schema], schema=schema)

    n = 0
    with pq.ParquetWriter(dest, schema, memory_pool=pool) as writer, engine.connect() as conn:
        batch: list[dict] = []
        chars = 0
        for rec in iter_rows(conn, name):
            row = {k: convert(k, rec.get(k)) for k in kinds}
            batch.append(row)
            chars += sum(len(v) for v in row.values() if isinstance(v, str))
            if len(batch) == CHUNK or chars >= 2 * CHUNK_CHARS:
                writer.write_table(table(batch))
                n += len(batch)
                batch, chars = [], 0
        if batch or n == 0:
            writer.write_table(table(batch))
            n += len(batch)
    return n


def read_parquet_rows(path: str | Path) -> list[dict]:
    """Rows of a Parquet file written by `write_parquet`, JSON columns decoded (for checks)."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    json_columns = set(json.loads((table.schema.metadata or {}).get(b"newsgraph.json_columns", b"[]")))
    return [{k: (json.loads(v) if k in json_columns and v is not None else v) for k, v in row.items()} for row in table.to_pylist()]
