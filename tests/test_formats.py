"""Exports beyond the contract (GeoJSON, GraphML, GEXF, CSV, Parquet): files, CLI and /download/ routes.

Everything runs against the knowledge base built from the demo corpus; the counts a format
claims are checked against SQL written here independently of store/formats.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsgraph.cli import cli
from newsgraph.errors import UsageError
from newsgraph.store import formats as F
from newsgraph.store.db import open_engine
from newsgraph.web.app import create_app

GML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://gexf.net/1.3}"

# The network as SQL: canonical entities of the types sharing a sentence, copies left out.
EDGES_SQL = """
WITH m AS (
  SELECT m.doc, m.sentence_start AS s, COALESCE(e.canonical, e.id) AS cid
  FROM mentions m JOIN entities e ON e.id = m.entity
  JOIN entities c ON c.id = COALESCE(e.canonical, e.id)
  JOIN documents d ON d.id = m.doc
  WHERE d.duplicate_of IS NULL AND m.sentence_start IS NOT NULL AND c.type IN ({types}))
SELECT a.cid, b.cid, COUNT(DISTINCT a.doc || ':' || a.s), COUNT(DISTINCT a.doc)
FROM m a JOIN m b ON a.doc = b.doc AND a.s = b.s AND a.cid < b.cid
GROUP BY a.cid, b.cid
"""
NODES_SQL = """
SELECT c.id, COUNT(*), COUNT(DISTINCT COALESCE(d.duplicate_of, d.id))
FROM mentions m JOIN entities e ON e.id = m.entity
JOIN entities c ON c.id = COALESCE(e.canonical, e.id) JOIN documents d ON d.id = m.doc
WHERE c.type IN ({types}) GROUP BY c.id
"""


def _sql(db: str, query: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(query, args).fetchall()


def _mentions_of(db: str, canonical: str) -> int:
    q = "SELECT COUNT(*) FROM mentions m JOIN entities e ON e.id = m.entity WHERE COALESCE(e.canonical, e.id) = ?"
    return _sql(db, q, canonical)[0][0]


def _types_sql(types) -> str:
    return ",".join(f"'{t}'" for t in types)


def expected_network(db: str, types=("PERSON", "ORG")):
    nodes = {r[0]: (r[1], r[2]) for r in _sql(db, NODES_SQL.format(types=_types_sql(types)))}
    edges = {(r[0], r[1]): (r[2], r[3]) for r in _sql(db, EDGES_SQL.format(types=_types_sql(types)))}
    return nodes, edges


def parse_graphml(text: str):
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{GML}graphml"
    keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{GML}key")}
    graph = root.find(f"{GML}graph")
    assert graph.get("edgedefault") == "undirected"

    def data(el):
        out = {}
        for d in el.findall(f"{GML}data"):
            _for, name, typ = keys[d.get("key")]
            out[name] = int(d.text) if typ == "int" else d.text
        return out

    nodes = {n.get("id"): data(n) for n in graph.findall(f"{GML}node")}
    edges = {(e.get("source"), e.get("target")): data(e) for e in graph.findall(f"{GML}edge")}
    return keys, nodes, edges


def parse_gexf(text: str):
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{GEXF}graph")
    assert graph.get("defaultedgetype") == "undirected"
    declared = {}
    for attrs in graph.findall(f"{GEXF}attributes"):
        for a in attrs.findall(f"{GEXF}attribute"):
            declared[(attrs.get("class"), a.get("id"))] = (a.get("title"), a.get("type"))

    def values(el, cls):
        out = {}
        for v in el.iter(f"{GEXF}attvalue"):
            title, typ = declared[(cls, v.get("for"))]
            out[title] = int(v.get("value")) if typ == "integer" else v.get("value")
        return out

    nodes = {n.get("id"): {"label": n.get("label"), **values(n, "node")} for n in graph.find(f"{GEXF}nodes")}
    edges = {(e.get("source"), e.get("target")): {"weight": float(e.get("weight")), **values(e, "edge")} for e in graph.find(f"{GEXF}edges")}
    return declared, nodes, edges


def text_of(chunks) -> str:
    return "".join(chunks)


@pytest.fixture(scope="module")
def engine(demo_db):
    return open_engine(demo_db, create=False)


@pytest.fixture()
def merged_db(demo_db, tmp_path):
    """A copy of the demo base where one person and one place were merged into another."""
    path = str(tmp_path / "merged.db")
    with sqlite3.connect(demo_db) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    _nodes, edges = expected_network(demo_db, ("PERSON",))
    keep, gone = sorted(edges)[0]  # two people named in one sentence
    places = [r[0] for r in _sql(path, "SELECT id FROM entities WHERE type='PLACE' AND lat IS NOT NULL AND id IN (SELECT place FROM events) ORDER BY id")]
    with sqlite3.connect(path) as con:
        # As the resolver does: whatever pointed at the merged entity now points at its canonical.
        for canonical, merged in ((keep, gone), (places[0], places[1])):
            con.execute("UPDATE entities SET canonical=?, merge_reason='test merge' WHERE id=? OR canonical=?", (canonical, merged, merged))
    return {"path": path, "keep": keep, "gone": gone, "place": places[0], "place_gone": places[1]}


# --- GeoJSON ----------------------------------------------------------------------------------


def test_places_geojson_points_are_lon_lat_of_the_stored_places(engine, demo_db, demo_export):
    stats = {}
    data = json.loads(text_of(F.places_geojson(engine, stats)))
    assert data["type"] == "FeatureCollection"
    geo = {e["id"]: e for e in demo_export["entities"] if e["geo"]}
    assert stats["features"] == len(data["features"]) == len(geo) > 10
    for f in data["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        ent = geo[f["id"]]
        assert [lon, lat] == [ent["geo"]["lon"], ent["geo"]["lat"]]
        p = f["properties"]
        assert p["name"] == ent["name"] and p["country"] == ent["geo"]["country"]
        assert p["precision"] == ent["geo_precision"] and p["reason"] == ent["geo_reason"]
        assert p["mentions"] == len(ent["mentions"])
        stories = _sql(demo_db, "SELECT COUNT(DISTINCT COALESCE(d.duplicate_of, d.id)) FROM mentions m JOIN documents d ON d.id=m.doc WHERE m.entity=?", f["id"])
        assert p["documents"] == stories[0][0]
    dushanbe = next(f for f in data["features"] if f["properties"]["name"] == "Dushanbe")
    assert dushanbe["geometry"]["coordinates"][0] > 60  # longitude first (68.8 E, 38.5 N)


def test_events_geojson_sits_at_the_event_place_with_its_sentence(engine, demo_export):
    data = json.loads(text_of(F.events_geojson(engine)))
    events = {e["id"]: e for e in demo_export["events"]}
    places = {e["id"]: e["geo"] for e in demo_export["entities"] if e["geo"]}
    texts = {d["id"]: d["text"] for d in demo_export["documents"]}
    located = [e for e in events.values() if e["place"] in places]
    assert len(data["features"]) == len(located) > 10
    with_participants = 0
    for f in data["features"]:
        ev, p = events[f["id"]], f["properties"]
        assert f["geometry"]["coordinates"] == [places[ev["place"]]["lon"], places[ev["place"]]["lat"]]
        assert p["type"] == ev["type"] and p["doc"] == ev["doc"] and p["place"] == ev["place"]
        assert p["date"] == (ev["date"] or {}).get("value")
        assert p["sentence"] == texts[ev["doc"]][ev["sentence"]["start"] : ev["sentence"]["end"]]
        assert [(x["role"], x["text"]) for x in p["participants"]] == [(x["role"], x["text"]) for x in ev["participants"]]
        with_participants += bool(p["participants"])
    assert with_participants > 5


def test_geojson_maps_merged_places_to_their_canonical(merged_db):
    eng = open_engine(merged_db["path"], create=False)
    places = json.loads(text_of(F.places_geojson(eng)))["features"]
    ids = {f["id"] for f in places}
    assert merged_db["place"] in ids and merged_db["place_gone"] not in ids
    n_mentions = _mentions_of(merged_db["path"], merged_db["place"])
    assert next(f for f in places if f["id"] == merged_db["place"])["properties"]["mentions"] == n_mentions
    events = json.loads(text_of(F.events_geojson(eng)))["features"]
    moved = [f for f in events if f["id"] in {r[0] for r in _sql(merged_db["path"], "SELECT id FROM events WHERE place=?", merged_db["place_gone"])}]
    assert moved and all(f["properties"]["place"] == merged_db["place"] for f in moved)


# --- the network ------------------------------------------------------------------------------


@pytest.mark.parametrize("types", [("PERSON", "ORG"), ("PERSON", "ORG", "PLACE")])
def test_graphml_and_gexf_match_the_database(engine, demo_db, types):
    nodes, edges = expected_network(demo_db, types)
    assert len(edges) > 10
    stats = {}
    keys, g_nodes, g_edges = parse_graphml(text_of(F.graphml(engine, types, stats)))
    assert stats == {"nodes": len(nodes), "edges": len(edges)}
    assert {(f, n, t) for f, n, t in keys.values()} >= {("node", "label", "string"), ("node", "type", "string"), ("node", "mentions", "int"), ("edge", "weight", "int"), ("edge", "documents", "int")}
    assert {k: (v["mentions"], v["documents"]) for k, v in g_nodes.items()} == nodes
    assert {k: (v["weight"], v["documents"]) for k, v in g_edges.items()} == edges
    assert {v["type"] for v in g_nodes.values()} == set(types)

    declared, x_nodes, x_edges = parse_gexf(text_of(F.gexf(engine, ",".join(types))))
    assert declared[("node", "mentions")] == ("mentions", "integer")
    assert {k: (v["mentions"], v["documents"]) for k, v in x_nodes.items()} == nodes
    assert {k: (int(v["weight"]), v["documents"]) for k, v in x_edges.items()} == edges
    assert {k: v["label"] for k, v in x_nodes.items()} == {k: v["label"] for k, v in g_nodes.items()}


def test_network_leaves_out_republished_copies(engine, demo_db):
    types = ("PERSON", "ORG", "PLACE")
    assert _sql(demo_db, "SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL")[0][0], "the demo corpus has a syndicated copy"
    _nodes, edges = expected_network(demo_db, types)
    # Counting the copy as well would give other weights: the check below can tell them apart.
    with_copies = {
        (r[0], r[1]): (r[2], r[3])
        for r in _sql(demo_db, EDGES_SQL.format(types=_types_sql(types)).replace("d.duplicate_of IS NULL AND ", ""))
    }
    assert with_copies != edges
    with engine.connect() as conn:
        got = {(e.source, e.target): (e.weight, e.documents) for e in F.network_edges(conn, types)}
    assert got == edges


def test_network_shows_canonical_entities_only(merged_db):
    eng = open_engine(merged_db["path"], create=False)
    _keys, nodes, edges = parse_graphml(text_of(F.graphml(eng, "PERSON")))
    assert merged_db["gone"] not in nodes
    assert all(merged_db["gone"] not in pair for pair in edges)
    assert (merged_db["keep"], merged_db["gone"]) not in edges  # one entity is no edge with itself
    n_mentions = _mentions_of(merged_db["path"], merged_db["keep"])
    assert nodes[merged_db["keep"]]["mentions"] == n_mentions
    exp_nodes, exp_edges = expected_network(merged_db["path"], ("PERSON",))
    assert set(nodes) == set(exp_nodes) and {k: (v["weight"], v["documents"]) for k, v in edges.items()} == exp_edges


def test_network_xml_escapes_untrusted_names(merged_db):
    with sqlite3.connect(merged_db["path"]) as con:
        con.execute("UPDATE entities SET name=? WHERE id=?", ('Ali & <Vali> "Q"\x01\x0b', merged_db["keep"]))
    eng = open_engine(merged_db["path"], create=False)
    _k, nodes, _e = parse_graphml(text_of(F.graphml(eng)))
    assert nodes[merged_db["keep"]]["label"] == 'Ali & <Vali> "Q"'
    _d, x_nodes, _e = parse_gexf(text_of(F.gexf(eng)))
    assert x_nodes[merged_db["keep"]]["label"] == 'Ali & <Vali> "Q"'


def test_network_types_are_checked():
    with pytest.raises(UsageError, match="not an entity type"):
        F.parse_types("PERSON,org;drop")
    assert F.parse_types(" person , ORG,PLACE") == ("PERSON", "ORG", "PLACE")


# --- CSV and Parquet ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["documents", "entities", "events", "claims", "quotes"])
def test_parquet_reads_back_as_the_jsonl_rows(engine, demo_export, tmp_path, name):
    path = tmp_path / f"{name}.parquet"
    assert F.write_parquet(engine, name, path) == len(demo_export[name])
    assert F.read_parquet_rows(path) == demo_export[name]


def test_parquet_columns_are_flat_and_typed(engine, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    F.write_parquet(engine, "claims", tmp_path / "claims.parquet")
    schema = pq.read_schema(tmp_path / "claims.parquet")
    assert schema.field("approximate").type == pa.bool_()
    assert schema.field("value").type == pa.float64()
    assert schema.field("doc").type == pa.string()
    assert json.loads(schema.metadata[b"newsgraph.json_columns"]) == [f.name for f in schema if f.name in {"sentence", "source", "as_of", "conflicts_with", "span", "conflict_reasons"}]
    F.write_parquet(engine, "mentions", tmp_path / "mentions.parquet")
    m = pq.read_schema(tmp_path / "mentions.parquet")
    assert m.field("start").type == pa.int64() and not json.loads(m.metadata[b"newsgraph.json_columns"])


def test_mentions_table_maps_to_the_canonical_entity(merged_db, tmp_path):
    eng = open_engine(merged_db["path"], create=False)
    F.write_parquet(eng, "mentions", tmp_path / "m.parquet")
    rows = F.read_parquet_rows(tmp_path / "m.parquet")
    assert len(rows) == _sql(merged_db["path"], "SELECT COUNT(*) FROM mentions")[0][0]
    moved = [r for r in rows if r["own_entity"] == merged_db["gone"]]
    assert moved and all(r["entity"] == merged_db["keep"] for r in moved)
    canonical = dict(_sql(merged_db["path"], "SELECT id, COALESCE(canonical, id) FROM entities"))
    assert all(r["entity"] == canonical[r["own_entity"]] for r in rows)
    assert any(r["entity"] != r["own_entity"] for r in rows if r["own_entity"] != merged_db["gone"])


def test_csv_streams_in_chunks_and_matches_the_export_csv(engine, demo_db, tmp_path, monkeypatch):
    from newsgraph.store.export import export

    export(engine, tmp_path)
    assert text_of(F.csv_chunks(engine, "events")) == (tmp_path / "events.csv").read_bytes().decode("utf-8")
    monkeypatch.setattr("newsgraph.store.formats.tables.CHUNK", 100)
    chunks = list(F.csv_chunks(engine, "mentions"))
    n = _sql(demo_db, "SELECT COUNT(*) FROM mentions")[0][0]
    assert len(chunks) >= n // 100
    rows = list(csv.DictReader(io.StringIO("".join(chunks))))
    assert len(rows) == n and {"doc", "start", "end", "entity", "own_entity", "text"} <= set(rows[0])


def test_parquet_without_pyarrow_says_how_to_install(engine, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert not F.parquet_available()
    with pytest.raises(UsageError, match="pip install pyarrow"):
        F.write_parquet(engine, "claims", tmp_path / "c.parquet")


# --- the command line ---------------------------------------------------------------------------


def test_cli_default_export_is_unchanged(demo_db, tmp_path):
    r = CliRunner().invoke(cli, ["export", "--db", demo_db, "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    names = {p.name for p in tmp_path.iterdir()}
    contract = {f"{n}.{ext}" for n in ("documents", "entities", "events", "claims", "quotes") for ext in ("jsonl", "csv")}
    assert names == contract | {"mentions.csv"}
    r = CliRunner().invoke(cli, ["export", "--db", demo_db, "--out", str(tmp_path / "j"), "--no-csv"])
    assert r.exit_code == 0 and {p.suffix for p in (tmp_path / "j").iterdir()} == {".jsonl"}


def test_cli_writes_every_format(demo_db, engine, tmp_path):
    r = CliRunner().invoke(cli, ["export", "--db", demo_db, "--out", str(tmp_path), "--format", "geojson,graphml,gexf,parquet", "--network-types", "PERSON,ORG,PLACE"])
    assert r.exit_code == 0, r.output
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"places.geojson", "events.geojson", "network.graphml", "network.gexf"} | {f"{t}.parquet" for t in F.TABLES}
    nodes, edges = expected_network(demo_db, ("PERSON", "ORG", "PLACE"))
    assert f"network.graphml ({len(nodes)} nodes, {len(edges)} edges)" in r.output
    assert (tmp_path / "places.geojson").read_text(encoding="utf-8") == text_of(F.places_geojson(engine))


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "jsonl,xml"], "unknown format 'xml'"),
        (["--format", "gexf", "--network-types", "PERSON,bad-type"], "not an entity type"),
        (["--format", "csv", "--no-csv"], "no format"),
    ],
)
def test_cli_bad_format_options_exit_2(demo_db, tmp_path, args, message):
    r = CliRunner().invoke(cli, ["export", "--db", demo_db, "--out", str(tmp_path), *args])
    assert r.exit_code == 2 and message in r.output


def test_cli_parquet_without_pyarrow_exits_2_with_the_fix(demo_db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    r = CliRunner().invoke(cli, ["export", "--db", demo_db, "--out", str(tmp_path), "--format", "parquet"])
    assert r.exit_code == 2 and "pip install pyarrow" in r.output
    assert not any(tmp_path.iterdir())


# --- the download routes ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(engine):
    return TestClient(create_app(engine))


@pytest.mark.parametrize(
    "url, media, filename",
    [
        ("/download/places.geojson", "application/geo+json", "places.geojson"),
        ("/download/events.geojson", "application/geo+json", "events.geojson"),
        ("/download/network.graphml", "application/graphml+xml", "network.graphml"),
        ("/download/network.gexf?types=PERSON,ORG,PLACE", "application/gexf+xml", "network.gexf"),
        ("/download/mentions.csv", "text/csv; charset=utf-8", "mentions.csv"),
        ("/download/claims.csv", "text/csv; charset=utf-8", "claims.csv"),
        ("/download/events.parquet", "application/vnd.apache.parquet", "events.parquet"),
    ],
)
def test_download_routes(client, url, media, filename):
    r = client.get(url)
    assert r.status_code == 200
    assert r.headers["content-type"] == media
    assert r.headers["content-disposition"] == f'attachment; filename="{filename}"'
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert len(r.content) > 100


def test_downloads_carry_the_same_content_as_the_library(client, engine, demo_db, demo_export, tmp_path):
    assert client.get("/download/events.geojson").text == text_of(F.events_geojson(engine))
    _k, nodes, edges = parse_gexf(client.get("/download/network.gexf?types=PERSON,ORG,PLACE").text)
    assert (len(nodes), len(edges)) == tuple(map(len, expected_network(demo_db, ("PERSON", "ORG", "PLACE"))))
    (tmp_path / "e.parquet").write_bytes(client.get("/download/events.parquet").content)
    assert F.read_parquet_rows(tmp_path / "e.parquet") == demo_export["events"]


@pytest.mark.parametrize(
    "url, status, message",
    [
        ("/download/secrets.csv", 404, "no table"),
        ("/download/sqlite_master.parquet", 404, "no table"),
        ("/download/network.graphml?types=PERSON;DROP", 400, "not an entity type"),
        ("/download/network.gexf?types=" + "A" * 200, 422, ""),
    ],
)
def test_download_bad_requests_are_4xx_with_a_message(client, url, status, message):
    r = client.get(url)
    assert r.status_code == status and message in r.text


def test_download_parquet_without_pyarrow_is_501_with_the_fix(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    r = client.get("/download/claims.parquet")
    assert r.status_code == 501 and "pip install pyarrow" in r.text


def test_download_routes_are_read_only(client):
    assert client.post("/download/claims.csv").status_code == 405


# --- PostgreSQL -----------------------------------------------------------------------------------


def test_every_format_is_the_same_from_postgresql(demo_db, demo_db_pg, tmp_path):
    """The same corpus built into PostgreSQL exports the same files (server-side cursors, substr)."""
    lite, pg = open_engine(demo_db, create=False), open_engine(demo_db_pg, create=False)
    for make in (F.places_geojson, F.events_geojson, F.graphml, F.gexf):
        assert text_of(make(pg)) == text_of(make(lite)), make.__name__
    for name in F.TABLES:
        assert text_of(F.csv_chunks(pg, name)) == text_of(F.csv_chunks(lite, name)), name
    F.write_parquet(pg, "events", tmp_path / "pg.parquet")
    F.write_parquet(lite, "events", tmp_path / "lite.parquet")
    assert F.read_parquet_rows(tmp_path / "pg.parquet") == F.read_parquet_rows(tmp_path / "lite.parquet")


# --- Contract files: streamed, memory flat ----------------------------------------------------


def test_contract_export_is_the_same_in_any_chunk_size_and_in_order(merged_db, tmp_path, monkeypatch):
    """Lookups per chunk (participants, conflicts, sources, canonical ids) give the same files
    whatever the chunk size; records keep their documented order."""
    from newsgraph.store import export as X

    eng = open_engine(merged_db["path"], create=False)
    X.export(eng, tmp_path / "big")
    monkeypatch.setattr(X, "CHUNK", 3)
    X.export(eng, tmp_path / "small")
    for name in X.FILES:
        for ext in ("jsonl", "csv"):
            assert (tmp_path / "small" / f"{name}.{ext}").read_bytes() == (tmp_path / "big" / f"{name}.{ext}").read_bytes(), name
    recs = {n: [json.loads(line) for line in (tmp_path / "small" / f"{n}.jsonl").open(encoding="utf-8")] for n in X.FILES}
    ids = [e["id"] for e in recs["entities"]]
    assert ids == sorted(ids) and merged_db["gone"] not in ids
    events = [(e["doc"], e["trigger"]["start"]) for e in recs["events"]]
    assert events == sorted(events)
    claims = [(c["doc"], c["span"]["start"]) for c in recs["claims"]]
    assert claims == sorted(claims)
    # The merged person is shown as its canonical everywhere, across chunk boundaries too.
    refs = [p["entity"] for e in recs["events"] for p in e["participants"]] + [e["place"] for e in recs["events"]]
    assert merged_db["gone"] not in refs and merged_db["place_gone"] not in refs
    assert merged_db["place"] in refs
    participants = {(r[0], r[1]) for r in _sql(merged_db["path"], "SELECT event, COUNT(*) FROM event_participants GROUP BY event")}
    assert {(e["id"], len(e["participants"])) for e in recs["events"] if e["participants"]} == participants
    reports = dict(_sql(merged_db["path"], "SELECT COALESCE(same_as, id), COUNT(*) FROM events GROUP BY 1"))
    assert any(n > 1 for n in reports.values())
    assert all(len(e["sources"]) == reports[e["same_as"] or e["id"]] for e in recs["events"])


def test_streamed_mentions_write_the_same_text_as_the_whole_record(merged_db):
    from newsgraph.store.export import StreamedList, _csv_value, iter_entities, record_pieces

    eng = open_engine(merged_db["path"], create=False)
    with eng.connect() as conn:
        plains = list(iter_entities(conn))
    assert any(len(plain["mentions"]) > 1 for plain in plains)
    with eng.connect() as conn:
        streamed = iter_entities(conn, stream_mentions=True)
        for plain in plains:  # each streamed array is read before the next record, as the writers do
            rec = next(streamed)
            assert isinstance(rec["mentions"], StreamedList)
            fields = list(plain)
            pieces = list(record_pieces(rec, csv_fields=fields))
            assert "".join(t for k, t in pieces if k == "json") == json.dumps(plain, ensure_ascii=False) + "\n"
            buf = io.StringIO()
            csv.writer(buf).writerow([_csv_value(plain[k]) for k in fields])
            assert "".join(t for k, t in pieces if k == "csv") == buf.getvalue()


def test_a_streamed_array_read_after_the_next_record_raises(engine):
    from newsgraph.store.export import iter_entities

    with engine.connect() as conn:
        it = iter_entities(conn, stream_mentions=True)
        first = next(it)
        next(it)
        with pytest.raises(RuntimeError, match="read once"):
            list(first["mentions"])
        second = next(it)
        assert list(second["mentions"])
        with pytest.raises(RuntimeError, match="read once"):
            list(second["mentions"])
