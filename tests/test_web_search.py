"""Full-text search (FTS5 on SQLite, tsvector on PostgreSQL) over the demo corpus, and the
index kept up to date build by build."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from newsgraph.build import build
from newsgraph.store import search as fts
from newsgraph.store.db import open_engine
from newsgraph.web.app import create_app

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


@pytest.fixture(scope="module")
def client(demo_kb):
    return TestClient(create_app(open_engine(demo_kb, create=False)))


def test_each_kind_of_hit_comes_with_its_sentence(client):
    r = client.get("/api/search", params={"q": "repatriated"}).json()
    assert r["events"] and r["documents"]
    for ev in r["events"]:
        assert ev["sentence"]["text"] and ev["trigger"]["text"] in ev["sentence"]["text"]
    for d in r["documents"]:
        assert d["sentence"] and "repatriat" in d["sentence"].lower()
    claims = client.get("/api/search", params={"q": "children"}).json()["claims"]
    assert claims and all(c["sentence"]["text"] and c["text"] in c["sentence"]["text"] for c in claims)
    ents = client.get("/api/search", params={"q": "Bishkek"}).json()["entities"]
    assert ents[0]["name"] == "Bishkek" and "Bishkek" in ents[0]["sentence"]


def test_a_hit_links_to_the_sentence_that_states_it(client):
    d = client.get("/api/search", params={"q": "questioning"}).json()["documents"][0]
    page = client.get(f"/documents/{d['id']}").text
    assert f'<span class="sent" id="s{d["sentence_start"]}">' in page
    results = client.get("/search", params={"q": "questioning"}).text
    assert f'href="/documents/{d["id"]}#s{d["sentence_start"]}"' in results
    # a word only in the headline finds the article, with no sentence invented for it
    title_only = client.get("/api/search", params={"q": "airlift"}).json()["documents"]
    assert title_only and title_only[0]["sentence"] is None


def test_word_forms_and_aliases_are_found(client):
    # stemming: "arrests" finds events whose sentence says "arrested"
    assert any("arrested" in ev["sentence"]["text"] for ev in client.get("/api/search", params={"q": "arrests"}).json()["events"])
    # an alias finds its entity
    hits = client.get("/api/search", params={"q": "Daesh"}).json()["entities"]
    assert hits, "alias Daesh not found"


def test_bad_syntax_says_so_and_searches_the_words(client, demo_kb):
    r = client.get("/api/search", params={"q": 'Grozny "prosecutor'}).json()
    if demo_kb.startswith("postgresql"):
        assert r["note"] is None  # websearch_to_tsquery reads any text
    else:
        assert "not valid search syntax" in r["note"]
    assert r["documents"], "the words were not searched after the syntax error"
    page = client.get("/search", params={"q": 'Grozny "prosecutor'}).text
    assert page.count("<blockquote>") >= 1


def test_operators_work_when_valid(client):
    both = client.get("/api/search", params={"q": "Grozny Bishkek"}).json()["documents"]
    either = client.get("/api/search", params={"q": "Grozny OR Bishkek"}).json()["documents"]
    assert len(either) > len(both)


def test_refresh_indexes_only_what_is_new(tmp_path, analyser):
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html"))[:3]
    db = str(tmp_path / "kb.db")
    build([str(f) for f in files[:2]], db, progress=False, analyser=analyser)
    engine = open_engine(db, create=False)

    def indexed():
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM search_docs")).scalar_one()

    assert indexed() == 2
    assert fts.refresh(engine) == 0  # nothing new: no work
    build([str(f) for f in files], db, progress=False, analyser=analyser)
    assert indexed() == 3
    with engine.connect() as conn:
        new_doc = conn.execute(text("SELECT id, title FROM documents ORDER BY seq DESC LIMIT 1")).first()
        rows = conn.execute(text("SELECT count(*) FROM search_document")).scalar_one()
        ents = conn.execute(text("SELECT count(*), count(DISTINCT ref) FROM search_entity")).first()
    assert rows == 3 and ents[0] == ents[1]  # each document once, each entity once
    c = TestClient(create_app(engine))
    word = max(new_doc.title.split(), key=len)
    assert new_doc.id in [d["id"] for d in c.get("/api/search", params={"q": word}).json()["documents"]]
    assert fts.refresh(engine, full=True) == 3


def test_accents_fold_on_sqlite(demo_db):
    c = TestClient(create_app(open_engine(demo_db, create=False)))
    names = [e["name"] for e in c.get("/api/search", params={"q": "Qamishli"}).json()["entities"]]
    assert any("Qāmishlī" in n or "Qamishli" in n for n in names), names


def test_a_base_without_the_index_says_what_to_do(tmp_path, demo_db):
    import shutil

    db = tmp_path / "kb.db"
    shutil.copy(demo_db, db)
    engine = open_engine(str(db), create=False)
    c = TestClient(create_app(engine))
    with engine.begin() as conn:  # as if an older version had built it
        conn.exec_driver_sql("DROP TABLE search_entity")
    r = c.get("/api/search", params={"q": "Grozny"})
    assert r.status_code == 503 and "newsgraph build" in r.json()["error"]
    assert fts.refresh(engine, full=True) >= 15  # rebuilt from scratch, it answers again
    assert c.get("/api/search", params={"q": "Grozny"}).json()["entities"]


def test_prefix_and_phrase_on_sqlite(demo_db):
    c = TestClient(create_app(open_engine(demo_db, create=False)))
    assert "Zarema Sokolova" in [e["name"] for e in c.get("/api/search", params={"q": "Sokol*"}).json()["entities"]]
    phrase = c.get("/api/search", params={"q": '"interior ministry"'}).json()
    assert phrase["note"] is None and phrase["documents"]
    assert all("interior ministry" in (d["sentence"] or "").lower() for d in phrase["documents"] if d["sentence"])
