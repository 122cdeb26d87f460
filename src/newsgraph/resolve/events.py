"""One event reported by several articles: later reports point (`same_as`) to the earliest.

Two reports in different articles are one event when:

- they have the same type, and neither is negated or hypothetical (a denial or a condition
  reports no event);
- they share a participant other than a destination or origin, compared by resolved entity
  (COALESCE(canonical, id), so merges across articles count): a person in any role; an
  organisation, group or place only in the same role and only when both dates are known to the
  month or better; and when both name people, at least one person is in both;
- their dates are compatible: one contains the other ("2019-03" contains "2019-03-23"; a
  season or a week by its days). A report with no date matches only through a shared person,
  and two known dates that do not overlap never match;
- their places are compatible: either unknown, the same entity, or the same country where one
  of them is the country itself (Deir ez-Zor is in Syria; a region and a town are not compared,
  for want of the town's region).

Copies of a story are matched sentence by sentence instead: an event of a document that is a
duplicate_of another points to the original's event of the same type and trigger in the same
(or nearly the same) sentence, so a syndicated copy never adds a second report.

The earliest report (publication date, then order of arrival, then position) is the root and
keeps same_as null; every other report points to the root, never to another member, with a
readable reason. Incremental: only events of documents stored since the last run (documents.seq
above the mark kept in `meta`) are matched, against the latest MAX_CANDIDATES reports that
could match each; a new report published earlier than a cluster's root becomes its root. A
cluster stops growing at MAX_CLUSTER reports: beyond that, reports are left apart (a missed
match is better than a chain of look-alike reports taken for one event). After a user's merge or split of entities,
`relink_events(engine, ids)` matches again the reports that name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, func, or_, select, update

from ..store import schema as S
from ..store.db import get_meta, set_meta
from .claims import story_documents, period_interval

MARK = "events_resolved_seq"
SKIP_MODALITY = ("negated", "hypothetical")
SAME_SENTENCE = 0.6  # word overlap for a copy's sentence to be the original's
# Where an event happened or led is compared as its place, not as who took part: two trips to
# Syria are not one trip.
LOCATION_ROLES = frozenset({"destination", "origin", "place", "location", "via"})
# Bounds that keep the cost of a new report flat in the size of the base: it is compared with
# the latest reports that could match it, and it joins no cluster that already has this many
# reports (a syndicated copy still joins its original's).
MAX_CANDIDATES = 50
MAX_CLUSTER = 100


@dataclass(slots=True)
class Report:
    """One stored event with what matching needs."""

    id: str
    doc: str
    type: str
    trigger: str
    modality: str
    date: str | None
    place: str | None  # resolved place entity id
    place_name: str | None
    place_country: str | None
    place_precision: str | None
    sentence: str
    order: tuple
    story: str
    same_as: str | None
    participants: list[tuple[str, str, str, str]] = field(default_factory=list)  # (role, entity root, type, name)


def _load(conn, where) -> list[Report]:
    """Reports matching `where` (a clause on events), with participants and places resolved."""
    EV, D, E, P = S.events, S.documents, S.entities, S.event_participants
    place_root = func.coalesce(E.c.canonical, E.c.id)
    q = (
        select(EV, D.c.published, D.c.seq, D.c.duplicate_of, place_root.label("place_root"),
               # the sentence alone: a whole article's text per candidate would dominate the cost
               func.substr(D.c.text, EV.c.sentence_start + 1, EV.c.sentence_end - EV.c.sentence_start).label("sentence_text"))
        .join(D, D.c.id == EV.c.doc)
        .outerjoin(E, E.c.id == EV.c.place)
        .where(where)
    )
    rows = conn.execute(q).all()
    if not rows:
        return []
    roots = {r.place_root for r in rows if r.place_root}
    places = {p.id: p for p in conn.execute(select(E.c.id, E.c.name, E.c.country, E.c.geo_precision).where(E.c.id.in_(list(roots))))} if roots else {}
    out = {}
    for r in rows:
        p = places.get(r.place_root)
        out[r.id] = Report(
            r.id, r.doc, r.type, r.trigger_text, r.modality, r.date_value, r.place_root,
            p.name if p else None, p.country if p else None, p.geo_precision if p else None,
            r.sentence_text or "",
            (r.published is None, r.published or "", r.seq if r.seq is not None else 1 << 62, r.doc, r.trigger_start),
            r.duplicate_of or r.doc, r.same_as,
        )
    ids = list(out)
    for i in range(0, len(ids), 500):
        Root = E.alias("root")
        q = (
            select(P.c.event, P.c.role, Root.c.id, Root.c.type, Root.c.name)
            .join(E, E.c.id == P.c.entity)
            .join(Root, Root.c.id == func.coalesce(E.c.canonical, E.c.id))
            .where(P.c.event.in_(ids[i : i + 500]))
            .order_by(P.c.event, P.c.idx)
        )
        for ev, role, root, etype, name in conn.execute(q):
            out[ev].participants.append((role, root, etype, name))
    return list(out.values())


def _finer_than_year(value: str | None) -> bool:
    return bool(value) and len(value) > 4 and value[4] == "-"


def _contains(a, b) -> bool:
    return a[0] <= b[0] and b[1] <= a[1]


def match_reason(a: Report, b: Report) -> str | None:
    """Why reports `a` and `b` (different stories) are one event, or None (module docstring)."""
    if a.type != b.type or a.modality in SKIP_MODALITY or b.modality in SKIP_MODALITY:
        return None
    da, db = period_interval(a.date), period_interval(b.date)
    dates_known = da is not None and db is not None
    if dates_known and not (_contains(da, db) or _contains(db, da)):
        return None
    pa = [p for p in a.participants if p[0] not in LOCATION_ROLES]
    pb = [p for p in b.participants if p[0] not in LOCATION_ROLES]
    people_a = {p[1] for p in pa if p[2] == "PERSON"}
    people_b = {p[1] for p in pb if p[2] == "PERSON"}
    if people_a and people_b and not people_a & people_b:
        return None  # both name who did it, and they are different people
    fine_dates = dates_known and _finer_than_year(a.date) and _finer_than_year(b.date)
    shared = []
    for role, ent, etype, name in pa:
        for role2, ent2, _t, _n in pb:
            if ent == ent2 and (etype == "PERSON" or (role == role2 and fine_dates)):
                shared.append(name)
    if not shared:
        return None
    if not _places_compatible(a, b):
        return None
    dates = f"dates {a.date or 'unknown'} and {b.date or 'unknown'}"
    places = f"places {a.place_name or 'unknown'} and {b.place_name or 'unknown'}"
    return f"same {a.type} ('{a.trigger}' / '{b.trigger}'): {', '.join(sorted(set(shared)))} in both; {dates}; {places}"


def _places_compatible(a: Report, b: Report) -> bool:
    if a.place is None or b.place is None or a.place == b.place:
        return True
    if a.place_country and a.place_country == b.place_country:
        return "country" in (a.place_precision, b.place_precision)
    return False


def _words(s: str) -> set[str]:
    return set(s.lower().split())


def copy_reason(copy: Report, original: Report) -> str | None:
    """Why an event of a syndicated copy is the original's event, or None."""
    if copy.type != original.type or copy.trigger.lower() != original.trigger.lower():
        return None
    a, b = _words(copy.sentence), _words(original.sentence)
    overlap = len(a & b) / len(a | b) if a and b else 0.0
    if overlap < SAME_SENTENCE:
        return None
    return f"the same sentence ({overlap:.0%} of its words) in {original.doc}, the story this copy re-publishes"


