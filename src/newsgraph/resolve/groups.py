"""Groups of entities that are one real-world thing, kept in `entities.canonical`.

A group is a root entity (canonical NULL) and the entities whose `canonical` is the root's id:
one level only, never a chain. Merging and splitting change `canonical` and `merge_reason` and
nothing else; mentions, participants, claims and quotes keep their own entity's id and readers
map it with COALESCE(canonical, id). Used by the automatic resolver (coref.py) and by the
user's corrections (corrections.py).
"""

from __future__ import annotations

from sqlalchemy import and_, bindparam, or_, select, update

from ..store import schema as S

E = S.entities
C = S.entity_corrections

# Built once (resolution runs these per entity; building a statement costs more than running it).
_ROOT = select(E.c.id, E.c.canonical).where(E.c.id == bindparam("id"))
_MEMBERS = select(E.c.id).where(E.c.canonical == bindparam("root")).order_by(E.c.id)
_SPLIT_BETWEEN = (
    select(C.c.id)
    .where(
        C.c.action == "split",
        or_(
            and_(C.c.entity.in_(bindparam("a", expanding=True)), C.c.other.in_(bindparam("b", expanding=True))),
            and_(C.c.entity.in_(bindparam("b", expanding=True)), C.c.other.in_(bindparam("a", expanding=True))),
        ),
    )
    .limit(1)
)


def root_of(conn, entity_id: str) -> str | None:
    """The id of the group `entity_id` belongs to (itself when it stands alone); None if unknown."""
    row = conn.execute(_ROOT, {"id": entity_id}).first()
    if row is None:
        return None
    return row.canonical or row.id


def members(conn, root: str) -> list[str]:
    """Every entity id of the group whose root is `root`, the root first."""
    rest = [r[0] for r in conn.execute(_MEMBERS, {"root": root})]
    return [root, *rest]


def _rank(conn, ids: list[str]) -> list[str]:
    """`ids` in the order a root is chosen: a gazetteer place before a name the gazetteer lacks,
    then by id, so the root of a group does not depend on the order articles arrived in."""
    rows = conn.execute(select(E.c.id, E.c.geonameid).where(E.c.id.in_(ids))).all()
    return [r.id for r in sorted(rows, key=lambda r: (r.geonameid is None, r.id))]


def union(conn, a: str, b: str, reason: str) -> str:
    """Make the groups of `a` and `b` one; return the root. The root that loses its place gets
    `reason` as its merge_reason; the entities that pointed at it keep theirs."""
    ra, rb = root_of(conn, a), root_of(conn, b)
    if ra is None or rb is None:
        raise KeyError(a if ra is None else b)
    if ra == rb:
        return ra
    root, other = _rank(conn, [ra, rb])
    conn.execute(update(E).where(E.c.canonical == other).values(canonical=root))
    conn.execute(update(E).where(E.c.id == other).values(canonical=root, merge_reason=reason))
    return root


def detach(conn, entity_id: str) -> list[str]:
    """Take `entity_id` out of its group; return the ids whose group changed (itself first).

    When it was the root, the others stay together under the next root in rank order.
    """
    root = root_of(conn, entity_id)
    if root is None:
        raise KeyError(entity_id)
    group = members(conn, root)
    if len(group) == 1:
        return []
    if root != entity_id:
        conn.execute(update(E).where(E.c.id == entity_id).values(canonical=None, merge_reason=None))
        return [entity_id]
    rest = _rank(conn, group[1:])
    new_root = rest[0]
    conn.execute(update(E).where(E.c.id == entity_id).values(canonical=None, merge_reason=None))
    conn.execute(update(E).where(E.c.id == new_root).values(canonical=None, merge_reason=None))
    if len(rest) > 1:
        conn.execute(update(E).where(E.c.id.in_(rest[1:])).values(canonical=new_root))
    return [entity_id, *rest]


def forbidden(conn, group_a: list[str], group_b: list[str]) -> bool:
    """Whether a user's split says no entity of `group_a` is one with any of `group_b`."""
    return conn.execute(_SPLIT_BETWEEN, {"a": group_a, "b": group_b}).first() is not None
