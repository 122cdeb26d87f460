"""Opening a knowledge base, migrating it, and writing extractions into it.

`--db` is a SQLite path (the default, in WAL mode) or a `postgresql://` URL; both go through
the same SQLAlchemy Core schema. Writes are idempotent: a document row is written in the same
transaction as everything extracted from it, so a build killed mid-way leaves only whole
documents behind and a rerun finishes the job without duplicates.

Several builds may write to one base at once (PostgreSQL, or SQLite on one machine): schema
creation and each batch commit are serialised (`migrate`, `lock_for_write`), cross-article
resolution runs under `resolution_lock`, and rows met twice keep a value chosen by content, not
by arrival (`insert_rows(keep_least=...)`). Every lock is released by the server or the
operating system when its process dies. On PostgreSQL text columns are unbounded, as SQLite
treats them, and `code_point_order` sorts text as SQLite does, whatever the collation.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, inspect, make_url, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import String

from ..errors import UsageError
from . import schema as S


@compiles(String, "postgresql")
def _unbounded_text(type_, compiler, **kw) -> str:
    """Text columns are unbounded on PostgreSQL, as on SQLite (which ignores VARCHAR lengths):
    the lengths in schema.py are hints, and a longer value (a user's event type, a unit) must
    not fail a whole batch on one backend only."""
    return "TEXT"

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
    (
        3,
        # The three tables are new, so `create_all` (run first) makes them; existing entities
        # are not in entity_resolved, so the next build resolves them all once.
        "entity resolution blocks and user corrections",
        [
            "CREATE INDEX IF NOT EXISTS ix_entity_corrections_entity ON entity_corrections (entity)",
            "CREATE INDEX IF NOT EXISTS ix_entity_corrections_other ON entity_corrections (other)",
        ],
    ),
    (
        4,
        # Existing claims keep group_id NULL until the next build groups them all once.
        "figure groups and events across articles, with their reasons",
        [
            "ALTER TABLE claims ADD COLUMN group_label TEXT",
            "ALTER TABLE claims ADD COLUMN group_reason TEXT",
            "ALTER TABLE events ADD COLUMN same_as_reason TEXT",
            "CREATE INDEX IF NOT EXISTS ix_events_same_as ON events (same_as)",
        ],
    ),
    (
        5,
        "mentions by sentence, for the entity network",
        ["CREATE INDEX IF NOT EXISTS ix_mentions_sentence ON mentions (doc, sentence_start, entity)"],
    ),
    (
        6,
        "event participants carry their event's type and arrival, for bounded event matching",
        [
            "ALTER TABLE event_participants ADD COLUMN type VARCHAR(16)",
            "ALTER TABLE event_participants ADD COLUMN seq INTEGER",
            "UPDATE event_participants SET type = (SELECT e.type FROM events e WHERE e.id = event_participants.event), "
            "seq = (SELECT d.seq FROM events e JOIN documents d ON d.id = e.doc WHERE e.id = event_participants.event)",
            "CREATE INDEX IF NOT EXISTS ix_event_participants_recent ON event_participants (entity, type, seq)",
        ],
    ),
    (
        7,
        # Existing claims keep NULL: their dates were found in their own sentence.
        "the reason a figure's as-of date was found",
        ["ALTER TABLE claims ADD COLUMN as_of_reason TEXT"],
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
    # First: switching to WAL needs the write lock, which another process creating the schema
    # may hold for a while on a busy machine; wait for it rather than fail "database is locked".
    cur.execute("PRAGMA busy_timeout=30000")
    # WAL lets readers (the web UI, Datasette) work while a build writes. SQLite answers the
    # switch with "database is locked" at once, without its busy handler, while another process
    # is switching too or is cleaning up the WAL as its last connection closes: retry for a while.
    deadline = time.monotonic() + 30
    delay = 0.01
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
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
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        _check_server(engine, db, create)
    if create:
        migrate(engine)
    return engine


def display_url(db: str) -> str:
    """`--db` as it may be printed: a PostgreSQL password is masked."""
    if "://" not in db:
        return db
    try:
        return make_url(database_url(db)).render_as_string(hide_password=True).replace("postgresql+psycopg://", "postgresql://", 1)
    except Exception:  # an unparsable URL holds nothing we can safely show
        return "postgresql://..."


def _check_server(engine: Engine, db: str, create: bool) -> None:
    """Fail with one clear line when the server cannot be reached or holds no knowledge base."""
    try:
        with engine.connect() as conn:
            has_schema = inspect(conn).has_table("documents")
    except OperationalError as err:
        reason = str(err.orig).strip().splitlines()[0] if err.orig is not None else str(err)
        raise UsageError(
            f"{display_url(db)}: cannot connect to PostgreSQL ({reason}); check the URL, that the server is "
            "running and that the database exists (createdb NAME)"
        ) from None
    if not create and not has_schema:
        raise UsageError(f"{display_url(db)}: no knowledge base in this database; run `newsgraph build INPUT --db URL` first")


def migrate(engine: Engine) -> None:
    """Create missing tables and apply pending migrations, in order.

    A database without a schema version is new: `create_all` makes it at the latest version.
    All in one transaction under the schema lock, so builds started together on a new base do
    not both try to create it, and a migration killed half-way is rolled back whole.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_SCHEMA_LOCK)))
        else:
            # pysqlite would only begin at the first write; take the write lock before reading.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        S.metadata.create_all(conn)
        row = conn.execute(select(S.meta.c.value).where(S.meta.c.key == "schema_version")).first()
        current = int(row[0]) if row else S.SCHEMA_VERSION
        if row is None:
            set_meta(conn, "schema_version", str(current))
        for version, _name, statements in MIGRATIONS:
            if version <= current:
                continue
            for stmt in statements:
                if _column_exists(conn, stmt):
                    continue  # made by `create_all` in a base that lacked only older changes
                conn.exec_driver_sql(stmt)
            set_meta(conn, "schema_version", str(version))


