"""Figures across sources: claims about one quantity share a group; disagreements are conflicts.

Grouping (`claims.group_id`): two claims are about the same quantity when `quantity.py` gives
them the same key (population, who, what happened to them, narrowing words, occasion: see
its docstring). The group id is derived from the key alone, so it is stable across rebuilds
and the same in every base. A claim with no key is a group of its own, shared only with its
copies in syndicated documents.

Conflicts (`claim_conflicts`, one row each way, with a reason): within a group, two figures
conflict when they are about the same period and their bounds are disjoint. A figure's period
is its as-of date; with none, the publication date of its article (a figure stated without a
date is the one current when the article appeared). "since 2017" starts a running total: the
period is still the publication date; an as-of date after publication cannot be what a
published figure refers to and is replaced by the publication date too. Two periods are the
same when they overlap or lie at most SAME_PERIOD_DAYS apart (figures are rounded and reach
the press weeks late); so a series over different dates ("850 by autumn 2017", "1,100 as of
March 2019") is not a conflict. A figure with no period at all (no as-of, undated article) is
compared only with figures of its own article.

Bounds: a bare number is exact; "about"/"nearly" widen it by APPROXIMATE on the open side(s);
"more than 5,000" is 5,000 or more; ranges and vague amounts keep the bounds extraction gave.

Copies: a claim in a document that is a duplicate_of another joins its group, but is never a
conflict with (or a second count of) its original: a copy of a figure the original gives is
left out of conflicts altogether, and any other figure of the copy is never compared with its
own story's documents.

Incremental: only claims without a group, the documents of their stories, and the groups they
touch are recomputed.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

from sqlalchemy import Engine, delete, func, or_, select, update

from ..store import schema as S
from ..store.db import insert_rows
from .quantity import ClaimText, Quantity, quantity_of

SAME_PERIOD_DAYS = 31
APPROXIMATE = 0.10
_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


# ---------------------------------------------------------------------------------------------
# Periods and bounds


def period_interval(value: str | None) -> tuple[date, date] | None:
    """First and last day a normalised date covers ("2019" -> the whole year), or None."""
    if not value:
        return None
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            d = date(*map(int, m.groups()))
            return d, d
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = map(int, m.groups())
            return date(y, mo, 1), _month_end(y, mo)
        if m := re.fullmatch(r"(\d{4})", value):
            y = int(m.group(1))
            return date(y, 1, 1), date(y, 12, 31)
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            y, (a, b) = int(m.group(1)), _SEASONS[m.group(2)]
            return date(y, a, 1), _month_end(y + (b - 1) // 12, (b - 1) % 12 + 1)
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            start = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return start, start + timedelta(days=6)
    except ValueError:
        return None
    return None


def _month_end(y: int, mo: int) -> date:
    return (date(y + mo // 12, mo % 12 + 1, 1)) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    start: date | None
    end: date | None
    label: str  # "as of 2016-08", "published 2016-09-05"


def claim_period(as_of_value: str | None, as_of_text: str | None, published: str | None) -> Period:
    """The period a figure refers to (see the module docstring for the rules)."""
    pub = period_interval(published)
    asof = period_interval(as_of_value)
    running = (as_of_text or "").strip().lower().startswith(("since", "from"))
    if asof and not running and (pub is None or asof[0] <= pub[1]):
        return Period(*asof, f"as of {as_of_value}")
    if pub:
        note = ""
        if asof and running:
            note = f", a total {as_of_text.strip()}"
        elif asof:
            note = f"; its as-of {as_of_value} is after that"
        return Period(*pub, f"published {published}{note}")
    return Period(None, None, "no date")


def same_period(a: Period, b: Period) -> bool:
    if a.start is None or b.start is None:
        return False
    gap = max((b.start - a.end).days, (a.start - b.end).days)
    return gap <= SAME_PERIOD_DAYS


def claim_bounds(value, lower, upper, approximate) -> tuple[float, float] | None:
    """The interval a figure allows, or None when it gives no number."""
    if lower is None and upper is None:
        if value is None:
            return None
        return (value * (1 - APPROXIMATE), value * (1 + APPROXIMATE)) if approximate else (value, value)
    lo = lower if lower is not None else (value * (1 - APPROXIMATE) if approximate and value is not None else 0.0)
    hi = upper if upper is not None else math.inf
    return lo, hi


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.1f}"


def format_bounds(b: tuple[float, float]) -> str:
    lo, hi = b
    if hi == math.inf:
        return f"{_num(lo)} or more"
    if lo == hi:
        return _num(lo)
    if lo == 0:
        return f"up to {_num(hi)}"
    return f"{_num(lo)}-{_num(hi)}"


# ---------------------------------------------------------------------------------------------
# Group ids


def group_id(q: Quantity, story: str, sentence: str, text: str, nth: int) -> str:
    """A stable id from the group key; a claim without a key gets one from its story and sentence."""
    if q.key:
        pop, who, family, _scope, _occ = q.parts
        readable = f"q-{pop.lower().replace(' ', '')}-{family}-{who}"[:31]
        return f"{readable}-{hashlib.blake2b(q.key.encode(), digest_size=4).hexdigest()}"
    norm = " ".join(sentence.split())
    h = hashlib.blake2b(f"{story}\x1f{norm}\x1f{text}\x1f{nth}".encode(), digest_size=8).hexdigest()
    return f"c-{h}"


def _doc_quantities(doc_text: str, story: str, rows) -> dict[str, tuple[str, Quantity]]:
    """(group id, quantity) of each claim of one document, in text order."""
    out, previous, seen = {}, None, {}
    for r in sorted(rows, key=lambda r: r.start):
        c = ClaimText(r.start, r.end, r.text, r.what, r.unit, r.sentence_start, r.sentence_end, r.as_of_value, r.as_of_text)
        q = quantity_of(c, doc_text, story, previous)
        if q.key:
            previous = q
        sentence = doc_text[r.sentence_start : r.sentence_end]
        k = (sentence, r.text)
        seen[k] = seen.get(k, -1) + 1
        out[r.id] = (group_id(q, story, sentence, r.text, seen[k]), q)
    return out


# ---------------------------------------------------------------------------------------------
# The store


def resolve_claims(engine: Engine, *, full: bool = False) -> tuple[int, int]:
    """Group new claims (every claim when `full`) and recompute conflicts in the groups they
    touch; return (claims whose group was set or changed, conflicting pairs written)."""
    C, D = S.claims, S.documents
    with engine.begin() as conn:
        q = select(C.c.doc).distinct()
        if not full:
            q = q.where(C.c.group_id.is_(None))
        new_docs = {r[0] for r in conn.execute(q)}
        if not new_docs:
            return 0, 0
        stories = story_documents(conn, new_docs)
        touched: set[str] = set()
        changed = 0
        order = sorted(stories)
        # In slices: a full regrouping must not hold every article's text at once.
        docs = (d for i in range(0, len(order), 200)
                for d in conn.execute(select(D.c.id, D.c.text, D.c.duplicate_of).where(D.c.id.in_(order[i : i + 200]))).all())
        for d in docs:
            rows = conn.execute(select(C).where(C.c.doc == d.id)).all()
            groups = _doc_quantities(d.text, d.duplicate_of or d.id, rows)
            for r in rows:
                gid, q = groups[r.id]
                touched.add(gid)
                label = q.label or "this figure and its copies in syndicated articles"
                if (r.group_id, r.group_label, r.group_reason) != (gid, label, q.why):
                    if r.group_id and r.group_id != gid:
                        touched.add(r.group_id)
                    conn.execute(update(C).where(C.c.id == r.id).values(group_id=gid, group_label=label, group_reason=q.why))
                    changed += 1
        pairs = _write_conflicts(conn, touched, stories)
    return changed, pairs


def story_documents(conn, doc_ids: set[str]) -> set[str]:
    """Every document of the stories `doc_ids` belong to (originals and their copies)."""
    D = S.documents
    ids = list(doc_ids)
    roots = set()
    for i in range(0, len(ids), 500):
        for r in conn.execute(select(D.c.id, D.c.duplicate_of).where(D.c.id.in_(ids[i : i + 500]))):
            roots.add(r.duplicate_of or r.id)
    out = set(doc_ids) | roots
    rl = list(roots)
    for i in range(0, len(rl), 500):
        out.update(r[0] for r in conn.execute(select(D.c.id).where(D.c.duplicate_of.in_(rl[i : i + 500]))))
    return out


def source_names(conn, ids: set[str]) -> dict[str, str]:
    """The name of the entity each id stands for after merges (COALESCE(canonical, id))."""
    E = S.entities
    if not ids:
        return {}
    rows = conn.execute(select(E.c.id, func.coalesce(E.c.canonical, E.c.id).label("root")).where(E.c.id.in_(list(ids)))).all()
    roots = {r.root for r in rows}
    names = dict(conn.execute(select(E.c.id, E.c.name).where(E.c.id.in_(list(roots)))).all())
    return {r.id: names.get(r.root, r.id) for r in rows}


_SAID = re.compile(r"^(?:according to|as)\s+|,?\s+(?:said|says|say|told|estimates?|estimated|show|shows|reported|reports)\b.*$", re.I)


def source_label(entity_name: str | None, source_text: str | None) -> str:
    """Who gives a figure, for a reason: the words of the text that name the source (they name
    it as the reader saw it), else the entity's name."""
    if source_text:
        s = _SAID.sub("", source_text.strip()).split(",")[0].strip()
        if s:
            return s
    return entity_name or (source_text or "").strip() or "no source named"


