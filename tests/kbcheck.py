"""Comparing two knowledge bases whole: every table's row count and the full export."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select


def table_counts(db: str) -> dict[str, int]:
    """Rows in every table of the schema module."""
    from newsgraph.store import schema as S
    from newsgraph.store.db import open_engine

    engine = open_engine(db, create=False)
    with engine.connect() as conn:
        out = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in S.metadata.sorted_tables}
    engine.dispose()
    return out


def export_records(db: str, out: Path) -> dict[str, list[dict]]:
    """The contract export of `db`, as lists of records per file."""
    from newsgraph.store.db import open_engine
    from newsgraph.store.export import FILES, export

    engine = open_engine(db, create=False)
    export(engine, out)
    engine.dispose()
    return {name: [json.loads(line) for line in (out / f"{name}.jsonl").open(encoding="utf-8")] for name in FILES}


def differences(a: dict[str, list[dict]], b: dict[str, list[dict]], limit: int = 3) -> list[str]:
    """Readable differences between two exports (empty when they are equal)."""
    out = []
    for name in sorted(set(a) | set(b)):
        ra, rb = a.get(name, []), b.get(name, [])
        if len(ra) != len(rb):
            out.append(f"{name}: {len(ra)} vs {len(rb)} records")
        for x, y in zip(ra, rb):
            if x != y and len(out) < limit * 3:
                keys = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
                out.append(f"{name} {x.get('id', x.get('doc'))}: {', '.join(f'{k}={x.get(k)!r} vs {y.get(k)!r}' for k in keys)[:400]}")
    return out
