"""Export formats: the contract's JSON Lines files (and CSV beside them).

Each record is built by one function (`document_record`, `entity_records`, ...) that the web
API reuses, so the HTTP answers and the export files never drift apart.

Memory stays flat in the size of the base: every iterator streams its main query and reads
what a record needs beside it either by an ordered merge-join (entities) or by one lookup per
chunk of CHUNK records (events, claims, quotes). An entity's mentions, which grow with the
base (a well-known name is mentioned in most articles), can be handed out as a `StreamedList`
that the writers below turn into JSON text item by item, never holding the whole array.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby, islice
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import Engine, func, select

from . import schema as S
from .db import code_point_order

FILES = ("documents", "entities", "events", "claims", "quotes")

# Records per side lookup (participants, conflicts, canonical ids, ...): bounds the memory of
# a chunk and the number of parameters in its IN list.
CHUNK = 1000


def _chunks(rows: Iterable) -> Iterator[list]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


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


def canonical_ids(conn, ids: Iterable[str | None] | None = None) -> dict[str, str]:
    """Merged entity id -> the canonical id it was merged into (entities standing alone are
    absent); only for `ids` when given (None among them is skipped), else for the whole base."""
    E = S.entities
    q = select(E.c.id, E.c.canonical).where(E.c.canonical.is_not(None))
    if ids is not None:
        wanted = sorted({i for i in ids if i is not None})
        if not wanted:
            return {}
        q = q.where(E.c.id.in_(wanted))
    return {r.id: r.canonical for r in conn.execute(q)}


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

        self._handed_out = False
        self.moves = 0  # how often the stream moved on: a lazy run is valid until the next move

    def _group(self, root: str):
        if self._handed_out:  # move past the run handed out last (groupby reads what is left of it)
            self._next = next(self._groups, None)
            self._handed_out = False
            self.moves += 1
        while self._next is not None and self._next[0] < root:
            self._next = next(self._groups, None)
        if self._next is None or self._next[0] != root:
            return None
        self._handed_out = True  # advancing groupby now would end this run's iterator
        return self._next[1]

    def take(self, root: str) -> list:
        group = self._group(root)
        return [] if group is None else list(group)

    def take_lazy(self, root: str, make) -> StreamedList | None:
        """`root`'s run as a StreamedList of make(row) (None when it has no rows), to be read
        before the next take; nothing of it is held here."""
        group = self._group(root)
        if group is None:
            return None
        first = next(group, None)
        if first is None:
            return None
        moves = self.moves
        return StreamedList(make(first), (make(r) for r in group), lambda: self.moves == moves)


class StreamedList:
    """A record's array that is read once, item by item, while the record is written.

    Iterating it after its stream moved on (the next record was asked for) or a second time
    raises, instead of silently giving a short array. It always has at least one item.
    """

    def __init__(self, first, rest: Iterator, valid) -> None:
        self._first, self._rest, self._valid, self._used = first, rest, valid, False

    def __iter__(self) -> Iterator:
        if self._used or not self._valid():
            raise RuntimeError("a streamed array is read once, before the next record is asked for")
        self._used = True
        yield self._first
        yield from self._rest


def iter_entities(conn, *, stream_mentions: bool = False) -> Iterator[dict]:
    """Canonical entities (those not merged into another), streamed in id order (memory flat).

    An entity's aliases include the names and aliases of the entities merged into it (each
    name with its merge reason) and its mentions are the union of theirs. With
    `stream_mentions` the mentions are a StreamedList (read it before asking for the next
    record; the writers below do), so a record's size does not grow with the base either.
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
        mens = mentions.take_lazy(row.id, mention_record)
        if mens is None:  # an entity whose every mention was removed is not exported
            continue
        if not stream_mentions:
            mens = list(mens)
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


