"""Writing a batch of per-article extractions into the knowledge base, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from ..model import Extraction
from ..resolve.entities import EntityKey, entity_key
from . import schema as S
from .db import insert_rows


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
    events, participants, claims = [], [], []
    for ex in extractions:
        a = ex.article
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
            if eid not in ents:
                row = {"id": eid, "type": key.type, "name": key.name, "key": key.key, "reason": key.reason}
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
                ents[eid] = row
            for alias in {le.name, *le.aliases, *(m.text for m in le.mentions)}:
                if alias != key.name:
                    aliases[(eid, alias)] = {
                        "entity": eid,
                        "alias": alias,
                        "reason": le.label_reason if alias == le.name else _alias_reason(le, alias),
                    }
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
        events.extend(ex.events)
        claims.extend(ex.claims)
    with engine.begin() as conn:
        # Entities first: documents' mentions refer to them. Documents before their parts.
        insert_rows(conn, S.entities, ents.values())
        insert_rows(conn, S.entity_aliases, aliases.values())
        insert_rows(conn, S.documents, docs)
        insert_rows(conn, S.sentences, sents)
        insert_rows(conn, S.mentions, ments)
        insert_rows(conn, S.timexes, tx)
        insert_rows(conn, S.events, events)
        insert_rows(conn, S.event_participants, participants)
        insert_rows(conn, S.claims, claims)


def _alias_reason(le, alias: str) -> str:
    for m in le.mentions:
        if m.text == alias and m.link_reason:
            return m.link_reason
    return f"another form of {le.name} in the same article"
