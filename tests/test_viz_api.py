"""The JSON behind the drawings (/api/viz/...) against the demo knowledge base, on SQLite and
PostgreSQL; the expectations are recomputed from the tables, not from the same queries."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from newsgraph.store.db import open_engine
from newsgraph.web.app import create_app
from newsgraph.web.spans import date_span


@pytest.fixture(scope="module")
def engine(demo_kb):
    return open_engine(demo_kb, create=False)


@pytest.fixture(scope="module")
def client(engine):
    return TestClient(create_app(engine))


def rows(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).fetchall()


def person_with_events(engine) -> str:
    """The person taking part in the most events."""
    return rows(engine, """SELECT p.entity FROM event_participants p JOIN entities e ON e.id = p.entity
        WHERE e.type = 'PERSON' AND e.canonical IS NULL GROUP BY p.entity ORDER BY COUNT(*) DESC, p.entity LIMIT 1""")[0][0]


@pytest.mark.parametrize(
    "value,start,end,precision,label",
    [
        ("2019", "2019-01-01", "2020-01-01", "year", "2019"),
        ("2019-03", "2019-03-01", "2019-04-01", "month", "March 2019"),
        ("2019-12", "2019-12-01", "2020-01-01", "month", "December 2019"),
        ("2019-03-05", "2019-03-05", "2019-03-06", "day", "5 March 2019"),
        ("2019-W12", "2019-03-18", "2019-03-25", "week", "week 12 of 2019"),
        ("2014-SU", "2014-06-01", "2014-09-01", "season", "summer 2014"),
        ("2017-WI", "2017-12-01", "2018-03-01", "season", "winter 2017"),
        ("2019-Q4", "2019-10-01", "2020-01-01", "quarter", "Q4 2019"),
        ("2019-H1", "2019-01-01", "2019-07-01", "half", "first half of 2019"),
        ("201", "2010-01-01", "2020-01-01", "decade", "the 2010s"),
        ("20", "2000-01-01", "2100-01-01", "century", "the 21st century"),
    ],
)
def test_a_date_is_a_span_as_wide_as_its_precision(value, start, end, precision, label):
    assert date_span(value) == {"value": value, "start": start, "end": end, "precision": precision, "label": label}


@pytest.mark.parametrize("value", [None, "", "P3Y", "PRESENT_REF", "2019-02-30", "2019-13", "2019-H3"])
def test_no_span_is_made_up_for_a_duration_or_an_impossible_date(value):
    assert date_span(value) is None


def test_entity_timeline_holds_its_dated_events_with_sentence_links(client, engine):
    person = person_with_events(engine)
    data = client.get(f"/api/viz/entities/{person}/timeline").json()
    found = rows(engine, """SELECT DISTINCT ev.id, ev.date_value, ev.doc, ev.sentence_start, ev.same_as FROM events ev
        WHERE ev.id IN (SELECT event FROM event_participants WHERE entity = :p) OR ev.place = :p OR ev.attributed_entity = :p""", p=person)
    # A second report of an event on the same timeline (same_as) is not a second item.
    expected = [r for r in found if r[4] not in {f[0] for f in found}]
    dated = {r[0]: r[:4] for r in expected if date_span(r[1])}
    assert {i["id"] for i in data["items"]} == set(dated)
    assert data["undated"] == len(expected) - len(dated)
    for item in data["items"]:
        _, value, doc, start = dated[item["id"]]
        assert item["date"]["value"] == value and item["url"] == f"/documents/{doc}#s{start}"
        assert dt.date.fromisoformat(item["date"]["start"]) < dt.date.fromisoformat(item["date"]["end"])


def test_a_merged_entity_is_drawn_as_the_one_it_was_merged_into(client, engine):
    merged = rows(engine, "SELECT id, canonical FROM entities WHERE canonical IS NOT NULL ORDER BY id")
    if not merged:
        pytest.skip("the demo corpus has no merged entity")
    member, root = merged[0]
    data = client.get(f"/api/viz/entities/{member}/timeline").json()
    assert data["entity"] == root
    # The events of the merged member are on the canonical entity's timeline.
    own = {r[0] for r in rows(engine, "SELECT event FROM event_participants WHERE entity = :m", m=member)}
    on_root = {i["id"] for i in client.get(f"/api/viz/entities/{root}/timeline").json()["items"]}
    dated_own = {r[0] for r in rows(engine, "SELECT id, date_value FROM events") if r[0] in own and date_span(r[1])}
    assert dated_own <= on_root
    net = client.get(f"/api/viz/entities/{root}/network").json()
    assert member not in {n["id"] for n in net["nodes"]}


def test_entity_places_have_coordinates_and_a_reason(client, engine):
    person = person_with_events(engine)
    data = client.get(f"/api/viz/entities/{person}/places").json()
    assert data["places"]
    for p in data["places"]:
        lat, lon, country = rows(engine, "SELECT lat, lon, country FROM entities WHERE id = :i", i=p["id"])[0]
        assert (p["lat"], p["lon"], p["country"]) == (lat, lon, country)
        assert p["count"] == p["events"] + p["sentences"] > 0
        assert re.search(r"place of \d+ events?|named with it in \d+ sentences?", p["reason"])
    # A place's own page puts the place itself on its map.
    place = data["places"][0]["id"]
    own = client.get(f"/api/viz/entities/{place}/places").json()["places"]
    assert any(p["id"] == place and "the entity itself" in p["reason"] for p in own)


def test_network_links_count_the_sentences_two_entities_share(client, engine):
    person = person_with_events(engine)
    data = client.get(f"/api/viz/entities/{person}/network").json()
    assert data["nodes"][0]["id"] == person and data["nodes"][0]["ego"]
    sentences = Counter()
    for other, doc, start in rows(engine, """SELECT DISTINCT COALESCE(e.canonical, e.id), m2.doc, m2.sentence_start
            FROM mentions m1 JOIN mentions m2 ON m2.doc = m1.doc AND m2.sentence_start = m1.sentence_start
            JOIN entities e ON e.id = m2.entity WHERE m1.entity = :p""", p=person):
        if other != person:
            sentences[other] += 1
    spokes = {l["target"]: l["weight"] for l in data["links"] if l["source"] == person}
    assert spokes and all(sentences[k] == w for k, w in spokes.items())
    assert min(spokes.values()) >= max([n for k, n in sentences.items() if k not in spokes], default=0)


def test_events_filters_narrow_the_timeline_and_the_map(client, engine):
    everything = client.get("/api/viz/events").json()
    types = Counter(i["type"] for i in everything["items"])
    kind = types.most_common(1)[0][0]
    only = client.get("/api/viz/events", params={"type": kind}).json()["items"]
    assert len(only) == types[kind] and {i["type"] for i in only} == {kind}
    y2019 = client.get("/api/viz/events", params={"since": "2019", "until": "2019"}).json()["items"]
    assert y2019 and all(i["date"]["value"].startswith("2019") for i in y2019)
    places = client.get("/api/viz/events/places", params={"type": kind}).json()
    n_placed = rows(engine, "SELECT COUNT(*) FROM events WHERE type = :t AND place IS NOT NULL AND same_as IS NULL", t=kind)[0][0]
    assert len(places["unplaced"]) == min(50, places["unplaced_count"])
    if places["unplaced_count"] <= 50:
        assert sum(p["events"] for p in places["places"] + places["unplaced"]) == n_placed
    assert places["events"] == rows(engine, "SELECT COUNT(*) FROM events WHERE type = :t AND same_as IS NULL", t=kind)[0][0]


def test_documents_by_month_count_every_document_once(client, engine):
    data = client.get("/api/viz/documents/by-month").json()
    total = rows(engine, "SELECT COUNT(*) FROM documents")[0][0]
    assert sum(m["count"] for m in data["months"]) + data["year_only"] + data["undated"] == total
    assert [m["month"] for m in data["months"]] == sorted(m["month"] for m in data["months"])


def test_claims_chart_of_a_group(client, engine):
    groups = rows(engine, "SELECT group_id, COUNT(*) FROM claims WHERE group_id IS NOT NULL GROUP BY group_id ORDER BY COUNT(*) DESC, group_id")
    if not groups:
        pytest.skip("the demo corpus has no figure group")
    group, n = groups[0]
    data = client.get(f"/api/viz/claims/{group}").json()
    assert len(data["points"]) == n
    conflicted = {r[0] for r in rows(engine, "SELECT claim FROM claim_conflicts")}
    for p in data["points"]:
        assert bool(p["conflicts"]) == (p["id"] in conflicted)
        assert re.fullmatch(r"/documents/\w+#s\d+", p["url"])


@pytest.mark.parametrize(
    "path,status",
    [
        ("/api/viz/entities/nosuch/timeline", 404),
        ("/api/viz/entities/nosuch/places", 404),
        ("/api/viz/entities/nosuch/network", 404),
        ("/api/viz/claims/nosuch", 404),
        ("/api/viz/events?since=yesterday", 422),
        ("/api/viz/events?limit=0", 422),
        ("/api/viz/events/places?entity=nosuch", 404),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    assert r.json()


def test_events_filters_take_several_ids_and_say_when_the_timeline_is_cut(client, engine):
    places = [r[0] for r in rows(engine, "SELECT place FROM events WHERE place IS NOT NULL GROUP BY place ORDER BY COUNT(*) DESC, place LIMIT 2")]
    one = {i["id"] for i in client.get("/api/viz/events", params={"place": places[0]}).json()["items"]}
    two = {i["id"] for i in client.get("/api/viz/events", params={"place": places[1]}).json()["items"]}
    both = client.get("/api/viz/events", params=[("place", places[0]), ("place", places[1])]).json()
    assert {i["id"] for i in both["items"]} == one | two and not both["more"]
    cut = client.get("/api/viz/events", params={"limit": 3}).json()
    assert len(cut["items"]) <= 3 and cut["more"]


def test_a_cut_timeline_comes_with_counts_per_type_and_year(client, engine):
    data = client.get("/api/viz/events", params={"limit": 3}).json()
    years = Counter()
    for type_, value in rows(engine, "SELECT type, date_value FROM events WHERE date_value IS NOT NULL AND same_as IS NULL"):
        if re.match(r"\d{4}($|-)", value):
            years[(type_, value[:4])] += 1
    assert {(c["type"], c["year"]): c["count"] for c in data["by_year"]} == dict(years)
    assert "by_year" not in client.get("/api/viz/events").json()


def test_an_event_reported_twice_is_one_item_with_both_reports(client, engine):
    pairs = rows(engine, "SELECT id, same_as, doc, sentence_start FROM events WHERE same_as IS NOT NULL AND date_value IS NOT NULL ORDER BY id")
    if not pairs:
        pytest.skip("the demo corpus has no event reported twice")
    copy, original, doc, start = pairs[0]
    items = {i["id"]: i for i in client.get("/api/viz/events").json()["items"]}
    assert copy not in items and f"/documents/{doc}#s{start}" in items[original]["also"]
