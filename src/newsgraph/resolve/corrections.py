"""A user's corrections to entity identity: `newsgraph merge ID ID` and `newsgraph split ID`.

Each correction is a row of `entity_corrections`, applied at once and re-applied, in the order
given, after every resolution run (coref.resolve_entities), so it survives rebuilds. Both take
the base's resolution lock, like a build's resolution, and match event reports again afterwards
(events.relink_events): who is who decides which reports are one event. Entity ids
are derived from resolution keys, so a correction keeps its meaning when the base is rebuilt
from the same articles. A split also keeps the automatic merge from coming back (coref checks
`groups.forbidden` before each merge). The web API calls these same functions.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Engine, select

from ..errors import UsageError
from ..store import schema as S
from ..store.db import resolution_lock
from . import groups
from .events import relink_events

E, C = S.entities, S.entity_corrections


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entity(conn, entity_id: str):
    row = conn.execute(select(E.c.id, E.c.type, E.c.name, E.c.canonical).where(E.c.id == entity_id)).first()
    if row is None:
        raise UsageError(
            f"no entity with id {entity_id!r} in this knowledge base; "
            "find ids in entities.jsonl (`newsgraph export`) or on the entity's web page"
        )
    return row


def _ready(engine: Engine) -> None:
    """Make sure the base has the corrections table, whoever opened it (an old base opened
    read-only by the web server gains it here, through the ordinary migration)."""
    from ..store.db import migrate

    migrate(engine)


def _merge_reason(note: str | None) -> str:
    return "merged by a user correction (newsgraph merge)" + (f": {note}" if note else "")


def record_merge(engine: Engine, a_id: str, b_id: str, *, note: str | None = None) -> str:
    """Record that entities `a_id` and `b_id` are one, apply it now; return the canonical id.

    Raises UsageError for an unknown id, the same id twice, or entities of different types.
    """
    if a_id == b_id:
        raise UsageError(f"merge needs two different entity ids, got {a_id!r} twice")
    _ready(engine)
    with resolution_lock(engine):
        with engine.begin() as conn:
            a, b = _entity(conn, a_id), _entity(conn, b_id)
            if a.type != b.type:
                raise UsageError(
                    f"{a_id} ({a.name}) is a {a.type} and {b_id} ({b.name}) a {b.type}: entities of different "
                    "types are never merged; fix the type in the text's source or leave them apart"
                )
            conn.execute(C.insert().values(action="merge", entity=a_id, other=b_id, note=note, created=_now()))
            root = groups.union(conn, a_id, b_id, _merge_reason(note))
        # Reports naming either entity may now be one event (or no longer): match them again.
        relink_events(engine, [a_id, b_id])
    return root


def record_split(engine: Engine, entity_id: str, *, note: str | None = None) -> list[str]:
    """Take `entity_id` out of the entity it was merged into (or, for a canonical entity, detach
    those merged into it), apply it now, and forbid the automatic merge from coming back.

    Returns the affected ids: `entity_id`, then the entities it was grouped with. Raises UsageError for an unknown id or an
    entity that is not merged with any other.
    """
    _ready(engine)
    with resolution_lock(engine):
        with engine.begin() as conn:
            _entity(conn, entity_id)
            root = groups.root_of(conn, entity_id)
            others = [i for i in groups.members(conn, root) if i != entity_id]
            if not others:
                raise UsageError(f"entity {entity_id!r} is not merged with any other; nothing to split")
            now = _now()
            conn.execute(
                C.insert(),
                [{"action": "split", "entity": entity_id, "other": o, "note": note, "created": now} for o in others],
            )
            groups.detach(conn, entity_id)
        relink_events(engine, [entity_id, *others])
    return [entity_id, *others]


def apply_corrections(conn) -> None:
    """Re-apply every correction in the order given; ids no longer in the base are skipped."""
    for row in conn.execute(select(C).order_by(C.c.id)).all():
        ra, rb = groups.root_of(conn, row.entity), groups.root_of(conn, row.other)
        if ra is None or rb is None:
            continue
        if row.action == "merge" and ra != rb:
            groups.union(conn, row.entity, row.other, _merge_reason(row.note))
        elif row.action == "split" and ra == rb:
            groups.detach(conn, row.entity)
