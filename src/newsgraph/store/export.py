"""Export formats: the contract's JSON Lines files (and CSV beside them).

Each record is built by one function (`document_record`, `entity_records`, ...) that the web
API reuses, so the HTTP answers and the export files never drift apart.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

from sqlalchemy import Engine, select

from . import schema as S

FILES = ("documents", "entities", "events", "claims", "quotes")


def document_record(row) -> dict:
    return {
        "id": row.id,
        "source": row.source,
        "title": row.title,
        "published": row.published,
        "published_basis": row.published_basis,
        "language": row.language,
        "text": row.text,
        "duplicate_of": row.duplicate_of,
        # extras beyond the contract
        "url": row.url,
        "outlet": row.outlet,
        "byline": row.byline,
        "published_reason": row.published_reason,
        "duplicate_reason": row.duplicate_reason,
    }


def iter_documents(conn) -> Iterator[dict]:
    for row in conn.execute(select(S.documents).order_by(S.documents.c.id)):
        yield document_record(row)


def entity_record(row, aliases: list[dict], mentions: list[dict]) -> dict:
    geo = None
    if row.lat is not None:
        geo = {"lat": row.lat, "lon": row.lon, "country": row.country}
    return {
        "id": row.id,
        "type": row.type,
        "name": row.name,
        "aliases": sorted({a["alias"] for a in aliases}),
        "mentions": mentions,
        "geo": geo,
        # extras: the reasons behind each automatic decision
        "reason": row.reason,
        "alias_reasons": {a["alias"]: a["reason"] for a in aliases},
        "geo_precision": row.geo_precision,
        "geo_reason": row.geo_reason,
        "geonameid": row.geonameid,
    }


def mention_record(m) -> dict:
    return {
        "doc": m.doc,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "sentence": {"start": m.sentence_start, "end": m.sentence_end},
        "link_reason": m.link_reason,
    }


def iter_entities(conn) -> Iterator[dict]:
    """Entities with their aliases and mentions, streamed in id order (memory flat)."""
    E, A, M = S.entities, S.entity_aliases, S.mentions
    aliases = groupby(conn.execute(select(A).order_by(A.c.entity, A.c.alias)), key=lambda r: r.entity)
    mentions = groupby(conn.execute(select(M).order_by(M.c.entity, M.c.doc, M.c.start)), key=lambda r: r.entity)
    next_alias = next(aliases, None)
    next_mention = next(mentions, None)
    for row in conn.execute(select(E).order_by(E.c.id)):
        als, mens = [], []
        while next_alias is not None and next_alias[0] < row.id:
            next_alias = next(aliases, None)
        if next_alias is not None and next_alias[0] == row.id:
            als = [{"alias": a.alias, "reason": a.reason} for a in next_alias[1]]
            next_alias = next(aliases, None)
        while next_mention is not None and next_mention[0] < row.id:
            next_mention = next(mentions, None)
        if next_mention is not None and next_mention[0] == row.id:
            mens = [mention_record(m) for m in next_mention[1]]
            next_mention = next(mentions, None)
        if mens:  # an entity whose every mention was removed is not exported
            yield entity_record(row, als, mens)


def event_record(row, participants: list[dict]) -> dict:
    return {
        "id": row.id,
        "doc": row.doc,
        "type": row.type,
        "trigger": {"start": row.trigger_start, "end": row.trigger_end, "text": row.trigger_text},
        "sentence": {"start": row.sentence_start, "end": row.sentence_end},
        "date": {"value": row.date_value, "text": row.date_text} if row.date_text else None,
        "place": row.place,
        "participants": participants,
        "attributed_to": {"entity": row.attributed_entity, "text": row.attributed_text} if row.attributed_text else None,
        "modality": row.modality,
        "plover": row.plover,
        "reliability": row.reliability,
        "same_as": row.same_as,
    }


def iter_events(conn) -> Iterator[dict]:
    P = S.event_participants
    parts = {}
    for p in conn.execute(select(P).order_by(P.c.event, P.c.idx)):
        parts.setdefault(p.event, []).append({"role": p.role, "entity": p.entity, "text": p.text})
    for row in conn.execute(select(S.events).order_by(S.events.c.doc, S.events.c.trigger_start)):
        yield event_record(row, parts.get(row.id, []))


def claim_record(row, conflicts: list[dict]) -> dict:
    return {
        "id": row.id,
        "doc": row.doc,
        "value": row.value,
        "lower": row.lower,
        "upper": row.upper,
        "approximate": bool(row.approximate),
        "what": row.what,
        "sentence": {"start": row.sentence_start, "end": row.sentence_end},
        "source": {"entity": row.source_entity, "text": row.source_text} if row.source_text else None,
        "as_of": {"value": row.as_of_value, "text": row.as_of_text} if row.as_of_text else None,
        "group": row.group_id,
        "conflicts_with": [c["other"] for c in conflicts],
        # extras
        "text": row.text,
        "unit": row.unit,
        "span": {"start": row.start, "end": row.end},
        "conflict_reasons": {c["other"]: c["reason"] for c in conflicts},
        "reliability": row.reliability,
    }


def iter_claims(conn) -> Iterator[dict]:
    C = S.claim_conflicts
    conflicts = {}
    for c in conn.execute(select(C).order_by(C.c.claim, C.c.other)):
        conflicts.setdefault(c.claim, []).append({"other": c.other, "reason": c.reason})
    for row in conn.execute(select(S.claims).order_by(S.claims.c.doc, S.claims.c.start)):
        yield claim_record(row, conflicts.get(row.id, []))


def quote_record(row) -> dict:
    return {
        "doc": row.doc,
        "start": row.start,
        "end": row.end,
        "text": row.text,
        "speaker": {"entity": row.speaker_entity, "text": row.speaker_text} if row.speaker_text else None,
    }


def iter_quotes(conn) -> Iterator[dict]:
    for row in conn.execute(select(S.quotes).order_by(S.quotes.c.doc, S.quotes.c.start)):
        yield quote_record(row)


ITERATORS = {
    "documents": iter_documents,
    "entities": iter_entities,
    "events": iter_events,
    "claims": iter_claims,
    "quotes": iter_quotes,
}


def _csv_value(v):
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


def export(engine: Engine, out: str | Path, *, csv_too: bool = True) -> dict[str, int]:
    """Write `<name>.jsonl` (and `<name>.csv`) for each contract file; return record counts."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    with engine.connect() as conn:
        for name in FILES:
            n = 0
            jpath, cpath = out / f"{name}.jsonl", out / f"{name}.csv"
            with open(jpath, "w", encoding="utf-8") as jf:
                cf = open(cpath, "w", encoding="utf-8", newline="") if csv_too else None
                writer = None
                try:
                    for rec in ITERATORS[name](conn):
                        jf.write(json.dumps(rec, ensure_ascii=False) + "\n")
                        if cf is not None:
                            if writer is None:
                                writer = csv.DictWriter(cf, fieldnames=list(rec))
                                writer.writeheader()
                            writer.writerow({k: _csv_value(v) for k, v in rec.items()})
                        n += 1
                finally:
                    if cf is not None:
                        cf.close()
            written[name] = n
    return written
