"""Shared pieces of the read-side queries: page bounds, the LIKE pattern, rows fetched in a
chosen order with their sentence text, and entity identity. An entity with `canonical` set was
merged into that entity, so readers work on its *members* (itself and everything merged into it)
and show each id as its canonical one (`canonical_id`, `members`, `_canonical_map`). Also the
place/entity accumulators (`places_add`, `_ranked`) used by both the entity page and event lists.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from ...store import schema as S

MAX_PAGE = 200


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _rows_in_order(conn, table, ids: list[str]) -> list:
    """Whole rows of `table` (events or claims) for `ids`, in that order, each with its sentence
    text. Fetched after the page of ids is chosen, so the sentence is cut only for rows shown."""
    if not ids:
        return []
    sent = _sentence(table, table.c.sentence_start, table.c.sentence_end).label("sentence_text")
    rows = {r.id: r for r in conn.execute(select(table, sent).where(table.c.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def _sentence(table, start_col, end_col):
    """The sentence text cut out in SQL (substr is 1-based and counts characters on both backends)."""
    d = S.documents
    return select(func.substr(d.c.text, start_col + 1, end_col - start_col)).where(d.c.id == table.c.doc).scalar_subquery()


def canonical_id(conn, entity_id: str) -> str | None:
    """The id `entity_id` stands under, COALESCE(canonical, id); None if there is no such entity.
    Groups are one level deep (resolve/groups.py): a canonical entity is never merged itself."""
    e = S.entities
    row = conn.execute(select(e.c.id, e.c.canonical).where(e.c.id == entity_id)).first()
    return None if row is None else (row.canonical or row.id)


def members(conn, cid: str) -> list[str]:
    """`cid` and every entity merged into it."""
    e = S.entities
    return [cid] + [r[0] for r in conn.execute(select(e.c.id).where(e.c.canonical == cid).order_by(e.c.id))]


_FIELDS = ("id", "type", "name", "country", "lat", "lon")
_CANON = S.entities.alias("c")
# Built once (it runs several times per page): each id with the row of the entity it stands under.
_CANONICAL_ROWS = (
    select(*(S.entities.c[f] for f in _FIELDS), *(_CANON.c[f] for f in _FIELDS))
    .outerjoin(_CANON, _CANON.c.id == S.entities.c.canonical)
    .where(S.entities.c.id.in_(bindparam("ids", expanding=True)))
)


def _canonical_map(conn, ids) -> dict[str, dict]:
    """For each entity id, the record (id, type, name, country, lat, lon) of the entity it
    stands under: one query, the canonical row joined in."""
    ids = sorted({i for i in ids if i})
    out: dict[str, dict] = {}
    for i in range(0, len(ids), 900):
        for r in conn.execute(_CANONICAL_ROWS, {"ids": ids[i : i + 900]}):
            row = r[6:] if r[6] is not None else r[:6]  # the canonical's own record when merged
            out[r[0]] = dict(zip(_FIELDS, row))
    return out


def _ranked(acc: dict) -> list[dict]:
    """Accumulated places or entities, most sentences first, without the bookkeeping."""
    for p in acc.values():
        p.pop("_seen", None)
    return sorted(acc.values(), key=lambda p: (-p["count"], p["name"]))


def places_add(acc: dict, place: dict | None, doc: str, start: int) -> None:
    """Count one more sentence at `place` (an event's place); a place already counted from the
    sentences naming the entity is left as counted."""
    if place is None:
        return
    p = acc.setdefault(place["id"], {**place, "count": 0, "doc": doc, "start": start, "_seen": set()})
    if "_seen" in p and (doc, start) not in p["_seen"]:
        p["_seen"].add((doc, start))
        p["count"] += 1