def resolve_events(engine: Engine, *, full: bool = False) -> int:
    """Link reports of one event across articles for documents stored since the last run (all
    documents when `full`); return how many reports now point to an earlier one."""
    EV, D = S.events, S.documents
    with engine.begin() as conn:
        mark = 0 if full else int(get_meta(conn, MARK) or 0)
        if full:
            conn.execute(update(EV).values(same_as=None, same_as_reason=None))
        last = conn.execute(select(func.max(D.c.seq))).scalar() or 0
        new_docs = [r[0] for r in conn.execute(select(D.c.id).where(or_(D.c.seq > mark, D.c.seq.is_(None)) if full else D.c.seq > mark))]
        if not new_docs:
            return 0
        # A story's copies are matched again with it: an original stored after its copy
        # takes over the copy's reports.
        new_docs = sorted(story_documents(conn, set(new_docs)))
        linked = 0
        cache = ReportCache()
        for i in range(0, len(new_docs), 200):
            for rep in sorted(_load(conn, EV.c.doc.in_(new_docs[i : i + 200])), key=lambda r: r.order):
                linked += _link(conn, rep, cache)
        set_meta(conn, MARK, str(last))
    return linked


def _candidates(conn, rep: Report, cache: "ReportCache") -> list[tuple[Report, str]]:
    """Earlier-stored reports `rep` is one event with, each with the reason."""
    EV = S.events
    out = []
    if rep.story != rep.doc:  # a copy: its original's event in the same sentence
        for other in _load(conn, (EV.c.doc == rep.story) & (EV.c.type == rep.type)):
            reason = copy_reason(rep, other)
            if reason:
                out.append((other, reason))
        if out:
            return out[:1]
    if rep.modality in SKIP_MODALITY:
        return out
    # Only what match_reason could accept is fetched, through indexes: reports naming one of
    # its people, or, when it is dated to the month, one of its other participants in a report
    # of the same year. A group named in thousands of reports is not read for every new one.
    people = {p[1] for p in rep.participants if p[0] not in LOCATION_ROLES and p[2] == "PERSON"}
    others = {p[1] for p in rep.participants if p[0] not in LOCATION_ROLES and p[2] != "PERSON"}
    fine = _finer_than_year(rep.date)
    roots = people | (others if fine else set())
    if not roots:
        return out
    where = (EV.c.doc != rep.doc) & EV.c.modality.not_in(SKIP_MODALITY)
    if not people:
        where &= EV.c.date_value.like(rep.date[:4] + "-%")
    elif rep.date and rep.date[:4].isdigit():
        # Compatible dates share the year (one contains the other); an undated report may match.
        where &= EV.c.date_value.is_(None) | EV.c.date_value.like(rep.date[:4] + "%")
    for other in _latest_reports(conn, roots, rep.type, where, cache):
        if other.story == rep.story:
            continue  # a story's copies are matched sentence by sentence, above
        reason = match_reason(rep, other)
        if reason:
            out.append((other, reason))
    return out


