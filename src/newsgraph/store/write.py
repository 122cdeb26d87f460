"""Writing a batch of per-article extractions into the knowledge base, in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import Engine, func, select

from ..model import Claim, Event, Extraction
from ..resolve.entities import EntityKey, entity_key
from . import schema as S
from .db import insert_rows, least_key, lock_for_write


_NO_GEO = dict.fromkeys(("geonameid", "lat", "lon", "country", "geo_precision", "geo_reason"))
# The text columns that decide which article's row an entity keeps (see save_batch).
ENTITY_CHOICE = ("name", "reason", "geo_reason", "geo_precision", "country")


def _sentence_of(sentences: Sequence[tuple[int, int]], start: int) -> tuple[int, int] | tuple[None, None]:
    for s, e in sentences:
        if s <= start < e:
            return s, e
    return None, None


def save_batch(engine: Engine, extractions: Sequence[Extraction], nlp_model: str) -> None:
    """Store whole documents with everything extracted from them.

    Idempotent: rows that already exist (same document id, same entity key, same offsets) are
    skipped, so re-saving a batch after a crash neither duplicates nor loses anything.
    """
    docs, sents, ents, aliases, ments, tx = [], [], {}, {}, [], []
    events, participants, claims, quotes = [], [], [], []
    participant_docs: list[str] = []  # the document of each participant row, for its arrival counter
    for ex in extractions:
        a = ex.article
        global_id: dict[str, str] = {}  # LocalEntity.key -> entity id
        docs.append(
            {
                "id": a.id,
                "source": a.source,
                "url": a.url,
                "outlet": a.outlet,
                "title": a.title,
                "byline": a.byline,
                "published": a.published,
                "published_basis": a.published_basis,
                "published_reason": a.published_reason,
                "language": a.language,
                "text": a.text,
                "nlp_model": nlp_model,
            }
        )
        sents.extend({"doc": a.id, "idx": i, "start": s, "end": e} for i, (s, e) in enumerate(ex.sentences))
        for le in ex.entities:
            key: EntityKey = entity_key(a, le)
            eid = key.id
            global_id[le.key] = eid
            # Every row carries every column: an executemany takes its columns from the first row.
            row = {"id": eid, "type": key.type, "name": key.name, "key": key.key, "reason": key.reason, **_NO_GEO}
            if le.place is not None:
                p = le.place
                row.update(
                    geonameid=p.geonameid,
                    lat=p.lat,
                    lon=p.lon,
                    country=p.country,
                    geo_precision=p.precision,
                    geo_reason=p.reason,
                )
            elif le.label == "PLACE":
                row.update(geo_reason=le.place_unresolved_reason)
            # Of the articles naming one entity, the least (name, reasons) is kept, here and across
            # batches, so the row does not depend on the order articles arrive in.
            if eid not in ents or least_key(row, ENTITY_CHOICE) < least_key(ents[eid], ENTITY_CHOICE):
                ents[eid] = row
            for alias in {le.name, *le.aliases, *(m.text for m in le.mentions)}:
                if alias == key.name:
                    continue
                reason = le.label_reason if alias == le.name else _alias_reason(le, alias)
                prev = aliases.get((eid, alias))
                # Of the documents showing an alias, the least reason (as text) is kept, here and
                # across batches (insert_rows keep_least), so the base does not depend on the order
                # articles arrive in (concurrent builds, Ray, a rerun after a crash).
                if prev is None or (reason or "") < (prev["reason"] or ""):
                    aliases[(eid, alias)] = {"entity": eid, "alias": alias, "reason": reason}
            for m in le.mentions:
                ss, se = m.sentence if m.sentence else _sentence_of(ex.sentences, m.start)
                ments.append(
                    {
                        "doc": a.id,
                        "start": m.start,
                        "end": m.end,
                        "entity": eid,
                        "text": m.text,
                        "label": m.label,
                        "name": m.name,
                        "local_key": le.key,
                        "sentence_start": ss,
                        "sentence_end": se,
                        "link_reason": m.link_reason,
                        "label_reason": le.label_reason,
                    }
                )
        tx.extend(
            {
                "doc": a.id,
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "type": t.type,
                "value": t.value,
                "precision": t.precision,
                "modifier": t.modifier,
                "reason": t.reason,
            }
            for t in ex.timexes
        )
        for ev in ex.events:
            row, parts = event_rows(a.id, ev, global_id)
            events.append(row)
            participants.extend(parts)
            participant_docs.extend([a.id] * len(parts))
        claims.extend(claim_row(a.id, c, global_id) for c in ex.claims)
        quotes.extend(
            {
                "doc": a.id,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "speaker_entity": global_id.get(q.speaker_entity) if q.speaker_entity else None,
                "speaker_text": q.speaker_text,
            }
            for q in ex.quotes
        )
    with engine.begin() as conn:
        lock_for_write(conn)  # one batch commit at a time, so the arrival counter below is unique
        # Arrival order, after everything already stored (documents already there keep theirs).
        last = conn.execute(select(func.max(S.documents.c.seq))).scalar() or 0
        for i, d in enumerate(docs, 1):
            d["seq"] = last + i
        seq_of = {d["id"]: d["seq"] for d in docs}
        for p, doc in zip(participants, participant_docs):
            p["seq"] = seq_of[doc]
        # Entities first: documents' mentions refer to them. Documents before their parts.
        insert_rows(conn, S.entities, ents.values(), keep_least=ENTITY_CHOICE, also_set=("geonameid", "lat", "lon"))
        insert_rows(conn, S.entity_aliases, aliases.values(), keep_least=("reason",))
        insert_rows(conn, S.documents, docs)
        insert_rows(conn, S.sentences, sents)
        insert_rows(conn, S.mentions, ments)
        insert_rows(conn, S.timexes, tx)
        insert_rows(conn, S.events, events)
        insert_rows(conn, S.event_participants, participants)
        insert_rows(conn, S.claims, claims)
        insert_rows(conn, S.quotes, quotes)


def _stable_id(prefix: str, *parts) -> str:
    return prefix + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def event_rows(doc: str, ev: Event, global_id: dict[str, str]) -> tuple[dict, list[dict]]:
    """The `events` row and `event_participants` rows of one event; ids stable per document and trigger."""
    eid = _stable_id("v", doc, ev.trigger_start, ev.trigger_end, ev.type)
    row = {
        "id": eid,
        "doc": doc,
        "type": ev.type,
        "plover": ev.plover,
        "trigger_start": ev.trigger_start,
        "trigger_end": ev.trigger_end,
        "trigger_text": ev.trigger_text,
        "sentence_start": ev.sentence[0],
        "sentence_end": ev.sentence[1],
        "date_value": ev.date.value if ev.date else None,
        "date_text": ev.date.text if ev.date else None,
        "place": global_id.get(ev.place) if ev.place else None,
        "attributed_entity": global_id.get(ev.attributed_entity) if ev.attributed_entity else None,
        "attributed_text": ev.attributed_text,
        "modality": ev.modality,
        "reliability": ev.reliability,
        "reason": ev.reason,
    }
    parts = [
        {
            "event": eid,
            "idx": i,
            "role": p.role,
            "entity": global_id.get(p.entity) if p.entity else None,
            "text": p.text,
            "reason": p.reason,
            "type": ev.type,
            "seq": None,  # the document's arrival counter, known when the batch is committed (save_batch)
        }
        for i, p in enumerate(ev.participants)
    ]
    return row, parts


def claim_row(doc: str, c: Claim, global_id: dict[str, str]) -> dict:
    return {
        "id": _stable_id("c", doc, c.start, c.end),
        "doc": doc,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "value": c.value,
        "lower": c.lower,
        "upper": c.upper,
        "approximate": c.approximate,
        "unit": c.unit,
        "what": c.what,
        "sentence_start": c.sentence[0],
        "sentence_end": c.sentence[1],
        "source_entity": global_id.get(c.source_entity) if c.source_entity else None,
        "source_text": c.source_text,
        "as_of_value": c.as_of.value if c.as_of else None,
        "as_of_text": c.as_of.text if c.as_of else None,
        "as_of_reason": c.as_of.reason if c.as_of else None,
        "reliability": c.reliability,
    }


def _alias_reason(le, alias: str) -> str:
    for m in le.mentions:
        if m.text == alias and m.link_reason:
            return m.link_reason
    return f"another form of {le.name} in the same article"
