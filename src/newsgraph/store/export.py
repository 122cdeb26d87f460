"""Export formats: the contract's JSON Lines files (and CSV beside them).

Each record is built by one function (`document_record`, `entity_records`, ...) that the web
API reuses, so the HTTP answers and the export files never drift apart.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import Engine, func, select

from . import schema as S
from .db import code_point_order

FILES = ("documents", "entities", "events", "claims", "quotes")


def document_record(row) -> dict:
    return {
        "id": row.id,
        "source": row.source,
        "title": row.title,
        "published": row.published,
        "published_basis": row.published_basis,
        "language": row.language,
        "text": row.text,
        "duplicate_of": row.duplicate_of,
        # extras beyond the contract
        "url": row.url,
        "outlet": row.outlet,
        "byline": row.byline,
        "published_reason": row.published_reason,
        "duplicate_reason": row.duplicate_reason,
    }


def iter_documents(conn) -> Iterator[dict]:
    for row in conn.execute(select(S.documents).order_by(S.documents.c.id)):
        yield document_record(row)


def entity_record(row, aliases: list[dict], mentions: list[dict], merged: list[dict] | None = None) -> dict:
    """One canonical entity; `merged` lists the entities merged into it, each with its reason."""
    geo = None
    if row.lat is not None:
        geo = {"lat": row.lat, "lon": row.lon, "country": row.country}
    return {
        "id": row.id,
        "type": row.type,
        "name": row.name,
        "aliases": sorted({a["alias"] for a in aliases}),
        "mentions": mentions,
        "geo": geo,
        # extras: the reasons behind each automatic decision
        "reason": row.reason,
        "alias_reasons": {a["alias"]: a["reason"] for a in aliases},
        "geo_precision": row.geo_precision,
        "geo_reason": row.geo_reason,
        "geonameid": row.geonameid,
        "merged": merged or [],
    }


def mention_record(m) -> dict:
    return {
        "doc": m.doc,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "sentence": {"start": m.sentence_start, "end": m.sentence_end},
        "link_reason": m.link_reason,
    }


def canonical_ids(conn) -> dict[str, str]:
    """Merged entity id -> the canonical id it was merged into (entities standing alone are absent)."""
    E = S.entities
    return {r.id: r.canonical for r in conn.execute(select(E.c.id, E.c.canonical).where(E.c.canonical.is_not(None)))}


def to_canonical(row, canon: dict[str, str], *columns: str):
    """`row` with its entity references in `columns` mapped to canonical ids (as attributes)."""
    if not canon or not any(getattr(row, c) in canon for c in columns):
        return row
    values = row._asdict()
    for c in columns:
        values[c] = canon.get(values[c], values[c])
    return SimpleNamespace(**values)


class _Stream:
    """Rows ordered by a `root` column, handed out one root's run at a time (ids ascending)."""

    def __init__(self, rows):
        self._groups = groupby(rows, key=lambda r: r.root)
        self._next = next(self._groups, None)

    def take(self, root: str) -> list:
        while self._next is not None and self._next[0] < root:
            self._next = next(self._groups, None)
        if self._next is None or self._next[0] != root:
            return []
        out = list(self._next[1])
        self._next = next(self._groups, None)
        return out


