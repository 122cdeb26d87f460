"""GeoJSON (RFC 7946): places, and events that have a place with coordinates.

Each function streams one FeatureCollection as text chunks, one Feature per line, reading the
database CHUNK rows at a time. Coordinates are [longitude, latitude], as RFC 7946 orders them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import Engine, func, select

from .. import schema as S
from ._sql import mention_counts, own_and_canonical, streamed

_HEAD = '{"type": "FeatureCollection", "features": [\n'
_TAIL = "\n]}\n"


def _collection(features: Iterator[dict], stats: dict | None) -> Iterator[str]:
    n = 0
    yield _HEAD
    for feature in features:
        yield (",\n" if n else "") + json.dumps(feature, ensure_ascii=False)
        n += 1
    yield _TAIL
    if stats is not None:
        stats["features"] = n


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def places_geojson(engine: Engine, stats: dict | None = None) -> Iterator[str]:
    """Every canonical entity with coordinates as a Point, with why it was put there.

    Properties: id, name, type, country (ISO 3166 alpha-2), precision (country, region,
    city ...), mentions and documents (stories, re-published copies counted once),
    reason, geonameid.
    """

    def features():
        with engine.connect() as conn:
            for r in streamed(conn, mention_counts(located=True)):
                yield {
                    "type": "Feature",
                    "id": r.id,
                    "geometry": _point(r.lon, r.lat),
                    "properties": {
                        "id": r.id,
                        "name": r.name,
                        "type": r.type,
                        "country": r.country,
                        "precision": r.geo_precision,
                        "mentions": r.mention_count,
                        "documents": r.document_count,
                        "reason": r.geo_reason,
                        "geonameid": r.geonameid,
                    },
                }

    return _collection(features(), stats)


def _events_query():
    own, canon, cid = own_and_canonical()
    V, D = S.events, S.documents
    # substr counts characters from 1 on both backends; offsets are Python str indices from 0.
    sentence = func.substr(D.c.text, V.c.sentence_start + 1, V.c.sentence_end - V.c.sentence_start)
    return (
        select(
            V,
            sentence.label("sentence_text"),
            D.c.published,
            D.c.duplicate_of,
            canon.c.id.label("place_id"),
            canon.c.name.label("place_name"),
            canon.c.country,
            canon.c.lat,
            canon.c.lon,
        )
        .select_from(V.join(own, own.c.id == V.c.place).join(canon, canon.c.id == cid).join(D, D.c.id == V.c.doc))
        .where(
            canon.c.lat.is_not(None),
            canon.c.lon.is_not(None),
            canon.c.lat.between(-90, 90),
            canon.c.lon.between(-180, 180),
        )
        .order_by(V.c.id)
    )


def _participants_query():
    own, _canon, cid = own_and_canonical()
    P = S.event_participants
    return (
        select(P.c.event, P.c.role, P.c.text, cid.label("entity"))
        .select_from(P.outerjoin(own, own.c.id == P.c.entity))
        .order_by(P.c.event, P.c.idx)
    )


def events_geojson(engine: Engine, stats: dict | None = None) -> Iterator[str]:
    """Events whose place has coordinates, as Points at that place.

    Properties: id, type, date (ISO, truncated to what the text supports, or null) and
    date_text, sentence (the text stating it) with its offsets, doc, published, trigger,
    modality, place and place_name, country, participants (role, canonical entity, text),
    same_as (one event reported by several articles), duplicate_of of its document, reason.
    """

    def features():
        with engine.connect() as conn:
            # Both streams are ordered by event id: a merge join keeps memory flat.
            parts = iter(streamed(conn, _participants_query()))
            pending = next(parts, None)
            for r in streamed(conn, _events_query()):
                participants = []
                while pending is not None and pending.event < r.id:
                    pending = next(parts, None)
                while pending is not None and pending.event == r.id:
                    participants.append({"role": pending.role, "entity": pending.entity, "text": pending.text})
                    pending = next(parts, None)
                yield {
                    "type": "Feature",
                    "id": r.id,
                    "geometry": _point(r.lon, r.lat),
                    "properties": {
                        "id": r.id,
                        "type": r.type,
                        "date": r.date_value,
                        "date_text": r.date_text,
                        "sentence": r.sentence_text,
                        "sentence_start": r.sentence_start,
                        "sentence_end": r.sentence_end,
                        "doc": r.doc,
                        "published": r.published,
                        "trigger": r.trigger_text,
                        "modality": r.modality,
                        "place": r.place_id,
                        "place_name": r.place_name,
                        "country": r.country,
                        "participants": participants,
                        "same_as": r.same_as,
                        "duplicate_of": r.duplicate_of,
                        "reason": r.reason,
                    },
                }

    return _collection(features(), stats)
