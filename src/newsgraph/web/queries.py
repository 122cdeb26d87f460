"""Read-side queries shared by the HTML pages and the JSON API.

Parameterised SQLAlchemy Core only, portable between SQLite and PostgreSQL. Every list is
bounded (MAX_PAGE). Entity identity: a row with `canonical` set was merged into that entity,
so a reader works on the *members* of an entity (itself and everything merged into it) and
shows each id as its canonical one.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import String, and_, bindparam, case, cast, func, literal, or_, select, union

from ..store import schema as S
from ..store.export import claim_record, document_record, entity_record, event_record, mention_record

MAX_PAGE = 200
COOCCUR_MENTIONS = 200  # co-occurrence looks at the entity's latest mentions, this many at most


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


# --- entity identity ---------------------------------------------------------------------------


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


# --- lists for the home page -------------------------------------------------------------------


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


# --- entity page -------------------------------------------------------------------------------


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


# --- documents ----------------------------------------------------------------------------------


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


# --- events -------------------------------------------------------------------------------------


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


# --- figures ------------------------------------------------------------------------------------


def list_claims(conn, *, group=None, q=None, where=None, limit=MAX_PAGE, offset=0) -> list[dict]:
    """Figures ordered by group and as-of date, each with its sentence and its conflicts (with reasons)."""
    c, k = S.claims, S.claim_conflicts
    stmt = select(c.c.id)
    if group:
        stmt = stmt.where(c.c.group_id == group)
    if q:
        stmt = stmt.where(or_(c.c.what.ilike(_like(q), escape="\\"), c.c.text.ilike(_like(q), escape="\\")))
    if where is not None:
        stmt = stmt.where(where)
    order = (c.c.group_id.is_(None), c.c.group_id, c.c.as_of_value.is_(None), c.c.as_of_value, c.c.doc, c.c.start, c.c.id)
    rows = _rows_in_order(conn, c, [r[0] for r in conn.execute(stmt.order_by(*order).limit(limit).offset(offset))])
    conflicts = defaultdict(list)
    if rows:
        for x in conn.execute(select(k).where(k.c.claim.in_([r.id for r in rows])).order_by(k.c.claim, k.c.other)):
            conflicts[x.claim].append({"other": x.other, "reason": x.reason})
    canon = _canonical_map(conn, [r.source_entity for r in rows])
    copies = _claim_copies(conn, [r.id for r in rows]) if rows else {}
    out = []
    for r in rows:
        rec = claim_record(r, conflicts[r.id], copies.get(r.id))
        rec["sentence"]["text"] = r.sentence_text
        if rec["source"] and r.source_entity in canon:
            rec["source"]["entity"] = canon[r.source_entity]["id"]
        out.append(rec)
    return out


def grouped_claims(conn, *, group=None, q=None, limit=MAX_PAGE, offset=0) -> dict:
    """A page of `list_claims` (at most `limit` figures, in group order) as groups of figures
    about the same quantity, each with its label, its size in the whole base and its conflicts
    as pairs with their reasons; figures in no group come apart under `ungrouped`. A group may
    continue on the next page (`next_offset`)."""
    claims = list_claims(conn, group=group, q=q, limit=limit, offset=offset)
    by_group: dict[str, list[dict]] = {}
    ungrouped = []
    for rec in claims:
        (by_group.setdefault(rec["group"], []) if rec["group"] is not None else ungrouped).append(rec)
    c = S.claims
    sizes = dict(conn.execute(select(c.c.group_id, func.count()).where(c.c.group_id.in_(list(by_group))).group_by(c.c.group_id)).fetchall()) if by_group else {}
    groups = []
    for gid, members in by_group.items():
        whats = [x["what"] for x in members if x["what"]]
        label = next((x["group_label"] for x in members if x.get("group_label")), None)
        pairs, seen = [], set()
        for x in members:  # conflicts are stored both ways: each pair once
            for other in x["conflicts_with"]:
                key = frozenset((x["id"], other))
                if key not in seen:
                    seen.add(key)
                    pairs.append({"claim": x["id"], "other": other, "reason": x["conflict_reasons"].get(other)})
        groups.append({
            "group": gid,
            "label": label or (max(sorted(set(whats)), key=whats.count) if whats else None),
            "total": sizes.get(gid, len(members)),
            "claims": members,
            "conflicts": pairs,
        })
    return {"groups": groups, "ungrouped": ungrouped, "offset": offset, "limit": limit,
            "next_offset": offset + limit if len(claims) == limit else None}


def _in_copy():
    """True for a claim in a syndicated copy (the copies are few: a list, not a join)."""
    d = S.documents
    return S.claims.c.doc.in_(select(d.c.id).where(d.c.duplicate_of.is_not(None)))


def _originals():
    return func.sum(case((_in_copy(), 0), else_=1))


def _original_count():
    """Per group, how many of its figures are in articles that are not syndicated copies."""
    c = S.claims
    return select(c.c.group_id, _originals().label("n")).where(c.c.group_id.is_not(None)).group_by(c.c.group_id)


def single_claims(conn, limit=MAX_PAGE) -> list[dict]:
    """Figures no other article states (in no group, or in a group with no other figure outside
    syndicated copies of its article); a copy's repeat is counted once, under its original."""
    c = S.claims
    singles = _original_count().having(_originals() <= 1).with_only_columns(c.c.group_id)
    return list_claims(conn, where=and_(or_(c.c.group_id.is_(None), c.c.group_id.in_(singles)), ~_in_copy()), limit=limit)


