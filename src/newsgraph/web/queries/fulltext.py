"""Full-text search across the base: the entities (each merged entity once, under its canonical
one), events, figures and articles matching a query, best first, each with its source sentence.
"""

from __future__ import annotations

from sqlalchemy import select

from ...store import schema as S
from ._common import _canonical_map
from .claims import list_claims
from .documents import _document_hits
from .events import list_events


def search(conn, q: str, limit: int = 20) -> dict:
    """Entities, events, figures and articles matching `q` in the full-text index, best first,
    each with its source sentence. `note` says when the query's syntax was not understood."""
    from ...store import search as fts

    # twice the limit, so that entities merged into one another still fill the page
    hits, note = fts.match(conn, q, limit * 2)
    hits = {k: v if k == "entity" else v[:limit] for k, v in hits.items()}
    # Entities: a merged entity's hit is its canonical's, shown once.
    canon = _canonical_map(conn, [r.ref for r in hits["entity"]])
    spans = [(r.doc, r.sstart, r.send) for r in hits["entity"] if r.doc is not None]
    sentences = _sentence_texts(conn, spans)
    ents, seen = [], set()
    for r in hits["entity"]:
        c = canon.get(r.ref)
        if c is None or c["id"] in seen:
            continue
        seen.add(c["id"])
        ents.append({"id": c["id"], "type": c["type"], "name": c["name"], "doc": r.doc, "sentence_start": r.sstart, "sentence": sentences.get((r.doc, r.sstart, r.send))})
        if len(ents) >= limit:
            break
    order = {r.ref: i for i, r in enumerate(hits["event"])}
    events = sorted(list_events(conn, ids=list(order), limit=limit), key=lambda x: order[x["id"]])
    order = {r.ref: i for i, r in enumerate(hits["claim"])}
    claims = sorted(list_claims(conn, where=S.claims.c.id.in_(list(order)), limit=limit), key=lambda x: order[x["id"]])
    docs = _document_hits(conn, [r.ref for r in hits["document"]], q)
    return {"query": q, "note": note, "entities": ents, "events": [_no_internal(e) for e in events], "claims": claims, "documents": docs}


def _no_internal(ev: dict) -> dict:
    ev.pop("place_record", None)
    return ev


def _sentence_texts(conn, spans) -> dict:
    """{(doc, start, end): text} for sentence spans, read in one query per batch of documents."""
    d = S.documents
    out = {}
    docs = sorted({s[0] for s in spans})
    for i in range(0, len(docs), 100):
        wanted = [s for s in spans if s[0] in set(docs[i : i + 100])]
        for r in conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(docs[i : i + 100]))):
            for doc, s0, s1 in wanted:
                if doc == r.id and s0 is not None:
                    out[(doc, s0, s1)] = r.text[s0:s1]
    return out