def iter_entities(conn) -> Iterator[dict]:
    """Canonical entities (those not merged into another), streamed in id order (memory flat).

    An entity's aliases include the names and aliases of the entities merged into it (each
    name with its merge reason) and its mentions are the union of theirs.
    """
    E, A, M = S.entities, S.entity_aliases, S.mentions
    root = func.coalesce(E.c.canonical, E.c.id)
    aliases = _Stream(conn.execute(
        select(root.label("root"), A.c.alias, A.c.reason).join(E, E.c.id == A.c.entity)
        .order_by(root, code_point_order(conn, A.c.alias), A.c.entity)  # same file from either backend
    ))
    merged = _Stream(conn.execute(
        select(E.c.canonical.label("root"), E.c.id, E.c.name, E.c.merge_reason)
        .where(E.c.canonical.is_not(None))
        .order_by(E.c.canonical, E.c.id)
    ))
    mentions = _Stream(conn.execute(
        select(root.label("root"), *M.c).join(E, E.c.id == M.c.entity).order_by(root, M.c.doc, M.c.start)
    ))
    for row in conn.execute(select(E).where(E.c.canonical.is_(None)).order_by(E.c.id)):
        mens = [mention_record(m) for m in mentions.take(row.id)]
        if not mens:  # an entity whose every mention was removed is not exported
            continue
        members = [{"id": m.id, "name": m.name, "reason": m.merge_reason} for m in merged.take(row.id)]
        als: dict[str, dict] = {}
        for m in members:
            if m["name"] != row.name:
                als.setdefault(m["name"], {"alias": m["name"], "reason": m["reason"]})
        for a in aliases.take(row.id):
            if a.alias != row.name:
                als.setdefault(a.alias, {"alias": a.alias, "reason": a.reason})
        yield entity_record(row, list(als.values()), mens, members)


def event_record(row, participants: list[dict], sources: list[dict] | None = None) -> dict:
    """One event as the contract gives it; `sources` are the sentences of every report of it
    (its own alone when no other article reports it), earliest report first."""
    if sources is None:
        sources = [{"doc": row.doc, "sentence": {"start": row.sentence_start, "end": row.sentence_end}}]
    return {
        "id": row.id,
        "doc": row.doc,
        "type": row.type,
        "trigger": {"start": row.trigger_start, "end": row.trigger_end, "text": row.trigger_text},
        "sentence": {"start": row.sentence_start, "end": row.sentence_end},
        "date": {"value": row.date_value, "text": row.date_text} if row.date_text else None,
        "place": row.place,
        "participants": participants,
        "attributed_to": {"entity": row.attributed_entity, "text": row.attributed_text} if row.attributed_text else None,
        "modality": row.modality,
        "plover": row.plover,
        "reliability": row.reliability,
        "same_as": row.same_as,
        "same_as_reason": row.same_as_reason,
        "sources": sources,
    }


def event_sources(conn) -> dict[str, list[dict]]:
    """The source sentences of events reported by several articles, by the id of the earliest
    report (`same_as`, or the event's own id), earliest report first."""
    EV, D = S.events, S.documents
    q = (
        select(EV.c.id, EV.c.same_as, EV.c.doc, EV.c.sentence_start, EV.c.sentence_end, D.c.published, D.c.seq)
        .join(D, D.c.id == EV.c.doc)
        .where(EV.c.same_as.is_not(None) | EV.c.id.in_(select(EV.c.same_as).where(EV.c.same_as.is_not(None))))
    )
    key = lambda r: (r.same_as is not None, r.published is None, r.published or "", r.seq or 0, r.doc)  # noqa: E731
    out: dict[str, list[dict]] = {}
    for r in sorted(conn.execute(q), key=key):
        out.setdefault(r.same_as or r.id, []).append({"doc": r.doc, "sentence": {"start": r.sentence_start, "end": r.sentence_end}})
    return out


def iter_events(conn) -> Iterator[dict]:
    P = S.event_participants
    canon = canonical_ids(conn)
    parts = {}
    for p in conn.execute(select(P).order_by(P.c.event, P.c.idx)):
        parts.setdefault(p.event, []).append({"role": p.role, "entity": canon.get(p.entity, p.entity), "text": p.text})
    sources = event_sources(conn)
    for row in conn.execute(select(S.events).order_by(S.events.c.doc, S.events.c.trigger_start)):
        yield event_record(to_canonical(row, canon, "place", "attributed_entity"), parts.get(row.id, []),
                           sources.get(row.same_as or row.id))


