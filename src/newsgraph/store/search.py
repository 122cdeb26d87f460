"""Full-text index over entities, events, figures and articles: FTS5 on SQLite, a tsvector
column with a GIN index on PostgreSQL.

The index is derived data, kept in its own tables (`search_fts` on SQLite, `search_index` on
PostgreSQL, and `search_docs` listing the documents already indexed), so it can be dropped and
rebuilt at any time. `refresh` is incremental: it indexes only documents not yet indexed, with
their events and figures, and re-indexes the entities those documents mention (a new alias
makes an entity findable under it); its cost follows what is new, not the size of the base.

Each row keeps the sentence that states it (`doc`, `sstart`, `send`), so every hit can show
its source sentence. Merges are not baked in: an entity row keeps its own id and readers map
it to its canonical one, so a merge or a split needs no re-indexing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import Engine, bindparam, column, select, table, text, update
from sqlalchemy.exc import OperationalError

from . import schema as S

CHUNK = 200  # documents indexed per transaction
KINDS = ("entity", "event", "claim", "document")
SEARCH_DOCS = table("search_docs", column("doc"))

_SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "kind UNINDEXED, ref UNINDEXED, doc UNINDEXED, sstart UNINDEXED, send UNINDEXED, label, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TABLE IF NOT EXISTS search_docs (doc VARCHAR(40) PRIMARY KEY)",
]
_PG_DDL = [
    "CREATE TABLE IF NOT EXISTS search_index (kind VARCHAR(8) NOT NULL, ref VARCHAR(40) NOT NULL, doc VARCHAR(40), "
    "sstart INTEGER, send INTEGER, label TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '', "
    "tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', label), 'A') || setweight(to_tsvector('english', body), 'B')) STORED)",
    "CREATE INDEX IF NOT EXISTS ix_search_index_tsv ON search_index USING GIN (tsv)",
    "CREATE INDEX IF NOT EXISTS ix_search_index_ref ON search_index (kind, ref)",
    "CREATE TABLE IF NOT EXISTS search_docs (doc VARCHAR(40) PRIMARY KEY)",
]

# Characters and words with a meaning in FTS5 query syntax. A query without them is searched
# as plain words; one with them is tried as written first.
_SYNTAX = re.compile(r'["()*:^+{}]|\b(AND|OR|NOT|NEAR)\b')
_WORD = re.compile(r"\w+", re.UNICODE)


class SearchUnavailable(RuntimeError):
    """The index cannot be used (no FTS5 in this SQLite, or it was never built)."""


def _table(conn) -> str:
    return "search_index" if conn.dialect.name == "postgresql" else "search_fts"


def ensure(conn) -> None:
    """Create the index tables if missing."""
    ddl = _PG_DDL if conn.dialect.name == "postgresql" else _SQLITE_DDL
    try:
        for stmt in ddl:
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
            conn.exec_driver_sql(f"DELETE FROM {_table(conn)}")
            conn.exec_driver_sql("DELETE FROM search_docs")
    done = 0
    while True:
        with engine.begin() as conn:
            # A write first, so that two refreshes at once take turns instead of both indexing
            # the same documents (it takes SQLite's write lock, or PostgreSQL's row lock).
            conn.execute(update(S.meta).where(S.meta.c.key == "schema_version").values(value=S.meta.c.value))
            d = S.documents
            new = [r[0] for r in conn.execute(select(d.c.id).where(d.c.id.not_in(select(SEARCH_DOCS.c.doc))).order_by(d.c.id).limit(CHUNK))]
            if not new:
                return done
            _index_documents(conn, new)
            done += len(new)


def _insert(conn, rows: list[dict]) -> None:
    if rows:
        conn.execute(
            text(f"INSERT INTO {_table(conn)} (kind, ref, doc, sstart, send, label, body) VALUES (:kind, :ref, :doc, :sstart, :send, :label, :body)"),
            rows,
        )


def _index_documents(conn, doc_ids: list[str]) -> None:
    d, ev, c, m, a, e = S.documents, S.events, S.claims, S.mentions, S.entity_aliases, S.entities
    rows: list[dict] = []
    texts = {}
    for r in conn.execute(select(d.c.id, d.c.title, d.c.text).where(d.c.id.in_(doc_ids))):
        texts[r.id] = r.text
        rows.append({"kind": "document", "ref": r.id, "doc": r.id, "sstart": None, "send": None, "label": r.title or "", "body": r.text})
    for r in conn.execute(select(ev).where(ev.c.doc.in_(doc_ids))):
        rows.append({"kind": "event", "ref": r.id, "doc": r.doc, "sstart": r.sentence_start, "send": r.sentence_end,
                     "label": f"{r.type} {r.trigger_text}", "body": texts[r.doc][r.sentence_start : r.sentence_end]})
    for r in conn.execute(select(c).where(c.c.doc.in_(doc_ids))):
        rows.append({"kind": "claim", "ref": r.id, "doc": r.doc, "sstart": r.sentence_start, "send": r.sentence_end,
                     "label": r.what or "", "body": texts[r.doc][r.sentence_start : r.sentence_end]})
    # Entities named in these documents: (re)index each with every name it is known by, and keep
    # the sentence of a mention already indexed, else its first mention here.
    first: dict[str, tuple] = {}
    for r in conn.execute(select(m.c.entity, m.c.doc, m.c.sentence_start, m.c.sentence_end).where(m.c.doc.in_(doc_ids)).order_by(m.c.doc, m.c.start)):
        first.setdefault(r.entity, (r.doc, r.sentence_start, r.sentence_end))
    ids = sorted(first)
    table = _table(conn)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        old = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute(
                text(f"SELECT ref, doc, sstart, send FROM {table} WHERE kind = 'entity' AND ref IN :ids").bindparams(bindparam("ids", expanding=True)),
                {"ids": chunk},
            )
        }
        conn.execute(text(f"DELETE FROM {table} WHERE kind = 'entity' AND ref IN :ids").bindparams(bindparam("ids", expanding=True)), {"ids": chunk})
        names: dict[str, list[str]] = {}
        for r in conn.execute(select(e.c.id, e.c.name).where(e.c.id.in_(chunk))):
            names[r.id] = [r.name]
        for r in conn.execute(select(a.c.entity, a.c.alias).where(a.c.entity.in_(chunk)).order_by(a.c.entity, a.c.alias)):
            names.setdefault(r.entity, []).append(r.alias)
        for ent in chunk:
            doc, s0, s1 = old.get(ent) or first[ent]
            rows.append({"kind": "entity", "ref": ent, "doc": doc, "sstart": s0, "send": s1, "label": " ; ".join(names.get(ent, [])), "body": ""})
    _insert(conn, rows)
    conn.execute(text("INSERT INTO search_docs (doc) VALUES (:doc)"), [{"doc": x} for x in doc_ids])


def _plain(q: str) -> str:
    """The query as plain words, each quoted, for FTS5 (`ez-Zor` becomes the phrase "ez Zor")."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in q.split() if _WORD.search(w))


