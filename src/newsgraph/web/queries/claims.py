"""Figure (claim) queries: which figures the base holds, by group and as-of date, each with its
sentence, its conflicts (with reasons) and, in a syndicated copy, the original it repeats; grouped
for the figures page, the groups stated in more than one original article, and the figures no
other article states.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, case, func, or_, select

from ...store import schema as S
from ...store.export import claim_record
from ._common import MAX_PAGE, _canonical_map, _like, _rows_in_order


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
