"""HTTP API and pages against a real knowledge base built from the demo corpus."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsgraph.store.db import open_engine
from newsgraph.web.app import create_app


@pytest.fixture(scope="module")
def client(demo_kb):
    # Every test here runs against the SQLite build and the PostgreSQL build of the demo corpus.
    return TestClient(create_app(open_engine(demo_kb, create=False)))


def test_home_lists_documents_and_entities(client, demo_export):
    r = client.get("/")
    assert r.status_code == 200
    assert "script-src 'self'" in r.headers["content-security-policy"]
    some_doc = next(d for d in demo_export["documents"] if d["title"])
    assert f"/documents/{some_doc['id']}" in r.text


def test_document_route_returns_offsets_into_its_text(client, demo_export):
    doc = demo_export["documents"][0]
    r = client.get(f"/api/documents/{doc['id']}")
    assert r.status_code == 200
    data = r.json()
    assert data["text"] == doc["text"]
    for m in data["mentions"]:
        assert data["text"][m["start"] : m["end"]] == m["text"]
    page = client.get(f"/documents/{doc['id']}")
    assert page.status_code == 200 and f'id="s{data["sentences"][0]["start"]}"' in page.text


def test_entity_route_and_search_find_the_same_entity(client, demo_export):
    ent = next(e for e in demo_export["entities"] if e["type"] == "PLACE" and e["geo"])
    r = client.get(f"/api/entities/{ent['id']}")
    assert r.status_code == 200
    assert r.json()["name"] == ent["name"]
    s = client.get("/api/search", params={"q": ent["name"]})
    assert s.status_code == 200
    hits = s.json()["entities"]
    assert any(h["id"] == ent["id"] and h["sentence"] for h in hits)
    assert client.get(f"/entities/{ent['id']}").status_code == 200


def test_unknown_ids_and_bad_parameters_are_4xx_with_a_message(client):
    r = client.get("/api/entities/nope")
    assert r.status_code == 404 and "nope" in r.json()["error"]
    assert client.get("/api/events", params={"since": "last week"}).status_code == 422
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/claims", params={"limit": 100000}).status_code == 422
    assert client.get("/documents/nope").status_code == 404


def test_untrusted_text_is_escaped(client):
    r = client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;" in r.text


def test_openapi_lists_the_contract_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/api/search", "/api/entities/{entity_id}", "/api/events", "/api/claims", "/api/documents/{doc_id}"):
        assert route in paths
