"""Entity queries: which entity a name, alias or id stands for, the most mentioned entities,
and one entity's page (aliases with reasons, merged entities, mentions, events, figures, places
and the entities named in the same sentences), all with merged entities counted under their
canonical one.
"""

from __future__ import annotations

from sqlalchemy import String, and_, cast, func, literal, or_, select, union

from ...store import schema as S
from ...store.export import entity_record, mention_record
from ._common import MAX_PAGE, _canonical_map, _ranked, _sentence, canonical_id, places_add
from .claims import list_claims
from .events import list_events

COOCCUR_MENTIONS = 200  # co-occurrence looks at the entity's latest mentions, this many at most


def find_entity(conn, text: str, type_: str | None = None) -> str | None:
    """An entity id given its id, name or alias (case-insensitive), as its canonical id."""
    e, a = S.entities, S.entity_aliases
    text = text.strip()
    if not text:
        return None
    if conn.execute(select(e.c.id).where(e.c.id == text)).first():
        return canonical_id(conn, text)
    q = select(e.c.id).where(or_(func.lower(e.c.name) == text.lower(), e.c.id.in_(select(a.c.entity).where(func.lower(a.c.alias) == text.lower()))))
    if type_:
        q = q.where(e.c.type == type_)
    row = conn.execute(q.order_by(e.c.canonical.is_not(None), e.c.id).limit(1)).first()
    return canonical_id(conn, row[0]) if row else None


def top_entities(conn, limit: int = 50, type_: str | None = None) -> list[dict]:
    """The most mentioned entities, merged ones counted under their canonical. Mentions are
    counted per entity first (from the index alone), then summed per canonical entity."""
    e, m = S.entities, S.mentions
    per_entity = select(m.c.entity, func.count().label("n")).group_by(m.c.entity).subquery()
    cid = func.coalesce(e.c.canonical, e.c.id)
    n = func.sum(per_entity.c.n).label("mentions")
    q = select(cid.label("cid"), n).join(per_entity, per_entity.c.entity == e.c.id).group_by(cid)
    if type_:
        q = q.where(e.c.type == type_)
    rows = conn.execute(q.order_by(n.desc(), cid).limit(limit)).fetchall()
    names = _canonical_map(conn, [r.cid for r in rows])
    return [{**names[r.cid], "mentions": int(r.mentions)} for r in rows if r.cid in names]


def get_entity(conn, entity_id: str, *, limit: int = 100, short: int = 50) -> dict | None:
    """The entity with everything of the entities merged into it: aliases (with the reason for
    each), merged entities (with the merge reason), mentions, events by date, figures, places and
    co-occurring entities, each linked to its sentence. None if there is no such entity.
    At most `limit` events (by date) and `short` mentions (latest first), figures, places
    and co-occurring entities.
    Call it with a canonical id (see `canonical_id`)."""
    e, a, m = S.entities, S.entity_aliases, S.mentions
    row = conn.execute(select(e).where(e.c.id == entity_id)).first()
    if row is None:
        return None
    merged = [
        {"id": r.id, "name": r.name, "type": r.type, "merge_reason": r.merge_reason}
        for r in conn.execute(select(e.c.id, e.c.name, e.c.type, e.c.merge_reason).where(e.c.canonical == entity_id))
    ]
    merged.sort(key=lambda x: (x["name"], x["id"]))
    ids = [entity_id] + [x["id"] for x in merged]
    # sorted here, in code-point order, so both backends agree whatever the database's collation
    aliases = sorted(({"alias": r.alias, "reason": r.reason} for r in conn.execute(select(a).where(a.c.entity.in_(ids)))), key=lambda x: x["alias"])
    for x in merged:  # a merged entity's own name is one of this entity's surface forms
        if x["name"] != row.name and x["name"] not in {al["alias"] for al in aliases}:
            aliases.append({"alias": x["name"], "reason": x["merge_reason"]})
    aliases = [al for al in aliases if al["alias"] != row.name]
    sent = _sentence(m, m.c.sentence_start, m.c.sentence_end).label("sentence_text")
    ments = []
    for r in conn.execute(select(m, sent).where(m.c.entity.in_(ids)).order_by(m.c.doc.desc(), m.c.start, m.c.end).limit(short)):
        rec = mention_record(r)
        rec["sentence_text"] = r.sentence_text
        ments.append(rec)
    rec = entity_record(row, aliases, ments)
    rec["merged"] = merged
    rec["members"] = ids
    rec["mentions_total"] = conn.execute(select(func.count()).select_from(m).where(m.c.entity.in_(ids))).scalar_one()
    rec["events"] = list_events(conn, entity_ids=ids, limit=limit, primary_only=True)
    rec["claims"] = entity_claims(conn, ids, limit=short)
    places, others = cooccurring(conn, ids)
    for ev in rec["events"]:  # an event's place is one of the entity's places too
        if ev["place"]:
            places_add(places, ev["place_record"], ev["doc"], ev["sentence"]["start"])
    rec["places"] = _ranked(places)[:short]
    rec["cooccurring"] = _ranked(others)[:short]
    return rec


