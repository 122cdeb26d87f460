"""Shared fixtures: the real spaCy model loaded once, and a knowledge base built from the demo corpus.

PostgreSQL: `pg_cluster` starts a throwaway server for the session (tests/pg_cluster.py);
`any_db` (a fresh empty base) and `demo_kb` / `demo_export_any` (the demo corpus) run a test
once on SQLite and once on PostgreSQL. Without a server the PostgreSQL cases are skipped with
the reason; with CI=true they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"


@pytest.fixture(scope="session")
def analyser():
    from newsgraph.extract.pipeline import Analyser

    return Analyser.load()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, analyser) -> str:
    """A SQLite knowledge base built once from examples/corpus."""
    from newsgraph.build import build

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    report = build([str(CORPUS)], str(path), progress=False, analyser=analyser)
    assert report.stored >= 15, report
    return str(path)


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> tuple[str, dict[str, str]]:
    """A writable copy of the demo base, and its people's entity ids by name."""
    import shutil
    import sqlite3

    db = str(tmp_path / "kb.db")
    shutil.copy(demo_db, db)
    con = sqlite3.connect(db)
    ids = dict(con.execute("SELECT name, id FROM entities WHERE type = 'PERSON'").fetchall())
    con.close()
    return db, ids


@pytest.fixture(scope="session")
def demo_export(demo_db, tmp_path_factory) -> dict[str, list[dict]]:
    """The demo knowledge base exported, as lists of records per file."""
    import json

    from newsgraph.store.db import open_engine
    from newsgraph.store.export import FILES, export

    out = tmp_path_factory.mktemp("export")
    export(open_engine(demo_db, create=False), out)
    return {name: [json.loads(line) for line in (out / f"{name}.jsonl").open(encoding="utf-8")] for name in FILES}


def _export_records(db: str, out: Path) -> dict[str, list[dict]]:
    from kbcheck import export_records

    return export_records(db, out)


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL server for the session; `.database()` gives a fresh database's URL."""
    from pg_cluster import Cluster, NoServer

    cluster = Cluster()
    try:
        cluster.start()
    except NoServer as err:
        cluster.stop()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required with CI=true: {err}")
        pytest.skip(f"PostgreSQL tests skipped: {err}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path) -> str:
    """A new, empty knowledge base location: a SQLite path, then a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "kb.db")
    return request.getfixturevalue("pg_cluster").database()


@pytest.fixture(scope="session")
def demo_db_pg(pg_cluster, analyser) -> str:
    """The demo corpus built into a PostgreSQL database (URL)."""
    from newsgraph.build import build

    # An ICU en-US collation, as on a team's server: answers must not depend on it.
    url = pg_cluster.database("demo", icu_locale="en-US")
    report = build([str(CORPUS)], url, progress=False, analyser=analyser)
    assert report.stored >= 15, report
    return url


@pytest.fixture(scope="session")
def demo_export_pg(demo_db_pg, tmp_path_factory) -> dict[str, list[dict]]:
    return _export_records(demo_db_pg, tmp_path_factory.mktemp("export_pg"))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def demo_kb(request) -> str:
    """The demo knowledge base, once as a SQLite file and once in PostgreSQL."""
    return request.getfixturevalue("demo_db" if request.param == "sqlite" else "demo_db_pg")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def demo_export_any(request) -> dict[str, list[dict]]:
    """`demo_export`, then the same from the PostgreSQL build."""
    return request.getfixturevalue("demo_export" if request.param == "sqlite" else "demo_export_pg")
