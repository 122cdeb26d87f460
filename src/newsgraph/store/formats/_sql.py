"""Queries shared by the export formats: canonical entities, streamed reads.

An entity merged across articles keeps its own row with `canonical` set to the id it was
merged into; every reader maps an entity id through COALESCE(canonical, id), so the formats
here show canonical entities only and count a merged entity's mentions with its canonical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, select

from .. import schema as S
from ...errors import UsageError

# Rows fetched per round trip: reads stream in chunks of this size (a server-side cursor on
# PostgreSQL), so no format holds a whole table in memory.
CHUNK = 1000

DEFAULT_NETWORK_TYPES = ("PERSON", "ORG")
_TYPE = re.compile(r"^[A-Z_]{1,16}$")


def streamed(conn, stmt):
    """Execute `stmt`, fetching rows CHUNK at a time instead of all at once."""
    return conn.execute(stmt.execution_options(yield_per=CHUNK))


def own_and_canonical():
    """(own, canon, canonical id expression): `own` is the entity a row points at, `canon` the
    entity standing for it (itself when not merged)."""
    own = S.entities.alias("own")
    canon = S.entities.alias("canon")
    cid = func.coalesce(own.c.canonical, own.c.id)
    return own, canon, cid


def mention_counts(types: Iterable[str] | None = None, *, located: bool = False):
    """Canonical entities with their mention count and the number of stories that mention them.

    A story is a document and its re-published copies (duplicate_of), so a syndicated copy
    does not count a second time in `documents`. `located` keeps only entities with
    coordinates inside the valid latitude/longitude ranges.
    """
    own, canon, cid = own_and_canonical()
    M, D = S.mentions, S.documents
    story = func.coalesce(D.c.duplicate_of, D.c.id)
    stmt = (
        select(
            canon,
            func.count().label("mention_count"),
            func.count(story.distinct()).label("document_count"),
        )
        .select_from(M.join(own, own.c.id == M.c.entity).join(canon, canon.c.id == cid).join(D, D.c.id == M.c.doc))
        .group_by(*canon.c)
        .order_by(canon.c.id)
    )
    if types is not None:
        stmt = stmt.where(canon.c.type.in_(list(types)))
    if located:
        stmt = stmt.where(
            canon.c.lat.is_not(None),
            canon.c.lon.is_not(None),
            canon.c.lat.between(-90, 90),
            canon.c.lon.between(-180, 180),
        )
    return stmt


def parse_types(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Entity types for the network from 'PERSON,ORG' or a list; a UsageError names a bad one."""
    if value is None:
        return DEFAULT_NETWORK_TYPES
    items = value.split(",") if isinstance(value, str) else list(value)
    given = [t.strip() for t in items if t.strip()]
    if not given:
        raise UsageError("network types: give at least one entity type, e.g. PERSON,ORG,PLACE")
    for t in given:
        if not _TYPE.match(t.upper()):
            raise UsageError(f"network types: {t!r} is not an entity type (use names like PERSON, ORG, PLACE)")
    return tuple(dict.fromkeys(t.upper() for t in given))
