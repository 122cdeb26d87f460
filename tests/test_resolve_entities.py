"""Entities across articles: name keys, the resolver's rules, corrections, and the demo corpus's
cross_document block (examples/corpus/FACTS.md)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from newsgraph.build import build
from newsgraph.cli import cli
from newsgraph.errors import UsageError
from newsgraph.resolve.coref import blocks, initials, org_key, profile, resolve_entities
from newsgraph.resolve.corrections import record_merge, record_split
from newsgraph.resolve.names import given_names_compatible, match_key, person_parts
from newsgraph.store import schema as S
from newsgraph.store.db import insert_rows, open_engine

from demo_facts import CORPUS


# --------------------------------------------------------------------------- name keys
@pytest.mark.parametrize(
    "a,b",
    [
        ("Zarema Sokolova", "Zarema Sokolowa"),  # w / v
        ("Khasan Magomedov", "Hasan Magomedow"),  # kh / h
        ("Ruslan Aliyev", "Ruslan Aliev"),  # iy / i
        ("Ruslan Aliyev", "Руслан Алиев"),  # Cyrillic
        ("Groznyy", "Grozny"),  # y / i, doubled letters
        ("Dzhokhar Tsarnaev", "Jokhar Tzarnaev"),  # dzh / j, ts / tz
        ("Deir al-Zour", "Deir ez-Zur"),  # Arabic article prefixes, ou / u
        ("al Hol", "al-Hol"),
        ("Jalal-Abad", "Jalalabad"),  # hyphens
        ("Zhumabaev", "Jumabaev"),
        ("Yusuf Qadirov", "Iusuf Kadirov"),
        ("José Müller", "Jose Muller"),  # accents
    ],
)
def test_match_key_folds_transliteration_variants(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(
    "a,b",
    [("Ruslan Aliyev", "Timur Aliyev"), ("Ruslan Aliyev", "Ruslan Aliyeva"), ("Jasur Tursunov", "Bakhtiyor Tursunov"),
     ("Interior Ministry of Kyrgyzstan", "Interior Ministry of Kazakhstan")],
)
def test_match_key_keeps_different_names_apart(a, b):
    assert match_key(a) != match_key(b)


def test_person_parts_and_given_names():
    assert person_parts("Zarema Sokolowa") == (["zarema"], "sokolova")
    assert given_names_compatible(["ruslan"], ["ruslan"])[0]
    assert given_names_compatible(["r"], ["ruslan"])[0]
    ok, why = given_names_compatible(["ruslan"], ["timur"])
    assert not ok and "different given names" in why
    assert not given_names_compatible([], ["ruslan"])[0]


def test_org_key_and_initials():
    assert org_key(match_key("General Motors Corp.")) == org_key(match_key("General Motors")) == "general motors"
    assert org_key(match_key("the Islamic State group")) == "islamic state"
    assert initials("General Motors Corp.") == "gm"
    assert initials("Federal Security Service") == "fss"
    assert initials("Apple") is None


# --------------------------------------------------------------------------- resolver rules, on a real SQLite base
def _row(eid, type_, name, geonameid=None, country=None, lat=None):
    row = {"id": eid, "type": type_, "name": name, "key": f"{type_}:{eid}", "geonameid": geonameid, "country": country}
    if geonameid is not None or lat is not None:
        row.update(lat=lat if lat is not None else 43.3, lon=45.7)
    return row


def test_blocks_bare_first_name_has_none_and_types_are_prefixed():
    class R:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    assert blocks(profile(R(id="e1", type="PERSON", name="Ruslan", geonameid=None, country=None, lat=None))) == []
    org = R(id="e2", type="ORG", name="General Motors", geonameid=None, country=None, lat=None)
    assert all(b.startswith("ORG|") for b in blocks(profile(org)))


@pytest.fixture()
def tiny(tmp_path):
    """A base of hand-written documents (invented) whose entities the tests choose."""
    engine = open_engine(str(tmp_path / "tiny.db"))

    def add(doc: str, ents: list[dict]):
        with engine.begin() as conn:
            insert_rows(conn, S.documents, [{"id": doc, "source": doc, "language": "en", "text": "x" * 400}])
            rows = [{"reason": None, "lat": None, "lon": None, "geo_precision": None, "geo_reason": None, **e} for e in ents]
            insert_rows(conn, S.entities, rows)
            insert_rows(conn, S.mentions, [
                {"doc": doc, "start": i * 10, "end": i * 10 + 5, "entity": e["id"], "text": e["name"], "label": e["type"], "name": e["name"]}
                for i, e in enumerate(ents)
            ])

    def canonical(eid: str) -> str:
        with engine.connect() as conn:
            row = conn.execute(S.entities.select().where(S.entities.c.id == eid)).one()
        return row.canonical or row.id

    return engine, add, canonical


CONTEXT = [_row("p1", "PLACE", "Grozny", 558418, "RU"), _row("p2", "PLACE", "Syria", 163843, "SY")]


def test_transliterated_person_with_shared_context_merges_with_reason(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "PERSON", "Zarema Sokolova"), *CONTEXT])
    add("d2", [_row("b", "PERSON", "Zarema Sokolowa"), *CONTEXT])
    assert resolve_entities(engine) == 1
    assert canonical("a") == canonical("b") == "a"
    with engine.connect() as conn:
        reason = conn.execute(S.entities.select().where(S.entities.c.id == "b")).one().merge_reason
    assert "transliteration" in reason and "sokolowa" in reason and "Grozny" in reason and "PERSON" in reason


def test_transliterated_person_without_shared_context_stays_apart(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "PERSON", "Zarema Sokolova"), CONTEXT[0]])
    add("d2", [_row("b", "PERSON", "Zarema Sokolowa"), CONTEXT[1]])
    resolve_entities(engine)
    assert canonical("a") != canonical("b")


def test_family_members_sharing_a_surname_stay_apart(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "PERSON", "Ruslan Aliyev"), *CONTEXT])
    add("d2", [_row("b", "PERSON", "Timur Aliev"), _row("c", "PERSON", "Madina Aliyeva"), *CONTEXT])
    resolve_entities(engine)
    assert len({canonical(i) for i in "abc"}) == 3


def test_bare_first_name_never_merges_across_articles(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "PERSON", "Ruslan"), *CONTEXT])
    add("d2", [_row("b", "PERSON", "Ruslan Aliyev"), *CONTEXT])
    add("d3", [_row("c", "PERSON", "Ruslan "), *CONTEXT])
    resolve_entities(engine)
    assert len({canonical(i) for i in "abc"}) == 3


def test_ministries_of_different_countries_stay_apart(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "ORG", "Interior Ministry of Kyrgyzstan"), *CONTEXT])
    add("d2", [_row("b", "ORG", "Interior Ministry of Kazakhstan"), *CONTEXT])
    add("d3", [_row("c", "ORG", "Interior Ministry of Kyrgyzstan Inc"), *CONTEXT])
    # near-equal names (token-sort ratio 96) with the same initials: only the country differs
    add("d4", [_row("d", "ORG", "Foreign Ministry of Iran"), *CONTEXT])
    add("d5", [_row("e", "ORG", "Foreign Ministry of Iraq"), *CONTEXT])
    resolve_entities(engine)
    assert canonical("a") == canonical("c") != canonical("b")
    assert canonical("d") != canonical("e")


def test_an_unresolved_place_name_joins_the_one_gazetteer_place_with_its_key(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("g", "PLACE", "Grozny", 558418, "RU"), _row("s1", "PLACE", "Springfield", 1, "US"),
               _row("s2", "PLACE", "Springfield", 2, "US")])
    add("d2", [_row("a", "PLACE", "Groznyy"), _row("b", "PLACE", "Springfeld")])
    add("d3", [_row("c", "PLACE", "Springfield")])
    resolve_entities(engine)
    assert canonical("a") == "g"
    assert canonical("s1") != canonical("s2"), "two gazetteer places never merge"
    assert canonical("c") == "c", "a name two gazetteer places share stays unresolved"
    with engine.connect() as conn:
        reason = conn.execute(S.entities.select().where(S.entities.c.id == "a")).one().merge_reason
    assert "gazetteer did not resolve" in reason


def test_different_types_never_merge(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "ORG", "Zarema Sokolova"), *CONTEXT])
    add("d2", [_row("b", "PERSON", "Zarema Sokolowa"), *CONTEXT])
    resolve_entities(engine)
    assert canonical("a") != canonical("b")


def test_acronym_needs_two_shared_entities(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "ORG", "General Motors"), *CONTEXT])
    add("d2", [_row("b", "ORG", "GM"), *CONTEXT])
    resolve_entities(engine)
    assert canonical("a") == canonical("b")


def test_a_short_org_name_joins_only_one_of_two_different_longer_names(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "ORG", "Ipod Nano"), *CONTEXT])
    add("d2", [_row("b", "ORG", "Ipod Touch"), *CONTEXT])
    add("d3", [_row("c", "ORG", "Ipod"), *CONTEXT])
    add("d4", [_row("d", "ORG", "China Eastern Airlines"), *CONTEXT])
    add("d5", [_row("e", "ORG", "China Southern Airlines"), *CONTEXT])
    resolve_entities(engine)
    assert canonical("a") != canonical("b")
    assert canonical("c") in (canonical("a"), canonical("b"))
    assert canonical("d") != canonical("e")


def test_resolution_is_incremental(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "PERSON", "Zarema Sokolova"), *CONTEXT])
    resolve_entities(engine)
    with engine.connect() as conn:
        assert conn.execute(S.entity_resolved.select()).all()
    add("d2", [_row("b", "PERSON", "Zarema Sokolowa"), *CONTEXT])
    assert resolve_entities(engine) == 1  # only the new entity is looked at, and it finds the old one
    assert resolve_entities(engine) == 0


# --------------------------------------------------------------------------- corrections
def test_merge_and_split_with_clear_errors(tiny):
    engine, add, canonical = tiny
    add("d1", [_row("a", "PERSON", "Zarema Sokolova"), *CONTEXT])
    add("d2", [_row("b", "PERSON", "Zarema Sokolowa"), _row("x", "ORG", "Caspian Herald"), *CONTEXT])
    resolve_entities(engine)
    assert record_split(engine, "b", note="not her") == ["b", "a"]
    assert canonical("b") == "b"
    resolve_entities(engine, rebuild=True)  # every automatic decision forgotten and made again
    assert canonical("b") == "b", "a user's split must keep the automatic merge from coming back"
    with pytest.raises(UsageError, match="no entity with id 'nope'"):
        record_merge(engine, "a", "nope")
    with pytest.raises(UsageError, match="different types"):
        record_merge(engine, "a", "x")
    with pytest.raises(UsageError, match="not merged"):
        record_split(engine, "a")
    assert record_merge(engine, "a", "b", note="she is") == "a"
    resolve_entities(engine, rebuild=True)
    assert canonical("b") == "a"


# --------------------------------------------------------------------------- the demo corpus
def _canon_by_name(db: str) -> dict[tuple[str, str], set[str]]:
    con = sqlite3.connect(db)
    out: dict[tuple[str, str], set[str]] = {}
    for type_, name, cid in con.execute("SELECT type, name, COALESCE(canonical, id) FROM entities"):
        out.setdefault((type_, name), set()).add(cid)
    con.close()
    return out


SAME = [
    [("PERSON", "Zarema Sokolova"), ("PERSON", "Zarema Sokolowa")],
    [("PERSON", "Khasan Magomedov"), ("PERSON", "Hasan Magomedow")],
]
APART = [
    [("ORG", "Interior Ministry of Kyrgyzstan"), ("ORG", "Interior Ministry of Kazakhstan"),
     ("ORG", "Ministry of Internal Affairs of Russia")],
    [("PERSON", "Ruslan Aliyev"), ("PERSON", "Timur Aliyev"), ("PERSON", "Madina Aliyeva")],
    [("PERSON", "Jasur Tursunov"), ("PERSON", "Bakhtiyor Tursunov")],
    [("ORG", "Defence Ministry of Russia"), ("ORG", "Federal Security Service")],
]


@pytest.mark.parametrize("group", SAME, ids=lambda g: " = ".join(n for _, n in g))
def test_demo_same_entity_groups_resolve_to_one(demo_db, group):
    canon = _canon_by_name(demo_db)
    ids = set().union(*(canon[k] for k in group))
    assert len(ids) == 1, {k: canon[k] for k in group}


@pytest.mark.parametrize("group", APART, ids=lambda g: " / ".join(n for _, n in g))
def test_demo_must_stay_apart(demo_db, group):
    canon = _canon_by_name(demo_db)
    ids = [canon[k] for k in group]
    assert all(len(i) == 1 for i in ids)
    assert len(set().union(*ids)) == len(group)


def test_demo_mr_aliyev_01_not_merged_with_any_aliyev(demo_db):
    con = sqlite3.connect(demo_db)
    canon = _canon_by_name(demo_db)
    full = set().union(*(canon[("PERSON", n)] for n in ("Ruslan Aliyev", "Timur Aliyev", "Madina Aliyeva")))
    bare = {r[0] for r in con.execute("SELECT COALESCE(canonical, id) FROM entities WHERE type = 'PERSON' AND name = 'Aliyev'")}
    con.close()
    assert bare and not bare & full


def test_demo_export_shows_canonical_entities_with_merged_names(demo_export):
    by_name = {e["name"]: e for e in demo_export["entities"]}
    merged_names = {m["name"] for e in demo_export["entities"] for m in e["merged"]}
    assert not merged_names & set(by_name), "an entity merged into another is not exported on its own"
    (sok,) = [e for e in demo_export["entities"] if "Zarema Sokolova" in [e["name"], *e["aliases"]]]
    assert {"Zarema Sokolova", "Zarema Sokolowa"} <= {sok["name"], *sok["aliases"]}
    assert len({m["doc"] for m in sok["mentions"]}) == 2
    assert all(m["reason"] for m in sok["merged"])
    ids = {e["id"] for e in demo_export["entities"]}
    refs = [p["entity"] for ev in demo_export["events"] for p in ev["participants"]]
    refs += [ev["place"] for ev in demo_export["events"]]
    refs += [(c["source"] or {}).get("entity") for c in demo_export["claims"]]
    refs += [(q["speaker"] or {}).get("entity") for q in demo_export["quotes"]]
    assert [r for r in refs if r is not None and r not in ids] == [], "references point at canonical entities"
    merged_ids = {m["id"] for e in demo_export["entities"] for m in e["merged"]}
    assert merged_ids and not merged_ids & set(refs)


def _partition(db: str) -> set[frozenset[tuple[str, str]]]:
    con = sqlite3.connect(db)
    groups: dict[str, set] = {}
    for type_, key, cid in con.execute("SELECT type, key, COALESCE(canonical, id) FROM entities"):
        groups.setdefault(cid, set()).add((type_, key))
    con.close()
    return {frozenset(g) for g in groups.values() if len(g) > 1}


def test_incremental_build_gives_the_same_entities_as_one_build(tmp_path, analyser, demo_db):
    files = sorted(p for p in CORPUS.iterdir() if p.suffix != ".md")
    db = str(tmp_path / "parts.db")
    build([str(p) for p in files[:8]], db, progress=False, analyser=analyser)
    build([str(p) for p in files[8:]], db, progress=False, analyser=analyser)
    assert _partition(db) == _partition(demo_db)
    assert _partition(db), "the demo corpus has merges to compare"


def test_cli_merge_and_split_survive_a_rebuild(tmp_path, demo_copy, analyser):
    db, ids = demo_copy
    runner = CliRunner()
    r = runner.invoke(cli, ["split", ids["Zarema Sokolowa"], "--db", db, "--note", "test"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["merge", ids["Jasur Tursunov"], ids["Bakhtiyor Tursunov"], "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["merge", ids["Jasur Tursunov"], "e0000000000000000", "--db", db])
    assert r.exit_code == 2 and "no entity with id 'e0000000000000000'" in r.output
    r = runner.invoke(cli, ["split", "e0000000000000000", "--db", db])
    assert r.exit_code == 2
    resolve_entities(open_engine(db), rebuild=True)
    new = tmp_path / "new.txt"
    new.write_text(
        "Returnee questioned in Grozny\n\nZarema Sokolowa, who came back from Syria with Jasur Tursunov, "
        "was questioned in Grozny on Monday, the Islamic State said.\n",
        encoding="utf-8",
    )
    build([str(new)], db, progress=False, analyser=analyser)
    canon = _canon_by_name(db)
    assert canon[("PERSON", "Zarema Sokolowa")] != canon[("PERSON", "Zarema Sokolova")]
    assert canon[("PERSON", "Jasur Tursunov")] == canon[("PERSON", "Bakhtiyor Tursunov")]


def test_a_version_2_base_gains_the_resolution_tables_once(tmp_path):
    from sqlalchemy import inspect

    path = tmp_path / "v2.db"
    open_engine(str(path)).dispose()
    con = sqlite3.connect(path)
    for table in ("entity_blocks", "entity_resolved", "entity_corrections"):
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    for _ in range(2):
        engine = open_engine(str(path))
        assert {"entity_blocks", "entity_resolved", "entity_corrections"} <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").scalar_one() == str(S.SCHEMA_VERSION)
        engine.dispose()


def test_a_users_merge_and_split_match_event_reports_again(demo_db, tmp_path):
    """Who is who decides which reports are one event: merging two people makes their arrests
    one event (with the reason), splitting them takes it back."""
    import shutil
    import sqlite3

    from newsgraph.resolve.corrections import record_merge, record_split
    from newsgraph.store.db import open_engine

    path = tmp_path / "kb.db"
    shutil.copy(demo_db, path)

    def person(name):
        with sqlite3.connect(path) as con:
            return con.execute("SELECT id FROM entities WHERE type = 'PERSON' AND name = ?", (name,)).fetchone()[0]

    def linked_arrests():
        with sqlite3.connect(path) as con:
            return con.execute("SELECT same_as_reason FROM events WHERE type = 'ARREST' AND same_as IS NOT NULL").fetchall()

    ruslan, shamil = person("Ruslan Aliyev"), person("Shamil Gasanov")
    engine = open_engine(str(path))
    assert linked_arrests() == []
    record_merge(engine, ruslan, shamil, note="test")
    [(reason,)] = linked_arrests()
    assert reason.startswith("same ARREST") and "in both" in reason
    record_split(engine, shamil)
    assert linked_arrests() == []
    engine.dispose()