@dataclass(slots=True)
class _Member:
    id: str
    doc: str
    story: str
    text: str
    bounds: tuple[float, float] | None
    period: Period
    source: str
    copy: bool = False


def _write_conflicts(conn, groups: set[str], fresh: set[str]) -> int:
    """Recompute the conflicts in `groups` that involve a claim of the documents `fresh` (those
    just grouped: the others' pairs have not changed); return the pairs written."""
    C, D, X = S.claims, S.documents, S.claim_conflicts
    gl = sorted(groups)
    rows = []
    for i in range(0, len(gl), 500):
        rows += conn.execute(
            select(C, D.c.published, D.c.duplicate_of).join(D, D.c.id == C.c.doc).where(C.c.group_id.in_(gl[i : i + 500]))
        ).all()
    names = source_names(conn, {r.source_entity for r in rows if r.source_entity})
    by_group: dict[str, list[_Member]] = {}
    for r in rows:
        m = _Member(r.id, r.doc, r.duplicate_of or r.doc, r.text, claim_bounds(r.value, r.lower, r.upper, r.approximate),
                    claim_period(r.as_of_value, r.as_of_text, r.published), source_label(names.get(r.source_entity), r.source_text))
        by_group.setdefault(r.group_id, []).append(m)
    ids = [r.id for r in rows if r.doc in fresh]
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        conn.execute(delete(X).where(or_(X.c.claim.in_(part), X.c.other.in_(part))))
    out = []
    for members in by_group.values():
        _mark_copies(members)
        for a, b in combinations(members, 2):
            if a.doc not in fresh and b.doc not in fresh:
                continue
            reason = conflict_reason(a, b)
            if reason:
                out.append({"claim": a.id, "other": b.id, "reason": reason})
                out.append({"claim": b.id, "other": a.id, "reason": conflict_reason(b, a)})
    insert_rows(conn, X, out)
    return len(out) // 2


def _mark_copies(members: list[_Member]) -> None:
    """A claim of a copy that gives the same figure as a claim of its original is a copy."""
    originals = {(m.story, m.bounds) for m in members if m.doc == m.story}
    for m in members:
        m.copy = m.doc != m.story and (m.story, m.bounds) in originals


def conflict_reason(a: _Member, b: _Member) -> str | None:
    """Why `a` conflicts with `b`, or None when they do not (see the module docstring)."""
    if a.copy or b.copy or a.bounds is None or b.bounds is None:
        return None
    if a.story == b.story and a.doc != b.doc:
        return None  # a syndicated copy never disagrees with its own original
    if a.doc != b.doc and not same_period(a.period, b.period):
        return None
    if a.doc == b.doc and a.period.start is not None and b.period.start is not None and not same_period(a.period, b.period):
        return None
    if a.bounds[1] >= b.bounds[0] and b.bounds[1] >= a.bounds[0]:
        return None
    return (f"{a.text} ({a.source}, {a.period.label}) vs {b.text} ({b.source}, {b.period.label}): "
            f"disjoint bounds ({format_bounds(a.bounds)} vs {format_bounds(b.bounds)})")
