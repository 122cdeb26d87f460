"""Article queries: how much the base holds, the articles by date and per month, and one
article with its sentences, mentions, time expressions, events, figures and copies both ways;
also the article hits of a search, each with the sentence that matches best.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from ...store import schema as S
from ...store.export import document_record
from ._common import _canonical_map
from .claims import list_claims
from .events import list_events


def counts(conn) -> dict[str, int]:
    e = S.entities
    return {
        "documents": conn.execute(select(func.count()).select_from(S.documents)).scalar_one(),
        "entities": conn.execute(select(func.count()).select_from(e).where(e.c.canonical.is_(None))).scalar_one(),
        "events": conn.execute(select(func.count()).select_from(S.events)).scalar_one(),
        "claims": conn.execute(select(func.count()).select_from(S.claims)).scalar_one(),
    }


def list_documents(conn, limit: int = 50, offset: int = 0) -> list[dict]:
    d = S.documents
    q = select(d.c.id, d.c.title, d.c.published, d.c.published_basis, d.c.outlet, d.c.source, d.c.duplicate_of)
    rows = conn.execute(q.order_by(d.c.published.desc().nulls_last(), d.c.id).limit(limit).offset(offset))
    return [dict(r._mapping) for r in rows]


def documents_by_month(conn) -> list[dict]:
    """Article counts per publication month ("2019-03"), oldest first; undated articles apart."""
    d = S.documents
    month = func.substr(d.c.published, 1, 7)
    rows = conn.execute(select(month.label("month"), func.count().label("count")).where(d.c.published.is_not(None)).group_by(month).order_by(month))
    return [{"month": r.month, "count": r.count} for r in rows]


def get_document(conn, doc_id: str) -> dict | None:
    """The document with its sentences and extractions as offsets, and its copies both ways."""
    d = S.documents
    row = conn.execute(select(d).where(d.c.id == doc_id)).first()
    if row is None:
        return None
    rec = document_record(row)
    m, t, s = S.mentions, S.timexes, S.sentences
    canon = {}
    mrows = conn.execute(select(m).where(m.c.doc == doc_id).order_by(m.c.start, m.c.end)).fetchall()
    canon = _canonical_map(conn, [r.entity for r in mrows])
    rec["mentions"] = [
        {"start": r.start, "end": r.end, "text": r.text, "entity": canon.get(r.entity, {}).get("id", r.entity), "label": r.label, "link_reason": r.link_reason}
        for r in mrows
    ]
    rec["timexes"] = [
        {"start": r.start, "end": r.end, "text": r.text, "type": r.type, "value": r.value, "reason": r.reason}
        for r in conn.execute(select(t).where(t.c.doc == doc_id).order_by(t.c.start, t.c.end))
    ]
    rec["sentences"] = [{"start": r.start, "end": r.end} for r in conn.execute(select(s.c.start, s.c.end).where(s.c.doc == doc_id).order_by(s.c.idx))]
    rec["events"] = list_events(conn, doc=doc_id, limit=10_000)
    rec["claims"] = list_claims(conn, where=S.claims.c.doc == doc_id, limit=10_000)
    rec["copies"] = [dict(r._mapping) for r in conn.execute(select(d.c.id, d.c.title, d.c.outlet, d.c.published).where(d.c.duplicate_of == doc_id).order_by(d.c.id))]
    if row.duplicate_of:
        rec["duplicate_title"] = conn.execute(select(d.c.title).where(d.c.id == row.duplicate_of)).scalar_one_or_none()
    return rec


def _document_hits(conn, ids: list[str], q: str) -> list[dict]:
    from ...store.search import sentence_for

    if not ids:
        return []
    d, s = S.documents, S.sentences
    rows = {r.id: r for r in conn.execute(select(d.c.id, d.c.title, d.c.published, d.c.text, d.c.duplicate_of).where(d.c.id.in_(ids)))}
    sents = defaultdict(list)
    for r in conn.execute(select(s.c.doc, s.c.start, s.c.end).where(s.c.doc.in_(ids)).order_by(s.c.doc, s.c.idx)):
        sents[r.doc].append((r.start, r.end))
    out = []
    for i in ids:
        r = rows.get(i)
        if r is None:
            continue
        span = sentence_for(r.text, sents[i], q)
        out.append({"id": r.id, "title": r.title, "published": r.published, "duplicate_of": r.duplicate_of,
                    "sentence_start": span[0] if span else None, "sentence": r.text[span[0] : span[1]] if span else None})
    return out
