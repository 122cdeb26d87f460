"""HTTP API and pages against a real knowledge base built from the demo corpus."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

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


def test_pages_link_a_favicon_that_exists(client):
    page = client.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml") and "<svg" in icon.text
    assert client.get("/favicon.ico").status_code == 200  # followed to the SVG, not a 404


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


# --- pages over the demo corpus --------------------------------------------------------------


def _entity_id(client, name: str) -> str:
    hits = client.get("/api/search", params={"q": name}).json()["entities"]
    found = [h for h in hits if h["name"] == name]
    assert found, f"{name} not found by search: {[h['name'] for h in hits]}"
    return found[0]["id"]


def test_visualisation_containers_have_fallbacks(client):
    eid = _entity_id(client, "Adlan Tagirov")
    page = client.get(f"/entities/{eid}").text
    for kind, src in (("map", "places"), ("timeline", "timeline"), ("network", "network")):
        assert f'<div class="viz" data-viz="{kind}" data-src="/api/viz/entities/{eid}/{src}">' in page
    assert page.count('class="fallback') == 3
    assert '<script src="/static/app.js" defer></script>' in page
    events = client.get("/events", params={"type": "ARREST", "since": "2015"}).text
    assert 'data-viz="timeline" data-src="/api/viz/events?type=ARREST&amp;since=2015"' in events
    assert 'data-viz="map" data-src="/api/viz/events/places?type=ARREST&amp;since=2015"' in events
    assert 'data-viz="histogram" data-src="/api/viz/documents/by-month"' in client.get("/").text


def test_entity_page_shows_dates_at_their_precision_and_links_to_sentences(client):
    eid = _entity_id(client, "Adlan Tagirov")
    data = client.get(f"/api/entities/{eid}").json()
    arrest = next(ev for ev in data["events"] if ev["type"] == "ARREST")
    assert arrest["date"]["value"] == "2018-03"
    page = client.get(f"/entities/{eid}").text
    assert "<td>March 2018</td>" in page and "<td>2016</td>" in page
    assert f'href="/documents/{arrest["doc"]}#s{arrest["sentence"]["start"]}"' in page
    doc = client.get(f"/documents/{arrest['doc']}").text
    assert f'<span class="sent" id="s{arrest["sentence"]["start"]}">' in doc


def test_every_event_sentence_is_an_anchor_in_its_document(client):
    for ev in client.get("/api/events", params={"limit": 200}).json():
        doc = client.get(f"/api/documents/{ev['doc']}").json()
        assert ev["sentence"]["start"] in {s["start"] for s in doc["sentences"]}, ev


def test_merged_entity_redirects_and_canonical_page_includes_it(client):
    kept = _entity_id(client, "Khasan Magomedov")
    merged = client.get("/api/search", params={"q": "Magomedow"}).json()["entities"]
    assert [h["id"] for h in merged] == [kept]  # the merged spelling is found as its canonical
    data = client.get(f"/api/entities/{kept}").json()
    [m] = data["merged"]
    assert m["name"] == "Hasan Magomedow" and "transliteration" in m["merge_reason"]
    r = client.get(f"/entities/{m['id']}", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == f"/entities/{kept}"
    assert client.get(f"/api/entities/{m['id']}", follow_redirects=False).headers["location"] == f"/api/entities/{kept}"
    # the merged entity's mentions and events are on the canonical's page
    assert {x["doc"] for x in data["mentions"]} >= {x["doc"] for x in data["mentions"] if x["text"].endswith("Magomedow")}
    assert any(x["text"].endswith("Magomedow") for x in data["mentions"])
    page = client.get(f"/entities/{kept}").text
    assert "Hasan Magomedow" in page and "merged into this entity" in page


def test_document_page_marks_extractions_and_copies_both_ways(client, demo_export):
    copy = next(d for d in demo_export["documents"] if d["duplicate_of"])
    page = client.get(f"/documents/{copy['id']}").text
    assert f'href="/documents/{copy["duplicate_of"]}"' in page and "A copy of an earlier story" in page
    original = client.get(f"/documents/{copy['duplicate_of']}").text
    assert f'href="/documents/{copy["id"]}"' in original and "Re-published as" in original
    doc = next(d for d in demo_export["documents"] if d["published_basis"] == "url")
    page = client.get(f"/documents/{doc['id']}").text
    assert "found from the url" in page
    assert 'class="ent ent-person"' in page and 'mark class="trigger"' in page and 'mark class="timex"' in page


def test_events_page_filters(client):
    all_events = client.get("/api/events").json()
    arrests = client.get("/api/events", params={"type": "ARREST", "since": "2018", "until": "2018"}).json()
    assert arrests and all(e["type"] == "ARREST" and e["date"]["value"].startswith("2018") for e in arrests)
    assert len(arrests) < len(all_events)
    grozny = _entity_id(client, "Grozny")
    there = client.get("/api/events", params={"place": grozny}).json()
    assert there and all(e["place"] == grozny for e in there)
    page = client.get("/events", params={"place": "Grozny"}).text  # a name works on the page
    assert f"place={grozny}" in page
    assert client.get("/events", params={"place": "Atlantis"}).status_code == 404
    bad = client.get("/events", params={"type": "PICNIC"})
    assert bad.status_code == 422 and "ARREST" in bad.text


def all_claims(data: dict) -> list[dict]:
    """The figures of a grouped /api/claims answer, as one list."""
    return [c for g in data["groups"] for c in g["claims"]] + data["ungrouped"]


def test_api_claims_are_grouped_with_conflicts_marked(client, demo_export):
    data = client.get("/api/claims").json()
    assert data["next_offset"] is None  # the demo's figures fit in one page
    assert sorted(c["id"] for c in all_claims(data)) == sorted(c["id"] for c in demo_export["claims"])
    assert all(c["group"] is None for c in data["ungrouped"])
    conflicts = 0
    for g in data["groups"]:
        assert g["label"] and g["claims"] and g["total"] == len(g["claims"])
        assert {c["group"] for c in g["claims"]} == {g["group"]}
        pairs = {frozenset((p["claim"], p["other"])): p["reason"] for p in g["conflicts"]}
        assert len(pairs) == len(g["conflicts"])  # each pair once
        expected = {frozenset((c["id"], o)) for c in g["claims"] for o in c["conflicts_with"]}
        assert set(pairs) == expected and all(pairs.values())
        conflicts += len(pairs)
    assert conflicts, "the demo corpus has figures that disagree"
    one = next(g for g in data["groups"] if g["conflicts"])
    only = client.get("/api/claims", params={"group": one["group"]}).json()
    assert [g["group"] for g in only["groups"]] == [one["group"]] and only["ungrouped"] == []
    # Paging by figure: pages of 3 cover every figure once, in the same order.
    seen, offset = [], 0
    while offset is not None:
        page = client.get("/api/claims", params={"limit": 3, "offset": offset}).json()
        seen += [c["id"] for c in all_claims(page)]
        offset = page["next_offset"]
    assert sorted(seen) == sorted(c["id"] for c in all_claims(data)) and len(seen) == len(set(seen))


def test_figures_page_tables_every_group(client, demo_export):
    claims = all_claims(client.get("/api/claims").json())
    copies = {d["id"] for d in demo_export["documents"] if d["duplicate_of"]}
    groups = {c["group"] for c in claims if c["group"]}
    page = client.get("/figures").text
    # a group counts the articles stating it, not syndicated copies repeating the original
    sizes = {g: sum(1 for c in claims if c["group"] == g and c["doc"] not in copies) for g in groups}
    assert any(n > 1 for n in sizes.values()) and any(n == 1 for n in sizes.values())
    for g, n in sizes.items():
        shown = f'data-viz="chart" data-src="/api/viz/claims/{g}"' in page
        assert shown == (n > 1), g  # a figure stated once is listed apart, with no chart
    conflicts = [(c, other, why) for c in claims for other, why in c["conflict_reasons"].items()]
    assert conflicts
    for c, other, why in conflicts:
        assert str(escape(why)) in page and f'href="#c-{other}"' in page


def test_an_event_reported_twice_is_shown_once_with_both_sources(client):
    events = client.get("/api/events").json()
    repeated = [e for e in events if e["same_as"]]
    assert repeated, "the demo corpus has a syndicated copy whose events point to the original's"
    primary = {e["id"]: e for e in events}[repeated[0]["same_as"]]
    assert len(primary["sources"]) >= 2
    page = client.get("/events", params={"limit": 200}).text
    assert f"reported in {len(primary['sources'])} articles" in page
    rows = page.split('<table class="events fallback">')[1].split("</table>")[0].count("<tr>") - 1  # minus the header
    assert rows == sum(1 for e in events if not e["same_as"])


def test_events_form_as_a_browser_submits_it(client):
    page = client.get("/events").text
    for field in ("type", "since", "until", "place", "entity"):
        assert f'name="{field}"' in page  # the form's fields are the page's parameters
    r = client.get("/events", params={"type": "", "since": "", "until": "", "place": "Grozny", "entity": ""})
    assert r.status_code == 200
    grozny = _entity_id(client, "Grozny")
    assert f"place={grozny}" in r.text and 'value="Grozny"' in r.text
