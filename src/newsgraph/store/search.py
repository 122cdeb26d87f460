"""Full-text index over entities, events, figures and articles: FTS5 on SQLite, a tsvector
column with a GIN index on PostgreSQL.

The index is derived data in its own tables (on SQLite one FTS5 table per kind,
`search_entity`, `search_event`, `search_claim`, `search_document`; on PostgreSQL one
`search_index` table with a `kind` column; on both `search_docs` listing the documents already
indexed), so it can be dropped and rebuilt at any time; a change of layout (INDEX_VERSION)
rebuilds it once. `refresh` is incremental: it indexes only documents not yet indexed, with
their events and figures, and re-indexes the entities those documents mention (a new alias
makes an entity findable under it); its cost follows what is new, not the size of the base.

Each row keeps the sentence that states it (`doc`, `sstart`, `send`), so every hit can show
its source sentence. Merges are not baked in: an entity row keeps its own id and readers map
it to its canonical one, so a merge or a split needs no re-indexing.

Ranking, bounded: entities are ranked by relevance among all that match. Events, figures and
articles are ranked by relevance among the CANDIDATES most recently indexed matches of their
kind, so a name found in tens of thousands of sentences costs the same as a rare one (the
newest reports of a much-covered name come first; narrow the query to reach older ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Engine, bindparam, column, select, table, text, update
from sqlalchemy.exc import OperationalError

from . import schema as S
from .db import get_meta, set_meta

INDEX_VERSION = "3"
CHUNK = 200  # documents indexed per transaction
CANDIDATES = 1000  # newest matches of a kind that are ranked by relevance
KINDS = ("entity", "event", "claim", "document")
SEARCH_DOCS = table("search_docs", column("doc"))

_SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS search_{kind} USING fts5("
    "ref UNINDEXED, doc UNINDEXED, sstart UNINDEXED, send UNINDEXED, label, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
    for kind in KINDS
] + ["CREATE TABLE IF NOT EXISTS search_docs (doc VARCHAR(40) PRIMARY KEY)"]
_PG_DDL = [
    "CREATE TABLE IF NOT EXISTS search_index (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
    "kind VARCHAR(8) NOT NULL, ref VARCHAR(40) NOT NULL, doc VARCHAR(40), "
    "sstart INTEGER, send INTEGER, label TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '', "
    "tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', label), 'A') || setweight(to_tsvector('english', body), 'B')) STORED)",
    "CREATE INDEX IF NOT EXISTS ix_search_index_tsv ON search_index USING GIN (tsv)",
    "CREATE INDEX IF NOT EXISTS ix_search_index_ref ON search_index (kind, ref)",
    "CREATE TABLE IF NOT EXISTS search_docs (doc VARCHAR(40) PRIMARY KEY)",
]
# Indexes the web pages' reads need beyond the schema's own (derived, so created here with the
# search index: `build` and `serve` both run `refresh`).
_READ_INDEXES = [
    # Partial indexes for columns that are mostly null: over the whole column the nulls make an
    # index look useless to SQLite's planner (it scans instead); over the non-null rows it is
    # the look-up it should be. PostgreSQL takes them as they are.
    "CREATE INDEX IF NOT EXISTS ix_web_events_place ON events (place) WHERE place IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS ix_web_events_attributed ON events (attributed_entity) WHERE attributed_entity IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS ix_web_events_reported ON events (same_as) WHERE same_as IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS ix_web_claims_source ON claims (source_entity) WHERE source_entity IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS ix_web_documents_duplicate ON documents (duplicate_of) WHERE duplicate_of IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS ix_web_events_date ON events (date_value)",
    # covering: an entity's events are filtered and put in date order from these alone
    "DROP INDEX IF EXISTS ix_web_events_order",  # its first form, without same_as
    "CREATE INDEX IF NOT EXISTS ix_web_events_page ON events (id, date_value, doc, trigger_start, same_as)",
    "CREATE INDEX IF NOT EXISTS ix_web_participants_entity_event ON event_participants (entity, event)",
    "CREATE INDEX IF NOT EXISTS ix_web_mentions_entity_doc ON mentions (entity, doc)",
    "CREATE INDEX IF NOT EXISTS ix_web_documents_published ON documents (published)",
]
_OLD_INDEXES = ["ix_web_events_place", "ix_web_events_attributed", "ix_web_claims_source", "ix_web_documents_duplicate"]
_OLD_TABLES = ["search_fts", "search_index", *(f"search_{k}" for k in KINDS), "search_docs"]

# Characters and words with a meaning in FTS5 query syntax. A query without them is searched
# as plain words; one with them is tried as written first.
_SYNTAX = re.compile(r'["()*:^+{}]|\b(AND|OR|NOT|NEAR)\b')
_WORD = re.compile(r"\w+", re.UNICODE)


class SearchUnavailable(RuntimeError):
    """The index cannot be used (no FTS5 in this SQLite, or it was never built)."""


def _pg(conn) -> bool:
    return conn.dialect.name == "postgresql"


def ensure(conn) -> None:
    """Create the index tables (and the read indexes the pages need) if missing; drop an index
    of an older layout so it is rebuilt."""
    if get_meta(conn, "search_index_version") != INDEX_VERSION:
        for name in _OLD_TABLES:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
        for name in _OLD_INDEXES:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        set_meta(conn, "search_index_version", INDEX_VERSION)
    try:
        for stmt in (_PG_DDL if _pg(conn) else _SQLITE_DDL) + _READ_INDEXES:
            conn.exec_driver_sql(stmt)
    except OperationalError as err:
        if "fts5" in str(err).lower():
            raise SearchUnavailable("this SQLite has no FTS5 module; install a Python built with a current SQLite") from err
        raise


def refresh(engine: Engine, *, full: bool = False) -> int:
    """Index what is new since the last refresh (everything when `full`); return documents indexed."""
    with engine.begin() as conn:
        ensure(conn)
        if full:
            for name in ["search_index"] if _pg(conn) else [f"search_{k}" for k in KINDS]:
                conn.exec_driver_sql(f"DELETE FROM {name}")
            conn.exec_driver_sql("DELETE FROM search_docs")
    done = 0
    while True:
        with engine.begin() as conn:
            # A write first, so that two refreshes at once take turns instead of both indexing
            # the same documents (it takes SQLite's write lock, or PostgreSQL's row lock).
            conn.execute(update(S.meta).where(S.meta.c.key == "schema_version").values(value=S.meta.c.value))
            d = S.documents
            # In order of arrival, so "most recently indexed" means the latest articles stored.
            new = [
                r[0]
                for r in conn.execute(
                    select(d.c.id).where(d.c.id.not_in(select(SEARCH_DOCS.c.doc))).order_by(d.c.seq.is_(None), d.c.seq, d.c.id).limit(CHUNK)
                )
            ]
            if not new:
                break
            _index_documents(conn, new)
            done += len(new)
    _analyze(engine, again=bool(done or full))
    return done


def _analyze(engine: Engine, *, again: bool) -> None:
    """Give SQLite's planner statistics (a sample per index, well under a second), made anew
    when `again` (something was indexed) or when a read index has none: without them it may read a
    near-universal index (`same_as IS NULL`) instead of looking ids up. PostgreSQL's autovacuum
    keeps its own."""
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            if not again and conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
                unmeasured = conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_web_%' "
                    "AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL)"
                ).first()
                if not unmeasured:  # every read index has statistics: nothing to do
                    return
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")


def _insert(conn, kind: str, rows: list[dict]) -> None:
    if not rows:
        return
    if _pg(conn):
        sql = "INSERT INTO search_index (kind, ref, doc, sstart, send, label, body) VALUES (:kind, :ref, :doc, :sstart, :send, :label, :body)"
        conn.execute(text(sql), [{**r, "kind": kind} for r in rows])
    else:
        sql = f"INSERT INTO search_{kind} (ref, doc, sstart, send, label, body) VALUES (:ref, :doc, :sstart, :send, :label, :body)"
        conn.execute(text(sql), rows)


def _entity_rows(conn, ids: list[str]):
    where = "kind = 'entity' AND ref IN :ids" if _pg(conn) else "ref IN :ids"
    name = "search_index" if _pg(conn) else "search_entity"
    expand = [bindparam("ids", expanding=True)]
    old = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(text(f"SELECT ref, doc, sstart, send FROM {name} WHERE {where}").bindparams(*expand), {"ids": ids})}
    conn.execute(text(f"DELETE FROM {name} WHERE {where}").bindparams(*expand), {"ids": ids})
    return old


def _index_documents(conn, doc_ids: list[str]) -> None:
    d, ev, c, m, a, e = S.documents, S.events, S.claims, S.mentions, S.entity_aliases, S.entities
    texts = {}
    rows = []
    for r in conn.execute(select(d.c.id, d.c.title, d.c.text).where(d.c.id.in_(doc_ids)).order_by(d.c.seq, d.c.id)):
        texts[r.id] = r.text
        rows.append({"ref": r.id, "doc": r.id, "sstart": None, "send": None, "label": r.title or "", "body": r.text})
    _insert(conn, "document", rows)
    rows = [
        {"ref": r.id, "doc": r.doc, "sstart": r.sentence_start, "send": r.sentence_end, "label": f"{r.type} {r.trigger_text}",
         "body": texts[r.doc][r.sentence_start : r.sentence_end]}
        for r in conn.execute(select(ev).where(ev.c.doc.in_(doc_ids)).order_by(ev.c.doc, ev.c.trigger_start))
    ]
    _insert(conn, "event", rows)
    rows = [
        {"ref": r.id, "doc": r.doc, "sstart": r.sentence_start, "send": r.sentence_end, "label": r.what or "",
         "body": texts[r.doc][r.sentence_start : r.sentence_end]}
        for r in conn.execute(select(c).where(c.c.doc.in_(doc_ids)).order_by(c.c.doc, c.c.start))
    ]
    _insert(conn, "claim", rows)
    # Entities named in these documents: (re)index each with every name it is known by, and keep
    # the sentence of a mention already indexed, else its first mention here.
    first: dict[str, tuple] = {}
    for r in conn.execute(select(m.c.entity, m.c.doc, m.c.sentence_start, m.c.sentence_end).where(m.c.doc.in_(doc_ids)).order_by(m.c.doc, m.c.start)):
        first.setdefault(r.entity, (r.doc, r.sentence_start, r.sentence_end))
    ids = sorted(first)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        old = _entity_rows(conn, chunk)
        names: dict[str, list[str]] = {}
        for r in conn.execute(select(e.c.id, e.c.name).where(e.c.id.in_(chunk))):
            names[r.id] = [r.name]
        for r in conn.execute(select(a.c.entity, a.c.alias).where(a.c.entity.in_(chunk)).order_by(a.c.entity, a.c.alias)):
            names.setdefault(r.entity, []).append(r.alias)
        rows = []
        for ent in chunk:
            doc, s0, s1 = old.get(ent) or first[ent]
            rows.append({"ref": ent, "doc": doc, "sstart": s0, "send": s1, "label": " ; ".join(names.get(ent, [])), "body": ""})
        _insert(conn, "entity", rows)
    conn.execute(text("INSERT INTO search_docs (doc) VALUES (:doc)"), [{"doc": x} for x in doc_ids])


def _plain(q: str) -> str:
    """The query as plain words, each quoted, for FTS5 (`ez-Zor` becomes the phrase "ez Zor")."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in q.split() if _WORD.search(w))