def _latest_reports(conn, roots: set[str], type_: str, where, cache: "ReportCache") -> list[Report]:
    """The MAX_CANDIDATES latest-stored reports of `type_` that name one of `roots` (or an entity
    merged into one) and satisfy `where`, newest first (arrival counter descending, then id).

    One query per entity, each reading its (entity, type, seq) index from the newest end and
    stopping at MAX_CANDIDATES matches, so a person named in thousands of reports costs what one
    named in fifty does. The overall latest are among the union of each entity's latest: a report
    ahead of one in its entity's list is ahead of it overall too."""
    E, P, EV = S.entities, S.event_participants, S.events
    members = [r[0] for r in conn.execute(select(E.c.id).where(E.c.id.in_(roots) | E.c.canonical.in_(roots)))]
    seq_of: dict[str, int] = {}
    for m in members:
        q = (
            select(P.c.event, P.c.seq)
            .join(EV, EV.c.id == P.c.event)
            .where(P.c.entity == m, P.c.type == type_, where)
            .order_by(P.c.seq.desc(), P.c.event)
            .limit(MAX_CANDIDATES)
        )
        seq_of.update((ev, seq if seq is not None else 0) for ev, seq in conn.execute(q))
    chosen = sorted(seq_of, key=lambda ev: (-seq_of[ev], ev))[:MAX_CANDIDATES]
    return cache.get(conn, chosen)


class ReportCache:
    """Reports loaded during one resolution run, by id: a popular person's latest reports are the
    candidates of every new report naming them, so each is read from the base once, not each time.

    Only `same_as` changes during a run, and only in `_link`, which writes it here too
    (`set_same_as`); the rest of a stored report never changes. Bounded: emptied past `size`."""

    def __init__(self, size: int = 50_000):
        self.size = size
        self.reports: dict[str, Report] = {}

    def get(self, conn, ids: list[str]) -> list[Report]:
        """The reports `ids`, in that order, reading from the base those not yet held."""
        missing = [i for i in ids if i not in self.reports]
        if missing:
            if len(self.reports) + len(missing) > self.size:
                self.reports.clear()
                missing = list(ids)
            self.reports.update((r.id, r) for r in _load(conn, S.events.c.id.in_(missing)))
        return [self.reports[i] for i in ids if i in self.reports]

    def set_same_as(self, event_id: str, same_as: str | None) -> None:
        if event_id in self.reports:
            self.reports[event_id].same_as = same_as