def cooccurring(conn, ids: list[str]) -> tuple[dict, dict]:
    """Places and other entities named in the same sentences as any of `ids`, keyed by their
    canonical id, each with the number of sentences shared and one such sentence
    (accumulators for `places_add`; `_ranked` turns them into lists).
    Counted in SQL over the entity's latest COOCCUR_MENTIONS mentions, so a very common
    entity's page stays fast."""
    m2 = S.mentions.alias("m2")
    mine = _latest_sentences(ids)
    # "doc:start" of the shared sentence: counted distinct, and its least value is a sentence
    # both are named in (the link), on either backend.
    at = m2.c.doc + literal(":") + cast(m2.c.sentence_start, String)
    q = (
        select(m2.c.entity, func.count(at.distinct()).label("n"), func.min(at).label("at"))
        .join(mine, and_(m2.c.doc == mine.c.doc, m2.c.sentence_start == mine.c.sentence_start))
        .where(m2.c.entity.not_in(ids))
        .group_by(m2.c.entity)
    )
    rows = conn.execute(q).fetchall()
    canon = _canonical_map(conn, [r.entity for r in rows])
    places: dict = {}
    others: dict = {}
    for r in rows:
        c = canon.get(r.entity)
        if c is None or c["id"] in ids or c["type"] == "NORP":  # nationalities are adjectives here, not someone who appears
            continue
        acc = places if c["type"] == "PLACE" else others
        doc, _, start = r.at.rpartition(":")
        p = acc.setdefault(c["id"], {**c, "count": 0, "doc": doc, "start": int(start)})
        p["count"] += r.n  # members of one canonical entity add up
    return places, others


def _latest_sentences(ids: list[str]):
    """The sentences of the entity's latest COOCCUR_MENTIONS mentions, as a subquery (doc, sentence_start)."""
    m = S.mentions
    latest = select(m.c.doc, m.c.sentence_start).where(m.c.entity.in_(ids)).order_by(m.c.doc.desc(), m.c.start.desc()).limit(COOCCUR_MENTIONS).subquery()
    return select(latest.c.doc, latest.c.sentence_start).distinct().subquery()


def entity_claims(conn, ids: list[str], *, limit: int = MAX_PAGE) -> list[dict]:
    """Figures given by the entity, or stated in a sentence that names it (among its latest
    COOCCUR_MENTIONS mentions)."""
    c = S.claims
    named = _latest_sentences(ids)
    in_sentence = select(c.c.id).join(named, and_(named.c.doc == c.c.doc, named.c.sentence_start == c.c.sentence_start))
    return list_claims(conn, where=c.c.id.in_(union(select(c.c.id).where(c.c.source_entity.in_(ids)), in_sentence)), limit=limit)