def _sql(conn, kind: str):
    return _ranked_query(conn.dialect.name, kind)


@lru_cache(maxsize=16)
def _ranked_query(dialect: str, kind: str):
    """The ranked query for one kind (see the module docstring for the bounds), built once."""
    if dialect == "postgresql":
        # websearch_to_tsquery reads "phrases", OR and -word and never fails on syntax.
        pool = "" if kind == "entity" else f"ORDER BY id DESC LIMIT {CANDIDATES}"
        return text(
            "SELECT ref, doc, sstart, send FROM (SELECT ref, doc, sstart, send, tsv, query FROM search_index, "
            f"websearch_to_tsquery('english', :q) query WHERE kind = :kind AND tsv @@ query {pool}) hits "
            "ORDER BY ts_rank(tsv, query) DESC, ref LIMIT :limit"
        ).bindparams(kind=kind)
    weights = "0, 0, 0, 0, 10.0, 1.0"  # label counts ten times the body
    if kind == "entity":
        return text(f"SELECT ref, doc, sstart, send FROM search_entity WHERE search_entity MATCH :q ORDER BY bm25(search_entity, {weights}), ref LIMIT :limit")
    t = f"search_{kind}"
    return text(
        f"SELECT ref, doc, sstart, send FROM (SELECT ref, doc, sstart, send, bm25({t}, {weights}) AS score FROM {t} "
        f"WHERE {t} MATCH :q ORDER BY rowid DESC LIMIT {CANDIDATES}) ORDER BY score, ref LIMIT :limit"
    )


