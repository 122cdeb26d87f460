"""Download links for the export formats: GeoJSON, GraphML, GEXF, CSV and Parquet.

Read-only GET routes under /download/. Text formats stream straight from the database in
chunks; Parquet (which needs its footer written last) is built in a temporary file that is
streamed and then deleted. Each answer names its file in Content-Disposition.
"""

from __future__ import annotations

import os
import tempfile

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy import Engine
from starlette.background import BackgroundTask

from ..errors import UsageError
from ..store import formats as F

GEOJSON = "application/geo+json"
GRAPHML = "application/graphml+xml"
GEXF = "application/gexf+xml"
CSV = "text/csv; charset=utf-8"
PARQUET = "application/vnd.apache.parquet"

TYPES_HELP = "Entity types as nodes, comma-separated (default PERSON,ORG; add PLACE for places)."


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _stream(chunks, media_type: str, filename: str) -> StreamingResponse:
    return StreamingResponse(chunks, media_type=media_type, headers=_attachment(filename))


def _types(types: str | None) -> tuple[str, ...]:
    try:
        return F.parse_types(types)
    except UsageError as err:
        raise HTTPException(status_code=400, detail=str(err)) from None


def _table(name: str) -> str:
    if name not in F.TABLES:
        raise HTTPException(status_code=404, detail=f"no table {name!r} to download; choose one of {', '.join(F.TABLES)}")
    return name


def make_router(engine: Engine) -> APIRouter:
    """The /download/ routes over `engine`; every route only reads."""
    router = APIRouter(prefix="/download", tags=["downloads"])

    @router.get("/places.geojson", summary="Places with coordinates, as GeoJSON Points")
    def places():
        return _stream(F.places_geojson(engine), GEOJSON, "places.geojson")

    @router.get("/events.geojson", summary="Events whose place has coordinates, as GeoJSON Points")
    def events():
        return _stream(F.events_geojson(engine), GEOJSON, "events.geojson")

    @router.get("/network.graphml", summary="The entity co-occurrence network as GraphML")
    def network_graphml(types: str | None = Query(None, max_length=100, description=TYPES_HELP)):
        return _stream(F.graphml(engine, _types(types)), GRAPHML, "network.graphml")

    @router.get("/network.gexf", summary="The entity co-occurrence network as GEXF (Gephi)")
    def network_gexf(types: str | None = Query(None, max_length=100, description=TYPES_HELP)):
        return _stream(F.gexf(engine, _types(types)), GEXF, "network.gexf")

    @router.get("/{table}.csv", summary="A table as CSV (nested fields as JSON strings)")
    def table_csv(table: str):
        return _stream(F.csv_chunks(engine, _table(table)), CSV, f"{table}.csv")

    @router.get("/{table}.parquet", summary="A table as Parquet (needs pyarrow on the server)")
    def table_parquet(table: str):
        _table(table)
        if not F.parquet_available():
            raise HTTPException(status_code=501, detail=F.PYARROW_MISSING)
        fd, path = tempfile.mkstemp(prefix="newsgraph-", suffix=".parquet")
        os.close(fd)
        try:
            F.write_parquet(engine, table, path)
        except BaseException:
            os.unlink(path)
            raise
        return FileResponse(
            path,
            media_type=PARQUET,
            filename=f"{table}.parquet",
            background=BackgroundTask(os.unlink, path),
        )

    return router