def claim_groups(conn, *, group=None, limit=20, offset=0, per_group=50) -> list[dict]:
    """Groups of figures about the same quantity stated in more than one original article
    (largest first), each with its claims by as-of date; repeats in syndicated copies are shown
    marked (`copy_of`), not counted."""
    c = S.claims
    originals = _originals()
    q = _original_count()
    if group:
        q = q.where(c.c.group_id == group)
    else:
        q = q.having(originals > 1)
    gids = [r.group_id for r in conn.execute(q.order_by(originals.desc(), c.c.group_id).limit(limit).offset(offset))]
    if not gids:
        return []
    # At most `per_group` figures of each group, by as-of date (a window over the groups shown).
    rank = func.row_number().over(partition_by=c.c.group_id, order_by=(c.c.as_of_value.is_(None), c.c.as_of_value, c.c.doc, c.c.start))
    ranked = select(c.c.id, rank.label("rn")).where(c.c.group_id.in_(gids)).subquery()
    shown = select(ranked.c.id).where(ranked.c.rn <= per_group)
    sizes = dict(conn.execute(select(c.c.group_id, func.count()).where(c.c.group_id.in_(gids)).group_by(c.c.group_id)).fetchall())
    by_group = defaultdict(list)
    for rec in list_claims(conn, where=c.c.id.in_(shown), limit=per_group * len(gids)):
        by_group[rec["group"]].append(rec)
    out = []
    for g in gids:
        claims = by_group[g]
        whats = [x["what"] for x in claims if x["what"]]
        label = next((x["group_label"] for x in claims if x.get("group_label")), None)
        out.append({"id": g, "what": label or (max(sorted(set(whats)), key=whats.count) if whats else None), "claims": claims, "total": sizes.get(g, 0),
                    "conflicts": sum(len(x["conflicts_with"]) for x in claims) // 2})
    return out


def _claim_copies(conn, ids: list[str]) -> dict[str, str]:
    """For the claims `ids` that repeat a figure of the article their document copies (same
    group, value and bounds), the original claim's id (as the export's `copy_of`). Two small
    look-ups: the claims among `ids` in a copy, then the claims of their originals."""
    c, d = S.claims, S.documents
    in_copies = conn.execute(
        select(c.c.id, c.c.group_id, c.c.value, c.c.lower, c.c.upper, d.c.duplicate_of).join(d, d.c.id == c.c.doc).where(c.c.id.in_(ids), d.c.duplicate_of.is_not(None))
    ).fetchall()
    if not in_copies:
        return {}
    originals = defaultdict(list)
    for r in conn.execute(select(c.c.id, c.c.doc, c.c.group_id, c.c.value, c.c.lower, c.c.upper).where(c.c.doc.in_({x.duplicate_of for x in in_copies})).order_by(c.c.start)):
        originals[(r.doc, r.group_id, r.value, r.lower, r.upper)].append(r.id)
    out = {}
    for x in in_copies:
        match = originals.get((x.duplicate_of, x.group_id, x.value, x.lower, x.upper))
        if match and x.group_id is not None:
            out[x.id] = match[0]
    return out


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


# --- search -------------------------------------------------------------------------------------


def search(conn, q: str, limit: int = 20) -> dict:
    """Entities, events, figures and articles matching `q` in the full-text index, best first,
    each with its source sentence. `note` says when the query's syntax was not understood."""
    from ..store import search as fts

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


def _document_hits(conn, ids: list[str], q: str) -> list[dict]:
    from ..store.search import sentence_for

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
