"""A process pool gives the same knowledge base as one process."""

from __future__ import annotations

from pathlib import Path

from newsgraph.build import build
from newsgraph.store.db import open_engine
from newsgraph.store.export import ITERATORS

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


def _dump(db: str) -> dict:
    with open_engine(db, create=False).connect() as conn:
        return {name: list(it(conn)) for name, it in ITERATORS.items()}


def test_jobs_2_matches_jobs_1(tmp_path, demo_db):
    db = str(tmp_path / "pool.db")
    report = build([str(CORPUS)], db, jobs=2, progress=False, batch_size=8)
    assert report.stored >= 15
    assert _dump(db) == _dump(demo_db)