def event_sources(conn, keys: Iterable[str] | None = None) -> dict[str, list[dict]]:
    """The source sentences of events reported by several articles, by the id of the earliest
    report (`same_as`, or the event's own id), earliest report first; only for the reports
    keyed by `keys` when given."""
    EV, D = S.events, S.documents
    if keys is None:
        q = select(EV.c.id, EV.c.same_as, EV.c.doc, EV.c.sentence_start, EV.c.sentence_end, D.c.published, D.c.seq).join(D, D.c.id == EV.c.doc)
        rows = list(conn.execute(q.where(EV.c.same_as.is_not(None) | EV.c.id.in_(select(EV.c.same_as).where(EV.c.same_as.is_not(None))))))
    else:
        keys = set(keys)
        # Each query on its own index, the documents looked up apart: with an OR, or a join,
        # SQLite may scan a whole table per chunk. Most events have no other report: only
        # the keys that some report points at (same_as) need their original read.
        q = select(EV.c.id, EV.c.same_as, EV.c.doc, EV.c.sentence_start, EV.c.sentence_end)
        reports = list(conn.execute(q.where(EV.c.same_as.in_(sorted(keys))))) if keys else []
        seen = {r.id for r in reports}
        originals = sorted({r.same_as for r in reports})
        if originals:
            reports += [r for r in conn.execute(q.where(EV.c.id.in_(originals))) if r.id not in seen]
        docs = sorted({r.doc for r in reports})
        docs = {d.id: d for d in conn.execute(select(D.c.id, D.c.published, D.c.seq).where(D.c.id.in_(docs)))} if docs else {}
        rows = [SimpleNamespace(**r._asdict(), published=docs[r.doc].published, seq=docs[r.doc].seq) for r in reports if r.doc in docs]
    key = lambda r: (r.same_as is not None, r.published is None, r.published or "", r.seq or 0, r.doc)  # noqa: E731
    out: dict[str, list[dict]] = {}
    for r in sorted(rows, key=key):
        k = r.same_as or r.id
        if keys is None or k in keys:
            out.setdefault(k, []).append({"doc": r.doc, "sentence": {"start": r.sentence_start, "end": r.sentence_end}})
    return out


def iter_events(conn) -> Iterator[dict]:
    """Events in (doc, trigger) order; participants, sources and canonical ids are looked up
    per chunk of CHUNK events, so memory does not grow with the base."""
    P, EV = S.event_participants, S.events
    for chunk in _chunks(conn.execute(select(EV).order_by(EV.c.doc, EV.c.trigger_start))):
        parts: dict[str, list] = defaultdict(list)
        for p in conn.execute(select(P).where(P.c.event.in_([r.id for r in chunk])).order_by(P.c.event, P.c.idx)):
            parts[p.event].append(p)
        canon = canonical_ids(conn, [p.entity for ps in parts.values() for p in ps]
                              + [r.place for r in chunk] + [r.attributed_entity for r in chunk])
        sources = event_sources(conn, [r.same_as or r.id for r in chunk])
        for row in chunk:
            participants = [{"role": p.role, "entity": canon.get(p.entity, p.entity), "text": p.text} for p in parts.get(row.id, [])]
            yield event_record(to_canonical(row, canon, "place", "attributed_entity"), participants,
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
        "as_of_reason": row.as_of_reason,
        "group_label": row.group_label,
        "group_reason": row.group_reason,
        "copy_of": copy_of,
    }


def iter_claims(conn) -> Iterator[dict]:
    """Claims in (doc, start) order; conflicts, copies and canonical ids are looked up per
    chunk of CHUNK claims, so memory does not grow with the base."""
    C = S.claim_conflicts
    for chunk in _chunks(conn.execute(select(S.claims).order_by(S.claims.c.doc, S.claims.c.start))):
        ids = [r.id for r in chunk]
        conflicts: dict[str, list] = defaultdict(list)
        for c in conn.execute(select(C).where(C.c.claim.in_(ids)).order_by(C.c.claim, C.c.other)):
            conflicts[c.claim].append({"other": c.other, "reason": c.reason})
        canon = canonical_ids(conn, [r.source_entity for r in chunk])
        copies = claim_copies(conn, ids)
        for row in chunk:
            yield claim_record(to_canonical(row, canon, "source_entity"), conflicts.get(row.id, []), copies.get(row.id))


def claim_copies(conn, ids: Iterable[str] | None = None) -> dict[str, str]:
    """Claims of syndicated copies that repeat a figure of their original, mapped to it: same
    group, same value and bounds, in the document the copy's duplicate_of names (only for
    the claims `ids` when given)."""
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
    if ids is not None:
        q = q.where(C.c.id.in_(list(ids)))
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
    for chunk in _chunks(conn.execute(select(S.quotes).order_by(S.quotes.c.doc, S.quotes.c.start))):
        canon = canonical_ids(conn, [r.speaker_entity for r in chunk])
        for row in chunk:
            yield quote_record(to_canonical(row, canon, "speaker_entity"))