def _link(conn, rep: Report, cache: ReportCache) -> int:
    """Put `rep` in one cluster with the reports it matches (clusters it ties together become
    one, under the earliest report); return 1 when it matched any."""
    EV = S.events
    found = _candidates(conn, rep, cache)
    if not found:
        return 0
    roots = {other.same_as or other.id for other, _ in found} | {rep.same_as or rep.id}
    in_clusters = EV.c.id.in_(roots) | EV.c.same_as.in_(roots)
    if rep.story == rep.doc and conn.execute(select(func.count()).select_from(EV).where(in_clusters)).scalar() >= MAX_CLUSTER:
        # Chains of reports that each share a person with the next can tie a popular person's
        # every arrest into one "event"; past this size a match is more likely such a chain
        # than one more report of one event, and rewriting the cluster would cost its square.
        return 0
    loaded = _load(conn, in_clusters)
    members = sorted({m.id: m for m in [*loaded, rep]}.values(), key=lambda m: m.order)
    root = members[0]
    for m in members:
        # Every reason is worked out again from the cluster as it now stands, so the base ends
        # the same whatever order its articles arrived in.
        values = {"same_as": None, "same_as_reason": None}
        if m is not root:
            values = {"same_as": root.id, "same_as_reason": explain(m, root, members)}
        conn.execute(update(EV).where(EV.c.id == m.id).values(**values))
        m.same_as = values["same_as"]
        cache.set_same_as(m.id, values["same_as"])
    return 1


def _relation(a: Report, b: Report) -> str | None:
    """Why `a` is one event with `b`, directly, or None."""
    if a.story == b.story:
        # Within a story only a copy's report points to the original's.
        return copy_reason(a, b) if a.doc != a.story and b.doc == a.story else None
    return match_reason(a, b)


def explain(m: Report, root: Report, members: list[Report]) -> str:
    """The reason `m` points to `root`: their own match, else its match with the earliest other
    report of the cluster it matches, which is itself one event with `root`."""
    direct = _relation(m, root)
    if direct:
        return direct
    for x in members:
        if x is not m and x is not root:
            r = _relation(m, x)
            if r:
                return f"{r}; that report is one event with the earliest report, in {root.doc}"
    return f"one event with the earliest report, in {root.doc}, through the reports between them"


def relink_events(engine: Engine, entity_ids: list[str]) -> int:
    """Match again every report naming one of `entity_ids` (or an entity merged with one), and
    the reports clustered with them, after a merge or split changed who is who; return how many
    reports now point to an earlier one."""
    EV, E, P = S.events, S.entities, S.event_participants
    with engine.begin() as conn:
        ids = list(entity_ids)
        roots = {r[0] for r in conn.execute(select(func.coalesce(E.c.canonical, E.c.id)).where(E.c.id.in_(ids)))} | set(ids)
        members = select(E.c.id).where(E.c.id.in_(roots) | E.c.canonical.in_(roots))
        named = select(P.c.event).where(P.c.entity.in_(members))
        clusters = {r[0] for r in conn.execute(select(func.coalesce(EV.c.same_as, EV.c.id)).where(EV.c.id.in_(named)))}
        if not clusters:
            return 0
        reports = _load(conn, EV.c.id.in_(clusters) | EV.c.same_as.in_(clusters))
        conn.execute(update(EV).where(EV.c.id.in_([r.id for r in reports])).values(same_as=None, same_as_reason=None))
        for r in reports:
            r.same_as = None
        cache = ReportCache()  # after the reset above: every later write goes through _link
        for r in sorted(reports, key=lambda r: r.order):
            # `r` was reset above; what an earlier iteration linked it to is read afresh.
            r.same_as = conn.execute(select(EV.c.same_as).where(EV.c.id == r.id)).scalar()
            _link(conn, r, cache)
        return conn.execute(select(func.count()).select_from(EV).where(EV.c.id.in_([r.id for r in reports]), EV.c.same_as.is_not(None))).scalar()
