"""Export formats beyond the contract's JSON Lines: GeoJSON, GraphML, GEXF, CSV and Parquet.

Every format streams from the database in chunks (nothing loads a whole table), shows
canonical entities only (an id maps through COALESCE(canonical, id)), and is served both by
`newsgraph export --format ...` and by the web UI's /download/ routes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import Engine

from ...errors import UsageError
from .. import export as contract
from ._sql import DEFAULT_NETWORK_TYPES, parse_types
from .geojson import events_geojson, places_geojson
from .network import gexf, graphml, network_edges
from .tables import PYARROW_MISSING, TABLES, csv_chunks, parquet_available, read_parquet_rows, write_parquet

FORMATS = ("jsonl", "csv", "geojson", "graphml", "gexf", "parquet")
DEFAULT_FORMATS = ("jsonl", "csv")

__all__ = [
    "DEFAULT_FORMATS",
    "DEFAULT_NETWORK_TYPES",
    "FORMATS",
    "PYARROW_MISSING",
    "TABLES",
    "csv_chunks",
    "events_geojson",
    "gexf",
    "graphml",
    "network_edges",
    "parquet_available",
    "parse_formats",
    "parse_types",
    "places_geojson",
    "read_parquet_rows",
    "write_exports",
    "write_parquet",
]


def parse_formats(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Formats from 'jsonl,csv,geojson'; a UsageError names an unknown one and lists the choices."""
    if value is None:
        return DEFAULT_FORMATS
    items = value.split(",") if isinstance(value, str) else list(value)
    formats = tuple(dict.fromkeys(f.strip().lower() for f in items if f.strip()))
    if not formats:
        raise UsageError(f"--format: name at least one of {','.join(FORMATS)}")
    for f in formats:
        if f not in FORMATS:
            raise UsageError(f"--format: unknown format {f!r}; choose from {','.join(FORMATS)}")
    if "parquet" in formats and not parquet_available():
        raise UsageError(PYARROW_MISSING)
    return formats


def _write_text(path: Path, chunks: Iterator[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        for chunk in chunks:
            f.write(chunk)


def write_exports(
    engine: Engine,
    out: str | Path,
    formats: Iterable[str] = DEFAULT_FORMATS,
    *,
    network_types: Iterable[str] | str | None = None,
) -> dict[str, str]:
    """Write the chosen formats into folder `out`; return {file name: what it holds}.

    jsonl: the contract files (store/export.py; with csv also their CSV, as before);
    csv: one CSV per table in TABLES (mentions included); geojson: places.geojson and
    events.geojson; graphml/gexf: network.graphml/network.gexf over `network_types`;
    parquet: one .parquet per table in TABLES.
    """
    formats = parse_formats(list(formats))
    types = parse_types(network_types)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    csv_done = set()
    if "jsonl" in formats:
        counts = contract.export(engine, out, csv_too="csv" in formats)
        for name, n in counts.items():
            written[f"{name}.jsonl"] = f"{n} records"
            if "csv" in formats:
                written[f"{name}.csv"] = f"{n} rows"
                csv_done.add(name)
    if "csv" in formats:
        for name in TABLES:
            if name not in csv_done:
                stats: dict = {}
                _write_text(out / f"{name}.csv", csv_chunks(engine, name, stats))
                written[f"{name}.csv"] = f"{stats['rows']} rows"
    if "geojson" in formats:
        for fname, make in (("places.geojson", places_geojson), ("events.geojson", events_geojson)):
            stats = {}
            _write_text(out / fname, make(engine, stats))
            written[fname] = f"{stats['features']} features"
    for fmt, make in (("graphml", graphml), ("gexf", gexf)):
        if fmt in formats:
            stats = {}
            _write_text(out / f"network.{fmt}", make(engine, types, stats))
            written[f"network.{fmt}"] = f"{stats['nodes']} nodes, {stats['edges']} edges"
    if "parquet" in formats:
        for name in TABLES:
            n = write_parquet(engine, name, out / f"{name}.parquet")
            written[f"{name}.parquet"] = f"{n} rows"
    return written