ITERATORS = {
    "documents": iter_documents,
    "entities": iter_entities,
    "events": iter_events,
    "claims": iter_claims,
    "quotes": iter_quotes,
}


def _dumps(v) -> str:
    return json.dumps(v, ensure_ascii=False)


def _csv_value(v):
    if isinstance(v, StreamedList):
        return json_text(v)
    if isinstance(v, (dict, list)):
        return _dumps(v)
    return v


def json_text(v) -> str:
    """`v` as JSON text; a StreamedList is read (and held) whole, as a list would be."""
    if isinstance(v, StreamedList):
        return "[" + ", ".join(_dumps(item) for item in v) + "]"
    return _dumps(v)


def _csv_line(values: list) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow(values)  # the dialect csv.DictWriter uses by default
    return buf.getvalue()


def record_pieces(rec: dict, *, as_json: bool = True, csv_fields: list[str] | None = None) -> Iterator[tuple[str, str]]:
    """The record as text, in pieces tagged "json" (its JSON Lines line, newline included) and
    "csv" (its CSV row over `csv_fields`, when given); the text is the same as json.dumps and
    csv.DictWriter write, but a StreamedList field is written item by item, never held whole.

    JSON of a dict with the default separators is '{' + ', '.join('"key": value') + '}', and
    a streamed array (of objects, so never empty of '"') is always a quoted CSV cell, so the
    record can be cut around that field and the field written in between.
    """
    key = next((k for k, v in rec.items() if isinstance(v, StreamedList)), None)
    if key is None:
        if as_json:
            yield "json", _dumps(rec) + "\n"
        if csv_fields is not None:
            yield "csv", _csv_line([_csv_value(rec.get(k, "")) for k in csv_fields])
        return
    if as_json:
        keys = list(rec)
        i = keys.index(key)
        yield "json", "{" + "".join(f"{_dumps(k)}: {_dumps(rec[k])}, " for k in keys[:i]) + f"{_dumps(key)}: ["
    if csv_fields is not None:
        i = csv_fields.index(key)
        yield "csv", _csv_line([*(_csv_value(rec.get(k, "")) for k in csv_fields[:i]), "x"])[: -len("x\r\n")] + '"['
    for n, item in enumerate(rec[key]):
        text = _dumps(item) if n == 0 else ", " + _dumps(item)
        if as_json:
            yield "json", text
        if csv_fields is not None:
            yield "csv", text.replace('"', '""')
    if as_json:
        yield "json", "]" + "".join(f", {_dumps(k)}: {_dumps(rec[k])}" for k in keys[i + 1 :]) + "}\n"
    if csv_fields is not None:
        yield "csv", ']"' + _csv_line(["x", *(_csv_value(rec.get(k, "")) for k in csv_fields[i + 1 :])])[1:]


def csv_header(fields: list[str]) -> str:
    return _csv_line(fields)


def iter_streamed(conn, name: str) -> Iterator[dict]:
    """The records of contract file `name` for writing: an entity's mentions come as a
    StreamedList (write each record with record_pieces before asking for the next)."""
    if name == "entities":
        return iter_entities(conn, stream_mentions=True)
    return ITERATORS[name](conn)


def export(engine: Engine, out: str | Path, *, csv_too: bool = True) -> dict[str, int]:
    """Write `<name>.jsonl` (and `<name>.csv`) for each contract file; return record counts.

    Memory does not grow with the base (see the module docstring)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    with engine.connect() as conn:
        # Fetch rows in chunks (server-side cursors on PostgreSQL) instead of whole results.
        conn = conn.execution_options(yield_per=CHUNK)
        for name in FILES:
            n = 0
            jpath, cpath = out / f"{name}.jsonl", out / f"{name}.csv"
            with open(jpath, "w", encoding="utf-8") as jf:
                cf = open(cpath, "w", encoding="utf-8", newline="") if csv_too else None
                fields = None
                try:
                    for rec in iter_streamed(conn, name):
                        if cf is not None and fields is None:
                            fields = list(rec)
                            cf.write(csv_header(fields))
                        for kind, text in record_pieces(rec, csv_fields=fields):
                            (jf if kind == "json" else cf).write(text)
                        n += 1
                finally:
                    if cf is not None:
                        cf.close()
            written[name] = n
    return written