def match(conn, q: str, limit: int) -> tuple[dict[str, list], str | None]:
    """For each kind, the `limit` best rows matching `q`: (ref, doc, sstart, send). Also a note
    for the user when the query could not be read as search syntax and was searched as plain
    words instead."""
    if _pg(conn):
        return {k: _run(conn, _sql(conn, k), {"q": q, "limit": limit}) for k in KINDS}, None
    plain = _plain(q)

    def run(query: str) -> dict[str, list]:
        return {k: _run(conn, _sql(conn, k), {"q": query, "limit": limit}) if query else [] for k in KINDS}

    if not _SYNTAX.search(q):
        return run(plain), None
    try:
        # On SQLite a failed SELECT leaves the transaction usable, so the plain retry can follow.
        return run(q), None
    except OperationalError as err:
        reason = str(err.orig) if getattr(err, "orig", None) else str(err)
        if "no such table" in reason:
            raise SearchUnavailable("the search index has not been built; run `newsgraph build` or restart `newsgraph serve`") from err
        return run(plain), f"{q!r} is not valid search syntax ({reason}); searched for the words instead."


def _run(conn, sql, params) -> list:
    try:
        return conn.execute(sql, params).fetchall()
    except OperationalError as err:
        if "no such table" in str(err):
            raise SearchUnavailable("the search index has not been built; run `newsgraph build` or restart `newsgraph serve`") from err
        raise


def sentence_for(text_: str, sentences: Iterable[tuple[int, int]], q: str) -> tuple[int, int] | None:
    """The sentence of a document that holds most of the query's words (matched on their first
    letters, so "arrested" finds "arrest"), or None when none does."""
    words = [w.lower() for w in _WORD.findall(q) if w.upper() not in ("AND", "OR", "NOT", "NEAR")]
    if not words:
        return None
    pats = [re.compile(r"\b" + re.escape(w[: max(4, len(w) - 3)] if len(w) > 4 else w), re.IGNORECASE) for w in words]
    best, best_n = None, 0
    for s0, s1 in sentences:
        chunk = text_[s0:s1]
        n = sum(1 for p in pats if p.search(chunk))
        if n > best_n:
            best, best_n = (s0, s1), n
            if n == len(pats):
                break
    return best
