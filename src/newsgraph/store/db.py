"""Opening a knowledge base, migrating it, and writing extractions into it.

`--db` is a SQLite path (the default, in WAL mode) or a `postgresql://` URL; both go through
the same SQLAlchemy Core schema. Writes are idempotent: a document row is written in the same
transaction as everything extracted from it, so a build killed mid-way leaves only whole
documents behind and a rerun finishes the job without duplicates.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import UsageError
from . import schema as S

# Named, ordered migrations: (version, name, statements). Version 1 is the initial schema,
# created by `metadata.create_all`; later changes append here and never edit old entries.
# A new database is created at the latest version by `create_all` and skips them all.
# Keep the last version equal to schema.SCHEMA_VERSION.
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "initial schema", []),
    (
        2,
        "entities merged across articles",
        [
            "ALTER TABLE entities ADD COLUMN canonical VARCHAR(40) REFERENCES entities(id)",
            "ALTER TABLE entities ADD COLUMN merge_reason TEXT",
            "CREATE INDEX IF NOT EXISTS ix_entities_canonical ON entities (canonical)",
        ],
    ),
]


def database_url(db: str) -> str:
    """Turn a `--db` value into an SQLAlchemy URL (a bare path means SQLite)."""
    if db.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        if db.startswith("postgres://"):
            db = "postgresql://" + db[len("postgres://") :]
        if db.startswith("postgresql://"):
            db = "postgresql+psycopg://" + db[len("postgresql://") :]
        return db
    if "://" in db:
        raise UsageError(f"--db {db!r}: give a SQLite file path or a postgresql:// URL")
    return f"sqlite:///{Path(db).expanduser()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers (the web UI, Datasette) work while a build writes.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def open_engine(db: str, *, create: bool = True) -> Engine:
    """Connect to a knowledge base, creating and migrating its schema when `create`."""
    url = database_url(db)
    if url.startswith("sqlite"):
        path = Path(url[len("sqlite:///") :])
        if not create and not path.exists():
            raise UsageError(f"{path}: no such knowledge base; run `newsgraph build INPUT --db {db}` first")
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if create:
        migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    """Create missing tables and apply pending migrations, in order.

    A database without a schema version is new: `create_all` makes it at the latest version.
    """
    S.metadata.create_all(engine)
    with engine.begin() as conn:
        row = conn.execute(select(S.meta.c.value).where(S.meta.c.key == "schema_version")).first()
        current = int(row[0]) if row else S.SCHEMA_VERSION
        if row is None:
            set_meta(conn, "schema_version", str(current))
        for version, _name, statements in MIGRATIONS:
            if version <= current:
                continue
            for stmt in statements:
                conn.exec_driver_sql(stmt)
            set_meta(conn, "schema_version", str(version))


def _insert(conn, table):
    """An INSERT that skips rows whose key already exists, on either backend."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


def set_meta(conn, key: str, value: str) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(S.meta).values(key=key, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def get_meta(conn, key: str) -> str | None:
    row = conn.execute(select(S.meta.c.value).where(S.meta.c.key == key)).first()
    return row[0] if row else None


def existing_document_ids(engine: Engine, ids: Sequence[str]) -> set[str]:
    """The subset of `ids` already stored (so a rebuild skips them)."""
    found: set[str] = set()
    with engine.connect() as conn:
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            found.update(r[0] for r in conn.execute(select(S.documents.c.id).where(S.documents.c.id.in_(chunk))))
    return found


def insert_rows(conn, table, rows: Iterable[dict]) -> None:
    rows = list(rows)
    if rows:
        conn.execute(_insert(conn, table), rows)


def counts(engine: Engine) -> dict[str, int]:
    """Row counts of the user-facing tables, for `newsgraph info`."""
    out = {}
    with engine.connect() as conn:
        for name in ("documents", "entities", "mentions", "timexes", "events", "claims", "quotes"):
            out[name] = conn.execute(select(func.count()).select_from(S.metadata.tables[name])).scalar_one()
    return out


def default_db_path() -> str:
    return os.environ.get("NEWSGRAPH_DB", "newsgraph.db")