def claim_record(row, conflicts: list[dict], copy_of: str | None = None) -> dict:
    """One figure as the contract gives it; `copy_of` names the original's claim when this one
    repeats it in a syndicated copy (counted once, under the original)."""
    return {
        "id": row.id,
        "doc": row.doc,
        "value": row.value,
        "lower": row.lower,
        "upper": row.upper,
        "approximate": bool(row.approximate),
        "what": row.what,
        "sentence": {"start": row.sentence_start, "end": row.sentence_end},
        "source": {"entity": row.source_entity, "text": row.source_text} if row.source_text else None,
        "as_of": {"value": row.as_of_value, "text": row.as_of_text} if row.as_of_text else None,
        "group": row.group_id,
        "conflicts_with": [c["other"] for c in conflicts],
        # extras
        "text": row.text,
        "unit": row.unit,
        "span": {"start": row.start, "end": row.end},
        "conflict_reasons": {c["other"]: c["reason"] for c in conflicts},
        "reliability": row.reliability,
        "group_label": row.group_label,
        "group_reason": row.group_reason,
        "copy_of": copy_of,
    }


def iter_claims(conn) -> Iterator[dict]:
    C = S.claim_conflicts
    conflicts = {}
    for c in conn.execute(select(C).order_by(C.c.claim, C.c.other)):
        conflicts.setdefault(c.claim, []).append({"other": c.other, "reason": c.reason})
    canon = canonical_ids(conn)
    copies = claim_copies(conn)
    for row in conn.execute(select(S.claims).order_by(S.claims.c.doc, S.claims.c.start)):
        yield claim_record(to_canonical(row, canon, "source_entity"), conflicts.get(row.id, []), copies.get(row.id))


def claim_copies(conn) -> dict[str, str]:
    """Claims of syndicated copies that repeat a figure of their original, mapped to it: same
    group, same value and bounds, in the document the copy's duplicate_of names."""
    C, D = S.claims, S.documents
    O = C.alias("original")  # noqa: E741
    q = (
        select(C.c.id, O.c.id.label("original"))
        .join(D, D.c.id == C.c.doc)
        .join(O, (O.c.doc == D.c.duplicate_of) & (O.c.group_id == C.c.group_id))
        .where(
            O.c.value.is_not_distinct_from(C.c.value),
            O.c.lower.is_not_distinct_from(C.c.lower),
            O.c.upper.is_not_distinct_from(C.c.upper),
        )
        .order_by(C.c.id, O.c.start)
    )
    out: dict[str, str] = {}
    for r in conn.execute(q):
        out.setdefault(r.id, r.original)
    return out


def quote_record(row) -> dict:
    return {
        "doc": row.doc,
        "start": row.start,
        "end": row.end,
        "text": row.text,
        "speaker": {"entity": row.speaker_entity, "text": row.speaker_text} if row.speaker_text else None,
    }


def iter_quotes(conn) -> Iterator[dict]:
    canon = canonical_ids(conn)
    for row in conn.execute(select(S.quotes).order_by(S.quotes.c.doc, S.quotes.c.start)):
        yield quote_record(to_canonical(row, canon, "speaker_entity"))


ITERATORS = {
    "documents": iter_documents,
    "entities": iter_entities,
    "events": iter_events,
    "claims": iter_claims,
    "quotes": iter_quotes,
}


def _csv_value(v):
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


def export(engine: Engine, out: str | Path, *, csv_too: bool = True) -> dict[str, int]:
    """Write `<name>.jsonl` (and `<name>.csv`) for each contract file; return record counts."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    with engine.connect() as conn:
        for name in FILES:
            n = 0
            jpath, cpath = out / f"{name}.jsonl", out / f"{name}.csv"
            with open(jpath, "w", encoding="utf-8") as jf:
                cf = open(cpath, "w", encoding="utf-8", newline="") if csv_too else None
                writer = None
                try:
                    for rec in ITERATORS[name](conn):
                        jf.write(json.dumps(rec, ensure_ascii=False) + "\n")
                        if cf is not None:
                            if writer is None:
                                writer = csv.DictWriter(cf, fieldnames=list(rec))
                                writer.writeheader()
                            writer.writerow({k: _csv_value(v) for k, v in rec.items()})
                        n += 1
                finally:
                    if cf is not None:
                        cf.close()
            written[name] = n
    return written
