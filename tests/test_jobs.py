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


def test_jobs_2_matches_jobs_1(tmp_path, demo_db, monkeypatch):
    """Also with resolution across articles run while the workers analyse (after every 8 stored
    articles here, so twice before the end): it must end where one resolution at the end does."""
    import newsgraph.build as B

    runs = []
    real = B.resolve_corpus
    monkeypatch.setattr(B, "resolve_corpus", lambda *a, **k: runs.append(1) or real(*a, **k))
    db = str(tmp_path / "pool.db")
    report = build([str(CORPUS)], db, jobs=2, progress=False, batch_size=8, resolve_every=8)
    assert len(runs) >= 3, "resolved while analysing, then at the end"
    assert report.stored >= 15
    assert _dump(db) == _dump(demo_db)
