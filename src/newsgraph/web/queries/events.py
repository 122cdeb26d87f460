"""Event queries: which events happened (filtered by entity, type, period, place, article or
id), by date, each with its sentence, participants, place and every article that reported it;
the event types present, the latest events for the home page, and the places of a list of events.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select, union

from ...store import schema as S
from ...store.export import event_record
from ._common import MAX_PAGE, _canonical_map, _ranked, _rows_in_order, places_add


def event_types(conn) -> list[str]:
    return [r[0] for r in conn.execute(select(S.events.c.type).distinct().order_by(S.events.c.type))]


def next_period(value: str) -> str:
    """The first date after the period `value` names: "2014" -> "2015", "2014-12" -> "2015-01"."""
    from datetime import date, timedelta

    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + 1:04d}"
    if len(parts) == 2:
        y, mo = parts
        return f"{y + (mo == 12):04d}-{mo % 12 + 1:02d}"
    return (date(*parts) + timedelta(days=1)).isoformat()


def list_events(conn, *, entity_ids=None, type_=None, since=None, until=None, place_ids=None, doc=None, ids=None, primary_only=False, limit=MAX_PAGE, offset=0) -> list[dict]:
    """Events by date (undated last), each with its sentence text, participants and place.

    `since`/`until` are ISO dates at any precision and include the whole period they name.
    Entity and place filters take lists of ids (an entity and everything merged into it)."""
    ev, p = S.events, S.event_participants
    q = select(ev.c.id)
    if entity_ids:
        # A union of three indexed look-ups, not an OR (which would scan every event).
        named = union(
            select(p.c.event).where(p.c.entity.in_(entity_ids)),
            select(ev.c.id).where(ev.c.place.in_(entity_ids)),
            select(ev.c.id).where(ev.c.attributed_entity.in_(entity_ids)),
        )
        q = q.where(ev.c.id.in_(named))
    if type_:
        q = q.where(ev.c.type == type_)
    if since:
        q = q.where(ev.c.date_value >= since)
    if until:
        q = q.where(ev.c.date_value < next_period(until))
    if place_ids:
        q = q.where(ev.c.place.in_(place_ids))
    if doc:
        q = q.where(ev.c.doc == doc)
    if ids is not None:
        q = q.where(ev.c.id.in_(ids))
    if primary_only:  # one event reported by several articles is shown once, with its sources
        q = q.where(ev.c.same_as.is_(None))
    page = [r[0] for r in conn.execute(q.order_by(ev.c.date_value.is_(None), ev.c.date_value, ev.c.doc, ev.c.trigger_start, ev.c.id).limit(limit).offset(offset))]
    rows = _rows_in_order(conn, ev, page)
    parts = defaultdict(list)
    if rows:
        for x in conn.execute(select(p).where(p.c.event.in_([r.id for r in rows])).order_by(p.c.event, p.c.idx)):
            parts[x.event].append({"role": x.role, "entity": x.entity, "text": x.text})
    canon = _canonical_map(conn, [r.place for r in rows] + [x["entity"] for ps in parts.values() for x in ps] + [r.attributed_entity for r in rows])
    sources = _event_sources(conn, sorted({r.same_as or r.id for r in rows})) if rows else {}
    out = []
    for r in rows:
        ps = [{**x, "entity": canon[x["entity"]]["id"] if x["entity"] in canon else x["entity"]} for x in parts[r.id]]
        rec = event_record(r, ps, sources.get(r.same_as or r.id))
        rec["sentence"]["text"] = r.sentence_text
        if r.place in canon:
            rec["place"] = canon[r.place]["id"]
            rec["place_name"] = canon[r.place]["name"]
        rec["place_record"] = canon.get(r.place)
        if rec["attributed_to"] and r.attributed_entity in canon:
            rec["attributed_to"]["entity"] = canon[r.attributed_entity]["id"]
        rec["reason"] = r.reason
        out.append(rec)
    return out


def event_places(events: list[dict]) -> list[dict]:
    """The places of `events`, with how many of them happened there."""
    acc: dict = {}
    for ev in events:
        places_add(acc, ev.get("place_record"), ev["doc"], ev["sentence"]["start"])
    return _ranked(acc)


def _event_sources(conn, ids: list[str]) -> dict[str, list[dict]]:
    """For events `ids` reported by several articles, every report's sentence, earliest first.
    Two indexed look-ups: the later reports (`same_as` in ids), then the first reports of those
    that have any."""
    ev, d = S.events, S.documents
    cols = (ev.c.id, ev.c.same_as, ev.c.doc, ev.c.sentence_start, ev.c.sentence_end)
    # No join here: a planner that misjudges `same_as` (nearly all null) would scan documents.
    later = conn.execute(select(*cols).where(ev.c.same_as.in_(ids))).fetchall()
    if not later:
        return {}
    first = conn.execute(select(*cols).where(ev.c.id.in_({r.same_as for r in later}))).fetchall()
    docs = {r.id: r for r in conn.execute(select(d.c.id, d.c.published, d.c.seq, d.c.title).where(d.c.id.in_({r.doc for r in first + later})))}
    def key(r):
        doc = docs.get(r.doc)
        published = doc.published if doc else None
        return (r.same_as is not None, published is None, published or "", (doc.seq if doc else 0) or 0, r.doc)
    out: dict[str, list[dict]] = {}
    for r in sorted(first + later, key=key):
        title = docs[r.doc].title if r.doc in docs else None
        out.setdefault(r.same_as or r.id, []).append({"doc": r.doc, "title": title, "sentence": {"start": r.sentence_start, "end": r.sentence_end}})
    return out


def latest_events(conn, limit: int = 10) -> list[dict]:
    """The events with the latest dates (undated ones left out), each once with its sources."""
    ev = S.events
    dated = select(ev.c.id).where(ev.c.date_value.is_not(None), ev.c.same_as.is_(None))  # an event reported twice, once
    ids = [r[0] for r in conn.execute(dated.order_by(ev.c.date_value.desc(), ev.c.id).limit(limit))]
    return sorted(list_events(conn, ids=ids, limit=limit), key=lambda x: x["date"]["value"] if x["date"] else "", reverse=True)
