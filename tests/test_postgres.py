"""PostgreSQL gives the same knowledge base and the same answers as SQLite.

The demo corpus is built into both (fixtures in conftest.py, a throwaway server from
pg_cluster.py); the exports, every table's row count and every JSON route of the API must agree.
The command line is run against a PostgreSQL URL as a user would: build, info, export, serve.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from kbcheck import differences, export_records, table_counts

from newsgraph.store.db import open_engine
from newsgraph.web.app import create_app

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


def _cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsgraph", *args], capture_output=True, text=True, timeout=timeout)


def test_the_demo_corpus_gives_the_same_knowledge_base_on_both(demo_db, demo_db_pg, demo_export, demo_export_pg, tmp_path):
    assert demo_export["documents"] and demo_export["entities"] and demo_export["events"] and demo_export["claims"]
    assert differences(demo_export, demo_export_pg) == []
    assert demo_export == demo_export_pg
    assert table_counts(demo_db) == table_counts(demo_db_pg)
    # Byte for byte, in the same order, though the PostgreSQL database collates as en-US.
    export_records(demo_db, tmp_path / "lite")
    export_records(demo_db_pg, tmp_path / "pg")
    for f in sorted((tmp_path / "lite").iterdir()):
        assert f.read_bytes() == (tmp_path / "pg" / f.name).read_bytes(), f.name


def _api_paths(app, export: dict[str, list[dict]]) -> list[str]:
    """Every GET route of the JSON API, with ids from the export filled in."""
    docs = [d["id"] for d in export["documents"]]
    ents = [e["id"] for e in export["entities"]][:: max(1, len(export["entities"]) // 12)]
    groups = sorted({c["group"] for c in export["claims"] if c["group"]})
    paths = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if "GET" not in getattr(route, "methods", set()) or not path.startswith("/api/") or path.startswith("/api/search"):
            continue
        if "{doc_id}" in path:
            paths += [path.replace("{doc_id}", d) for d in docs]
        elif "{entity_id}" in path:
            paths += [path.replace("{entity_id}", e) for e in ents]
        elif "{group}" in path:
            paths += [path.replace("{group}", g) for g in groups]
        elif "{" not in path:
            paths.append(path)
    dated = [e["date"]["value"] for e in export["events"] if e["date"] and e["date"]["value"]]
    if dated:
        paths.append(f"/api/events?since={min(dated)[:4]}-01-01&until={max(dated)[:4]}-12-31")
    what = next(c["what"] for c in export["claims"] if c["what"])
    paths.append(f"/api/claims?q={what.split()[0].upper()}")  # case must not matter on either backend
    return paths


def test_every_json_route_answers_the_same_on_both(demo_db, demo_db_pg, demo_export):
    lite = TestClient(create_app(open_engine(demo_db, create=False)))
    pg = TestClient(create_app(open_engine(demo_db_pg, create=False)))
    paths = _api_paths(lite.app, demo_export)
    assert len(paths) > 20
    for path in paths:
        a, b = lite.get(path), pg.get(path)
        assert a.status_code == b.status_code == 200, (path, a.status_code, b.status_code, b.text[:300])
        assert a.json() == b.json(), path


def test_search_is_case_insensitive_on_both(demo_kb, demo_export):
    client = TestClient(create_app(open_engine(demo_kb, create=False)))
    ent = next(e for e in demo_export["entities"] if e["type"] == "PERSON" and len(e["mentions"]) > 1)
    for q in (ent["name"].lower(), ent["name"].upper()):
        r = client.get("/api/search", params={"q": q})
        assert r.status_code == 200
        assert ent["id"] in {h["id"] for h in r.json()["entities"]}, (q, r.json()["entities"][:3])


def test_the_command_line_works_with_a_postgresql_url(pg_cluster, tmp_path):
    url = pg_cluster.database("cli")
    files = sorted(CORPUS.glob("*.txt"))[:3]
    r = _cli("build", *map(str, files), "--db", url, "-q")
    assert r.returncode == 0, r.stderr
    assert "3 new article(s) stored" in r.stderr
    again = _cli("build", *map(str, files), "--db", url, "-q")
    assert again.returncode == 0 and "0 new article(s) stored, 3 already stored" in again.stderr, again.stderr
    info = _cli("info", "--db", url)
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["counts"]["documents"] == 3
    out = tmp_path / "export"
    exp = _cli("export", "--db", url, "--out", str(out))
    assert exp.returncode == 0, exp.stderr
    assert len((out / "documents.jsonl").read_text(encoding="utf-8").splitlines()) == 3

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "newsgraph", "serve", "--db", url, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        doc = json.loads((out / "documents.jsonl").read_text(encoding="utf-8").splitlines()[0])
        deadline, body = time.time() + 60, None
        while time.time() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/documents/{doc['id']}", timeout=5) as resp:
                    body = json.loads(resp.read())
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.3)
        assert body is not None and body["text"] == doc["text"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_unreachable_server_or_missing_database_is_one_clear_line(pg_cluster):
    base = pg_cluster.base_url.rsplit("/", 1)[0]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    for args, words in (
        (("info", "--db", f"postgresql://someone:secret@127.0.0.1:{closed_port}/kb"), ["cannot connect", "server is running"]),
        (("export", "--db", f"{base}/no_such_db", "--out", "/tmp/never"), ["cannot connect", "no_such_db", "createdb"]),
        (("info", "--db", pg_cluster.database("empty")), ["no knowledge base", "newsgraph build"]),
    ):
        r = _cli(*args, timeout=60)
        assert r.returncode == 2, (args, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and all(w in lines[0] for w in words), r.stderr
        assert "secret" not in r.stderr and "Traceback" not in r.stderr


def test_an_old_postgresql_base_is_migrated_once(pg_cluster):
    from sqlalchemy import inspect, text

    from newsgraph.store import schema as S
    url = pg_cluster.database("old")
    engine = open_engine(url)
    with engine.begin() as conn:
        # Back to version 1: entities without the columns of the merges across articles.
        conn.execute(text("DROP INDEX IF EXISTS ix_entities_canonical"))
        conn.execute(text("ALTER TABLE entities DROP COLUMN canonical, DROP COLUMN merge_reason"))
        conn.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    engine.dispose()
    for _ in range(2):
        engine = open_engine(url)
        assert {"canonical", "merge_reason"} <= {c["name"] for c in inspect(engine).get_columns("entities")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar_one() == str(S.SCHEMA_VERSION)
        engine.dispose()


def test_builds_started_together_on_a_new_base_create_it_once(any_db, tmp_path):
    """Processes opening a brand-new base at once (SQLite, PostgreSQL): one creates the schema, the others wait."""
    url = any_db
    # Each process imports first, then all open the base at the same instant.
    code = (
        "import sys, time; from newsgraph.store.db import open_engine; "
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time())); open_engine(sys.argv[1]).dispose()"
    )
    start = str(time.time() + 8)
    procs = [subprocess.Popen([sys.executable, "-c", code, url, start], stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    assert table_counts(url)["meta"] >= 1
    assert export_records(url, tmp_path / "x")["documents"] == []


def test_a_value_longer_than_its_column_hint_is_stored_on_both(any_db):
    """SQLite ignores VARCHAR lengths; PostgreSQL must not fail a batch over one either."""
    from sqlalchemy import select

    from newsgraph.store import schema as S
    from newsgraph.store.db import insert_rows

    engine = open_engine(any_db)
    long_type = "ATTEMPTED_ASSASSINATION_OF_AN_OFFICIAL"  # a user's event schema may say so
    with engine.begin() as conn:
        insert_rows(conn, S.documents, [{"id": "d" * 40, "source": "x.txt", "language": "zh-Hant-TW", "text": "Text."}])
        insert_rows(conn, S.timexes, [{"doc": "d" * 40, "start": 0, "end": 4, "text": "Text", "type": long_type}])
    with engine.connect() as conn:
        assert conn.execute(select(S.timexes.c.type)).scalar_one() == long_type
        assert conn.execute(select(S.documents.c.language)).scalar_one() == "zh-Hant-TW"
    engine.dispose()