def match(conn, q: str, kind: str, limit: int) -> tuple[list, str | None]:
    """Rows of `kind` matching `q`, best first: (ref, doc, sstart, send). Also a note for the
    user when the query could not be read as search syntax and was searched as plain words."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if conn.dialect.name == "postgresql":
        # websearch_to_tsquery reads "phrases", OR and -word and never fails on syntax.
        sql = text(
            "SELECT ref, doc, sstart, send FROM search_index, websearch_to_tsquery('english', :q) query "
            "WHERE kind = :kind AND tsv @@ query ORDER BY ts_rank(tsv, query) DESC, ref LIMIT :limit"
        )
        return _run(conn, sql, {"q": q, "kind": kind, "limit": limit}), None
    sql = text(
        "SELECT ref, doc, sstart, send FROM search_fts WHERE search_fts MATCH :q AND kind = :kind "
        "ORDER BY bm25(search_fts, 0, 0, 0, 0, 0, 10.0, 1.0), ref LIMIT :limit"
    )
    plain = _plain(q)
    if not _SYNTAX.search(q):
        return (_run(conn, sql, {"q": plain, "kind": kind, "limit": limit}) if plain else []), None
    try:
        # On SQLite a failed SELECT leaves the transaction usable, so the plain retry can follow.
        return _run(conn, sql, {"q": q, "kind": kind, "limit": limit}), None
    except OperationalError as err:
        reason = str(err.orig) if getattr(err, "orig", None) else str(err)
        if "no such table" in reason:
            raise SearchUnavailable("the search index has not been built; run `newsgraph build` or restart `newsgraph serve`") from err
        note = f"{q!r} is not valid search syntax ({reason}); searched for the words instead."
        return (_run(conn, sql, {"q": plain, "kind": kind, "limit": limit}) if plain else []), note


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
