"""JSON behind the pages' drawings (map, timelines, network, charts) under /api/viz/.

Shaped for drawing, not for export: dates come as spans of their own precision
(`spans.date_span`), places with their coordinates and why they are on the map, and every
item with the address of the sentence that states it (`/documents/{doc}#s{start}`).
Entity ids are read through `COALESCE(canonical, id)`: an entity merged into another is
drawn as the one it was merged into. Parameterised queries only; sizes are bounded.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

import pycountry
from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import Engine, String, and_, cast, func, or_, select

from ..store import schema as S
from .spans import date_span

MAX_ITEMS = 2000  # events on one timeline
MAX_NEIGHBOURS = 40  # entities around one entity in its network
MAX_FILTER_IDS = 50  # ids in one entity= or place= filter
MAX_UNPLACED = 50  # places without coordinates listed beside a map
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"

E, M, EV, P, C = S.entities, S.mentions, S.events, S.event_participants, S.claims
ROOT = func.coalesce(E.c.canonical, E.c.id)


def sentence_url(doc: str, start: int | None) -> str:
    return f"/documents/{doc}" + (f"#s{start}" if start is not None else "")


@lru_cache(maxsize=512)
def _numeric(alpha2: str | None) -> str | None:
    """ISO 3166 numeric code of a country (world-atlas names its outlines by it)."""
    c = pycountry.countries.get(alpha_2=alpha2) if alpha2 else None
    return c.numeric if c else None


def _root(conn, entity_id: str) -> str:
    """The id an entity is drawn as (itself, or the entity it was merged into); 404 if unknown."""
    row = conn.execute(select(ROOT).where(E.c.id == entity_id)).first()
    if row is None:
        raise HTTPException(status_code=404, detail=f"no entity with id {entity_id!r}")
    return row[0]


def _members(root: str):
    """Subquery: every entity id drawn as `root`."""
    return _members_of([root])


def _members_of(roots: list[str]):
    """Subquery: every entity id drawn as one of `roots` (ids that stand for themselves): the
    roots and what was merged into them. Written so both sides use an index (the primary key,
    ix_entities_canonical), not COALESCE over the whole table."""
    return select(E.c.id).where(or_(and_(E.c.id.in_(roots), E.c.canonical.is_(None)), E.c.canonical.in_(roots)))


def _entities(conn, ids) -> dict[str, dict]:
    rows = conn.execute(select(E.c.id, E.c.type, E.c.name, E.c.lat, E.c.lon, E.c.country, E.c.geo_precision, E.c.geo_reason).where(E.c.id.in_(list(ids))))
    return {r.id: dict(r._mapping) for r in rows}


def _roots_of(conn, ids) -> dict[str, str]:
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    return {r[0]: r[1] for r in conn.execute(select(E.c.id, ROOT).where(E.c.id.in_(ids)))}


# --- events ---------------------------------------------------------------------------------
def _event_where(q, *, members=None, type_=None, since=None, until=None, place=None):
    """`q` narrowed to the events matching the filters of /api/events (`members`, `place`:
    subqueries of entity ids)."""
    if members is not None:
        q = q.where(or_(EV.c.id.in_(select(P.c.event).where(P.c.entity.in_(members))), EV.c.place.in_(members), EV.c.attributed_entity.in_(members)))
    if type_:
        q = q.where(EV.c.type == type_)
    if since:
        q = q.where(EV.c.date_value >= since)
    if until:
        q = q.where(EV.c.date_value <= until + "\uffff")  # "2019" takes in "2019-03-05"
    if place is not None:
        q = q.where(EV.c.place.in_(place))
    return q


def _event_rows(conn, *, limit=MAX_ITEMS, **filters):
    cols = [EV.c.id, EV.c.type, EV.c.modality, EV.c.trigger_text, EV.c.date_value, EV.c.date_text, EV.c.place, EV.c.doc, EV.c.sentence_start, EV.c.same_as]
    q = _event_where(select(*cols), **filters)
    return conn.execute(q.order_by(EV.c.date_value.nulls_last(), EV.c.doc, EV.c.trigger_start).limit(limit)).fetchall()


def _event_places(conn, **filters) -> tuple[Counter, int]:
    """How many matching events each place (by root id) holds, and how many events match."""
    pl = E.alias("pl")
    pid = func.coalesce(pl.c.canonical, pl.c.id)
    once = _once(filters)
    q = _event_where(select(pid, func.count()).select_from(EV.join(pl, pl.c.id == EV.c.place)).where(once), **filters)
    counts = Counter({r[0]: r[1] for r in conn.execute(q.group_by(pid))})
    total = conn.execute(_event_where(select(func.count()).select_from(EV).where(once), **filters)).scalar_one()
    return counts, total


def _once(filters):
    """Condition counting an event reported again (same_as) once: the repeat is left out unless
    what it repeats falls outside the filters."""
    return or_(EV.c.same_as.is_(None), EV.c.same_as.not_in(_event_where(select(EV.c.id), **filters)))


def _by_year(conn, **filters) -> list[dict]:
    """How many matching events each type has in each year: a date of a year or finer falls in
    one year exactly; a decade or century fits in none and is left out."""
    year = func.substr(EV.c.date_value, 1, 4)
    q = _event_where(select(EV.c.type, year, func.count()).where(EV.c.date_value.is_not(None), _once(filters)), **filters)
    q = q.group_by(EV.c.type, year)
    out = []
    for type_, y, n in conn.execute(q):
        span = date_span(y)
        if span and span["precision"] == "year":
            out.append({"type": type_, "year": y, "start": span["start"], "end": span["end"], "count": n})
    return sorted(out, key=lambda d: (d["type"], d["year"]))


def _timeline(conn, rows, limit: int) -> dict:
    """Dated events as timeline items, the first `limit` rows by date (`more` says whether there
    were others); undated ones are only counted (nothing to place them by). An event another
    article also reports (`same_as`) is one item, with the other reports under `also`."""
    more = len(rows) > limit
    rows = rows[:limit]
    roots = _roots_of(conn, [r.place for r in rows])
    places = _entities(conn, set(roots.values()))
    ids = {r.id for r in rows}
    also: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r.same_as in ids:
            also[r.same_as].append(sentence_url(r.doc, r.sentence_start))
    items, undated = [], 0
    for r in rows:
        if r.same_as in ids:
            continue
        span = date_span(r.date_value)
        if span is None:
            undated += 1
            continue
        place = places.get(roots.get(r.place))
        items.append(
            {
                "id": r.id,
                "type": r.type,
                "modality": r.modality,
                "trigger": r.trigger_text,
                "date": span | {"text": r.date_text},
                "place": {"id": place["id"], "name": place["name"]} if place else None,
                "doc": r.doc,
                "url": sentence_url(r.doc, r.sentence_start),
                "also": also.get(r.id, []),
            }
        )
    return {"items": items, "undated": undated, "more": more}


def _place_records(conn, counts: dict[str, Counter], reasons) -> dict:
    """Places (by root id) with coordinates and why each is drawn; those without coordinates listed apart."""
    ents = _entities(conn, counts)
    places, unplaced = [], []
    for pid, n in sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        e = ents.get(pid)
        if e is None or (e["type"] != "PLACE" and e["lat"] is None):
            continue  # a person or group named alongside: not a place
        rec = {"id": pid, "name": e["name"], "url": f"/entities/{pid}", "reason": reasons(n), "count": n["events"] + n["sentences"], "events": n["events"], "sentences": n["sentences"]}
        if e["lat"] is None or e["lon"] is None:
            unplaced.append(rec | {"geo_reason": e["geo_reason"]})
            continue
        rec |= {"lat": e["lat"], "lon": e["lon"], "country": e["country"], "country_numeric": _numeric(e["country"]), "precision": e["geo_precision"], "geo_reason": e["geo_reason"]}
        places.append(rec)
    # Named in the note under the map: the most-counted few are enough.
    return {"places": places, "unplaced": unplaced[:MAX_UNPLACED], "unplaced_count": len(unplaced)}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# --- sentences in common --------------------------------------------------------------------
def _sentence_key(doc_col, start_col):
    """One string per sentence ("doc:start"), so the database can count and pick sentences."""
    return doc_col + ":" + cast(start_col, String)


def _own_sentences(conn, root: str) -> int:
    own = select(M.c.doc, M.c.sentence_start).where(M.c.entity.in_(_members(root)), M.c.sentence_start.is_not(None)).distinct().subquery()
    return conn.execute(select(func.count()).select_from(own)).scalar_one()


def _together(conn, root: str, limit: int | None = None) -> dict[str, tuple[int, str]]:
    """Each other entity (by root id) named in a sentence with `root`: how many such sentences,
    and one of them ("doc:start"); the `limit` with the most sentences when given.
    Counted by the database: a popular entity shares tens of thousands of sentences."""
    m1, m2 = M.alias("m1"), M.alias("m2")
    root2 = func.coalesce(E.c.canonical, E.c.id)
    pairs = (
        select(root2.label("other"), m2.c.doc, m2.c.sentence_start)
        .select_from(m1.join(m2, and_(m2.c.doc == m1.c.doc, m2.c.sentence_start == m1.c.sentence_start)).join(E, E.c.id == m2.c.entity))
        .where(m1.c.entity.in_(_members(root)), m1.c.sentence_start.is_not(None))
        .distinct()
        .subquery()
    )
    n = func.count().label("n")
    q = select(pairs.c.other, n, func.min(_sentence_key(pairs.c.doc, pairs.c.sentence_start))).where(pairs.c.other != root).group_by(pairs.c.other).order_by(n.desc(), pairs.c.other)
    if limit:
        q = q.limit(limit)
    return {r[0]: (r[1], r[2]) for r in conn.execute(q)}


def _links_among(conn, root: str, near: list[str]) -> list[tuple[str, str, int, str]]:
    """(a, b, sentences, one of them) for each pair of `near` (root ids) named in a sentence
    together, in the articles that name `root` (bounded by the entity's own size: two capitals
    share thousands of sentences across a large corpus)."""
    if len(near) < 2:
        return []
    docs = select(M.c.doc).where(M.c.entity.in_(_members(root)))
    q = (
        select(ROOT, M.c.doc, M.c.sentence_start)
        .join(E, E.c.id == M.c.entity)
        .where(M.c.entity.in_(_members_of(near)), M.c.sentence_start.is_not(None), M.c.doc.in_(docs))
        .distinct()
    )
    # Grouped here rather than by a self-join: the rows are few, the join's work is not.
    by_sentence: dict[tuple[str, int], list[str]] = defaultdict(list)
    for r, doc, start in conn.execute(q):
        by_sentence[(doc, start)].append(r)
    pairs: dict[tuple[str, str], list] = {}
    for (doc, start), names in by_sentence.items():
        names.sort()
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                seen = pairs.setdefault((a, b), [0, f"{doc}:{start}"])
                seen[0] += 1
                seen[1] = min(seen[1], f"{doc}:{start}")
    return [(a, b, n, key) for (a, b), (n, key) in sorted(pairs.items())]


def _url_of(key: str) -> str:
    doc, start = key.rsplit(":", 1)
    return sentence_url(doc, int(start))


def make_router(engine: Engine) -> APIRouter:
    """The /api/viz/... routes, reading `engine`."""
    router = APIRouter(prefix="/api/viz", tags=["drawings"])

    @router.get("/entities/{entity_id}/timeline")
    def entity_timeline(entity_id: str, limit: int = Query(MAX_ITEMS, ge=1, le=MAX_ITEMS)):
        """The entity's events (as participant, place or source) as spans on a timeline."""
        with engine.connect() as conn:
            root = _root(conn, entity_id)
            out = {"entity": root} | _timeline(conn, _event_rows(conn, members=_members(root), limit=limit + 1), limit)
            if out["more"]:
                out["by_year"] = _by_year(conn, members=_members(root))
            return out

    @router.get("/entities/{entity_id}/places")
    def entity_places(entity_id: str):
        """The entity itself when it is a place, the places of its events, and the places named
        in a sentence with it, each with why it is on the map."""
        with engine.connect() as conn:
            root = _root(conn, entity_id)
            counts: dict[str, Counter] = defaultdict(Counter)
            counts[root]["itself"] = 1
            for pid, n in _event_places(conn, members=_members(root))[0].items():
                counts[pid]["events"] += n
            for other, (n, _) in _together(conn, root).items():
                counts[other]["sentences"] += n

            def reasons(n: Counter) -> str:
                parts = ["the entity itself"] if n["itself"] else []
                if n["events"]:
                    parts.append("place of " + _plural(n["events"], "event", "events"))
                if n["sentences"]:
                    parts.append("named with it in " + _plural(n["sentences"], "sentence", "sentences"))
                return "; ".join(parts)

            return {"entity": root} | _place_records(conn, counts, reasons)

    @router.get("/entities/{entity_id}/network")
    def entity_network(entity_id: str, limit: int = Query(25, ge=1, le=MAX_NEIGHBOURS)):
        """Who is named in the same sentences as the entity (the strongest `limit`), and how
        often those are named together themselves."""
        with engine.connect() as conn:
            root = _root(conn, entity_id)
            together = _together(conn, root)
            near = list(together)[:limit]
            ents = _entities(conn, [root, *near])
            near = [i for i in near if i in ents]
            own = _own_sentences(conn, root)
            nodes = [{"id": i, "name": ents[i]["name"], "type": ents[i]["type"], "weight": own if i == root else together[i][0], "ego": i == root, "url": f"/entities/{i}"} for i in [root, *near]]
            links = [{"source": root, "target": i, "weight": together[i][0], "url": _url_of(together[i][1])} for i in near]
            # Links among the neighbours: sentences they share in the articles that name the entity.
            links += [{"source": a, "target": b, "weight": n, "url": _url_of(key)} for a, b, n, key in _links_among(conn, root, near)]
            return {"entity": root, "nodes": nodes, "links": links, "others": max(0, len(together) - len(near))}

    def _ids(conn, name: str, ids: list[str]):
        """Subquery of every entity id drawn as one of `ids` (a name resolved by the events page
        may stand for several entities); None when no id is given."""
        if not ids:
            return None
        if len(ids) > MAX_FILTER_IDS or any(len(i) > 40 for i in ids):
            raise HTTPException(status_code=422, detail=f"parameter {name!r}: at most {MAX_FILTER_IDS} entity ids of 40 characters or fewer")
        roots = {_root(conn, i) for i in ids}
        return _members_of(sorted(roots))

    def _filters(conn, entity, place):
        return _ids(conn, "entity", entity), _ids(conn, "place", place)

    @router.get("/events")
    def events_timeline(
        entity: list[str] = Query([], description="entity id; repeat for several (events of any of them)"),
        type: str | None = Query(None, max_length=16),
        since: str | None = Query(None, pattern=DATE),
        until: str | None = Query(None, pattern=DATE),
        place: list[str] = Query([], description="place entity id; repeat for several"),
        limit: int = Query(MAX_ITEMS, ge=1, le=MAX_ITEMS),
    ):
        """Events matching the filters of /api/events, as spans on a timeline. When more match
        than `limit`, `by_year` counts all the dated ones per type and year, for an overview."""
        with engine.connect() as conn:
            members, places = _filters(conn, entity, place)
            filters = {"members": members, "type_": type, "since": since, "until": until, "place": places}
            out = _timeline(conn, _event_rows(conn, limit=limit + 1, **filters), limit)
            if out["more"]:
                out["by_year"] = _by_year(conn, **filters)
            return out

    @router.get("/events/places")
    def events_places(
        entity: list[str] = Query([], description="entity id; repeat for several (events of any of them)"),
        type: str | None = Query(None, max_length=16),
        since: str | None = Query(None, pattern=DATE),
        until: str | None = Query(None, pattern=DATE),
        place: list[str] = Query([], description="place entity id; repeat for several"),
    ):
        """The places of the events matching the filters, with how many events each."""
        with engine.connect() as conn:
            members, places = _filters(conn, entity, place)
            per_place, total = _event_places(conn, members=members, type_=type, since=since, until=until, place=places)
            counts = {pid: Counter(events=n) for pid, n in per_place.items()}
            return _place_records(conn, counts, lambda n: "place of " + _plural(n["events"], "event", "events")) | {"events": total}

    @router.get("/claims/{group}")
    def claims_chart(group: str):
        """The figures of one group over their as-of dates, with bounds and conflicts."""
        with engine.connect() as conn:
            rows = conn.execute(select(C).where(C.c.group_id == group).order_by(C.c.as_of_value, C.c.doc, C.c.start).limit(MAX_ITEMS)).fetchall()
            if not rows:
                raise HTTPException(status_code=404, detail=f"no figures in group {group!r}")
            conflicts: dict[str, list] = defaultdict(list)
            k = S.claim_conflicts
            for r in conn.execute(select(k).where(k.c.claim.in_([r.id for r in rows]))):
                conflicts[r.claim].append({"other": r.other, "reason": r.reason})
            points = [
                {
                    "id": r.id,
                    "value": r.value,
                    "lower": r.lower,
                    "upper": r.upper,
                    "approximate": bool(r.approximate),
                    "text": r.text,
                    "as_of": date_span(r.as_of_value),
                    "source": r.source_text,
                    "conflicts": conflicts.get(r.id, []),
                    "doc": r.doc,
                    "url": sentence_url(r.doc, r.sentence_start),
                }
                for r in rows
            ]
            whats = Counter(r.what for r in rows if r.what)
            units = Counter(r.unit for r in rows if r.unit)
            return {"group": group, "what": whats.most_common(1)[0][0] if whats else None, "unit": units.most_common(1)[0][0] if units else None, "points": points}

    @router.get("/documents/by-month")
    def documents_by_month():
        """How many articles were published each month; those dated to the year only, and
        those with no date, are counted apart (they have no month to stand in)."""
        d = S.documents
        with engine.connect() as conn:
            rows = conn.execute(select(d.c.published, d.c.duplicate_of.is_not(None)))
            months: dict[str, Counter] = defaultdict(Counter)
            year_only = undated = 0
            for published, is_copy in rows:
                span = date_span(published[:7] if published and len(published) >= 7 else published)
                if span is None:
                    undated += 1
                elif span["precision"] != "month":
                    year_only += 1
                else:
                    months[span["value"]]["copies" if is_copy else "originals"] += 1
            out = []
            for m in sorted(months):
                span = date_span(m)
                out.append({"month": m, "start": span["start"], "end": span["end"], "label": span["label"], "count": sum(months[m].values()), "copies": months[m]["copies"]})
            return {"months": out, "year_only": year_only, "undated": undated}

    return router