def _column_exists(conn, stmt: str) -> bool:
    """Whether `stmt` adds a column the table already has."""
    m = re.match(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", stmt)
    return bool(m) and m.group(2) in {c["name"] for c in inspect(conn).get_columns(m.group(1))}


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


def least_key(row: dict, columns: Sequence[str]) -> tuple[str, ...]:
    """The text tuple `insert_rows(keep_least=columns)` compares (null as empty, code-point order)."""
    return tuple(row.get(c) or "" for c in columns)


def insert_rows(conn, table, rows: Iterable[dict], *, keep_least: Sequence[str] = (), also_set: Sequence[str] = ()) -> None:
    """Insert `rows`, skipping those whose key is already stored.

    With `keep_least` (text columns), a row whose key is stored replaces the stored values of
    those columns and of `also_set` when its `least_key` is less: the stored row is then the
    same whatever order rows arrive in (concurrent builds, Ray, a rerun after a crash). Rows go
    in primary-key order: concurrent writers then take their row locks in one order and cannot
    deadlock on PostgreSQL.
    """
    rows = list(rows)
    if not rows:
        return
    pk = [c.name for c in table.primary_key.columns]
    rows.sort(key=lambda r: tuple((r.get(c) is None, r.get(c) if r.get(c) is not None else 0) for c in pk))
    if not keep_least:
        conn.execute(_insert(conn, table), rows)
        return
    pg = conn.dialect.name == "postgresql"
    stmt = (postgresql if pg else sqlite).insert(table)

    def text_of(col):
        # Code-point order on both, as in Python: SQLite compares bytes; PostgreSQL needs "C".
        value = func.coalesce(col, "")
        return value.collate("C") if pg else value

    new = tuple_(*(text_of(stmt.excluded[c]) for c in keep_least))
    old = tuple_(*(text_of(table.c[c]) for c in keep_least))
    set_ = {c: stmt.excluded[c] for c in (*keep_least, *also_set)}
    conn.execute(stmt.on_conflict_do_update(index_elements=pk, set_=set_, where=new < old), rows)


def code_point_order(conn, column):
    """`column` to ORDER BY in code-point order, as SQLite and Python sort text, whatever the
    PostgreSQL database's collation (en-US would put 'al-Hol' before 'Aleppo')."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column


# Keys of the PostgreSQL advisory locks: one for committing batches, one for cross-article
# resolution. Derived from names so they do not collide with another application's numbers.
_WRITE_LOCK = zlib.crc32(b"newsgraph:write")
_RESOLVE_LOCK = zlib.crc32(b"newsgraph:resolve")
_SCHEMA_LOCK = zlib.crc32(b"newsgraph:schema")


def lock_for_write(conn) -> None:
    """Serialise the rest of this transaction with every other writer of the base, to its commit.

    A batch reads the arrival counter (documents.seq) and then writes; without this, two builds
    committing at once could read the same counter. PostgreSQL: a transaction advisory lock.
    SQLite: a no-op UPDATE, which takes the database's write lock now (waiting out the busy
    timeout) instead of at the first INSERT.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_WRITE_LOCK)))
    else:
        conn.execute(text("UPDATE meta SET value = value WHERE 0 = 1"))


@contextmanager
def resolution_lock(engine: Engine) -> Iterator[None]:
    """Hold the base's resolution lock: one cross-article resolution at a time, across processes.

    Resolution (duplicates, entity merges, claim groups) reads what is stored and rewrites it in
    several transactions, so two runs must not interleave. Batches of other builds may still be
    committed meanwhile; they are resolved by their own build's resolution, which waits here.
    PostgreSQL: a session advisory lock on a connection of its own. SQLite: an exclusive flock
    on `<db>-resolve.lock` beside the file. Both are released by the operating system or the
    server if the process dies, so a killed build never leaves a stale lock.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(select(func.pg_advisory_lock(_RESOLVE_LOCK)))
            conn.commit()  # the session lock outlives the transaction; no snapshot is held open
            try:
                yield
            finally:
                conn.execute(select(func.pg_advisory_unlock(_RESOLVE_LOCK)))
                conn.commit()
        return
    import fcntl

    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}-resolve.lock", "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def counts(engine: Engine) -> dict[str, int]:
    """Row counts of the user-facing tables, for `newsgraph info`."""
    out = {}
    with engine.connect() as conn:
        for name in ("documents", "entities", "mentions", "timexes", "events", "claims", "quotes"):
            out[name] = conn.execute(select(func.count()).select_from(S.metadata.tables[name])).scalar_one()
    return out


def default_db_path() -> str:
    return os.environ.get("NEWSGRAPH_DB", "newsgraph.db")
