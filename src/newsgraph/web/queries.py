"""Read-side queries shared by the HTML pages and the JSON API (parameterised only)."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from ..store import schema as S
from ..store.export import claim_record, document_record, entity_record, event_record, mention_record

MAX_PAGE = 200


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def sentence_text(conn, doc: str, start: int | None, end: int | None) -> str | None:
    if start is None or end is None:
        return None
    text = conn.execute(select(S.documents.c.text).where(S.documents.c.id == doc)).scalar_one_or_none()
    return text[start:end] if text is not None else None


def list_documents(conn, limit: int = 50, offset: int = 0) -> list[dict]:
    d = S.documents
    q = select(d.c.id, d.c.title, d.c.published, d.c.published_basis, d.c.outlet, d.c.source, d.c.duplicate_of)
    rows = conn.execute(q.order_by(d.c.published.desc().nulls_last(), d.c.id).limit(limit).offset(offset))
    return [dict(r._mapping) for r in rows]


def top_entities(conn, limit: int = 50, type_: str | None = None) -> list[dict]:
    e, m = S.entities, S.mentions
    n = func.count().label("mentions")
    q = select(e.c.id, e.c.type, e.c.name, e.c.country, n).join(m, m.c.entity == e.c.id).group_by(e.c.id, e.c.type, e.c.name, e.c.country)
    if type_:
        q = q.where(e.c.type == type_)
    return [dict(r._mapping) for r in conn.execute(q.order_by(n.desc(), e.c.name).limit(limit))]


def get_entity(conn, entity_id: str) -> dict | None:
    e, a, m = S.entities, S.entity_aliases, S.mentions
    row = conn.execute(select(e).where(e.c.id == entity_id)).first()
    if row is None:
        return None
    aliases = [{"alias": r.alias, "reason": r.reason} for r in conn.execute(select(a).where(a.c.entity == entity_id).order_by(a.c.alias))]
    ments = []
    for r in conn.execute(select(m).where(m.c.entity == entity_id).order_by(m.c.doc, m.c.start).limit(MAX_PAGE)):
        rec = mention_record(r)
        rec["sentence_text"] = sentence_text(conn, r.doc, r.sentence_start, r.sentence_end)
        ments.append(rec)
    rec = entity_record(row, aliases, ments)
    rec["events"] = list_events(conn, entity=entity_id)
    rec["claims"] = [c for c in list_claims(conn) if c["source"] and c["source"]["entity"] == entity_id]
    return rec


def get_document(conn, doc_id: str) -> dict | None:
    d = S.documents
    row = conn.execute(select(d).where(d.c.id == doc_id)).first()
    if row is None:
        return None
    rec = document_record(row)
    m, t = S.mentions, S.timexes
    rec["mentions"] = [
        {"start": r.start, "end": r.end, "text": r.text, "entity": r.entity, "label": r.label, "link_reason": r.link_reason}
        for r in conn.execute(select(m).where(m.c.doc == doc_id).order_by(m.c.start))
    ]
    rec["timexes"] = [
        {"start": r.start, "end": r.end, "text": r.text, "type": r.type, "value": r.value, "reason": r.reason}
        for r in conn.execute(select(t).where(t.c.doc == doc_id).order_by(t.c.start))
    ]
    rec["events"] = list_events(conn, doc=doc_id)
    rec["claims"] = [c for c in list_claims(conn) if c["doc"] == doc_id]
    rec["copies"] = [r[0] for r in conn.execute(select(d.c.id).where(d.c.duplicate_of == doc_id).order_by(d.c.id))]
    return rec


def list_events(conn, *, entity=None, type_=None, since=None, until=None, place=None, doc=None, limit=MAX_PAGE) -> list[dict]:
    ev, p = S.events, S.event_participants
    q = select(ev)
    if entity:
        q = q.where(or_(ev.c.id.in_(select(p.c.event).where(p.c.entity == entity)), ev.c.place == entity, ev.c.attributed_entity == entity))
    if type_:
        q = q.where(ev.c.type == type_)
    if since:
        q = q.where(ev.c.date_value >= since)
    if until:
        q = q.where(ev.c.date_value <= until + "\uffff")
    if place:
        q = q.where(ev.c.place == place)
    if doc:
        q = q.where(ev.c.doc == doc)
    rows = conn.execute(q.order_by(ev.c.date_value.nulls_last(), ev.c.doc, ev.c.trigger_start).limit(limit)).fetchall()
    out = []
    for r in rows:
        parts = [{"role": x.role, "entity": x.entity, "text": x.text} for x in conn.execute(select(p).where(p.c.event == r.id).order_by(p.c.idx))]
        rec = event_record(r, parts)
        rec["sentence"]["text"] = sentence_text(conn, r.doc, r.sentence_start, r.sentence_end)
        out.append(rec)
    return out


def list_claims(conn, *, group=None, q=None, limit=MAX_PAGE) -> list[dict]:
    c, k = S.claims, S.claim_conflicts
    stmt = select(c)
    if group:
        stmt = stmt.where(c.c.group_id == group)
    if q:
        stmt = stmt.where(or_(c.c.what.ilike(_like(q), escape="\\"), c.c.text.ilike(_like(q), escape="\\")))
    out = []
    for r in conn.execute(stmt.order_by(c.c.group_id, c.c.as_of_value, c.c.doc, c.c.start).limit(limit)).fetchall():
        conflicts = [{"other": x.other, "reason": x.reason} for x in conn.execute(select(k).where(k.c.claim == r.id))]
        rec = claim_record(r, conflicts)
        rec["sentence"]["text"] = sentence_text(conn, r.doc, r.sentence_start, r.sentence_end)
        out.append(rec)
    return out


def search(conn, q: str, limit: int = 50) -> dict:
    """Entities, events, claims and documents matching `q`, each with its source sentence."""
    pat = _like(q)
    e, a, m, d = S.entities, S.entity_aliases, S.mentions, S.documents
    ent_ids = select(a.c.entity).where(a.c.alias.ilike(pat, escape="\\"))
    ents = []
    for r in conn.execute(select(e).where(or_(e.c.name.ilike(pat, escape="\\"), e.c.id.in_(ent_ids))).order_by(e.c.name).limit(limit)):
        first = conn.execute(select(m).where(m.c.entity == r.id).order_by(m.c.doc, m.c.start).limit(1)).first()
        ents.append(
            {
                "id": r.id,
                "type": r.type,
                "name": r.name,
                "doc": first.doc if first else None,
                "sentence": sentence_text(conn, first.doc, first.sentence_start, first.sentence_end) if first else None,
            }
        )
    docs = []
    for r in conn.execute(select(d.c.id, d.c.title, d.c.text, d.c.published).where(or_(d.c.title.ilike(pat, escape="\\"), d.c.text.ilike(pat, escape="\\"))).order_by(d.c.id).limit(limit)):
        i = r.text.lower().find(q.lower())
        sent = None
        if i >= 0:
            s = conn.execute(select(S.sentences).where(S.sentences.c.doc == r.id, S.sentences.c.start <= i, S.sentences.c.end > i)).first()
            sent = r.text[s.start : s.end] if s else r.text[max(0, i - 80) : i + 80]
        docs.append({"id": r.id, "title": r.title, "published": r.published, "sentence": sent})
    events = [ev for ev in list_events(conn, limit=limit) if q.lower() in (ev["sentence"]["text"] or "").lower()]
    claims = list_claims(conn, q=q, limit=limit)
    return {"query": q, "entities": ents, "events": events, "claims": claims, "documents": docs}
