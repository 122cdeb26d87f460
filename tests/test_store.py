"""Building, rebuilding and exporting: idempotence, crash recovery, the contract's fields."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import func, select

from newsgraph.build import build
from newsgraph.store import schema as S
from newsgraph.store.db import counts, open_engine

ARTICLE_A = """Court in Makhachkala jails recruiter

By Laura Benson

Published: 12 May 2018

A court in Makhachkala on Friday sentenced Kamil Dzhabrailov, 41, to nine years in prison for
recruiting young men for the Islamic State group in 2015. Mr Dzhabrailov denied the charges.
"""

ARTICLE_B = """Kazakhstan brings home women from Syrian camp

Published: 3 February 2019

Kazakhstan's government said on Sunday that it had flown 47 women and children home from the
al-Hol camp in north-eastern Syria. The flight landed in Aktau late on Saturday.
"""


def _write(folder, name, text):
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def _row_counts(db: str) -> dict[str, int]:
    engine = open_engine(db, create=False)
    out = counts(engine)
    with engine.connect() as conn:
        for t in ("sentences", "entity_aliases", "doc_bands"):
            out[t] = conn.execute(select(func.count()).select_from(S.metadata.tables[t])).scalar_one()
    return out


def test_rebuilding_the_same_inputs_adds_nothing(tmp_path, analyser, any_db):
    src = tmp_path / "in"
    src.mkdir()
    _write(src, "a.txt", ARTICLE_A)
    _write(src, "b.txt", ARTICLE_B)
    db = any_db  # a SQLite file, then a PostgreSQL database
    first = build([str(src)], db, progress=False, analyser=analyser)
    assert first.stored == 2 and not first.rejected
    before = _row_counts(db)
    assert before["documents"] == 2 and before["mentions"] > 5 and before["timexes"] >= 4
    second = build([str(src)], db, progress=False, analyser=analyser)
    assert second.stored == 0 and second.already_stored == 2
    assert _row_counts(db) == before


def test_a_build_interrupted_between_batches_is_finished_by_a_rerun(tmp_path, analyser, any_db):
    src = tmp_path / "in"
    src.mkdir()
    _write(src, "a.txt", ARTICLE_A)
    _write(src, "b.txt", ARTICLE_B)
    reference = str(tmp_path / "ref.db")
    build([str(src)], reference, progress=False, analyser=analyser)

    # The first batch commits, then the build dies: simulate with a source that raises.
    db = any_db
    from newsgraph import build as build_module

    real_clean = build_module.clean
    calls = {"n": 0}

    def dying_clean(raw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed")
        return real_clean(raw)

    build_module.clean = dying_clean
    try:
        build([str(src)], db, progress=False, analyser=analyser, batch_size=1)
    except KeyboardInterrupt:
        pass
    finally:
        build_module.clean = real_clean
    assert _row_counts(db)["documents"] == 1
    build([str(src)], db, progress=False, analyser=analyser, batch_size=1)
    assert _row_counts(db) == _row_counts(reference)


def test_bad_inputs_are_named_and_the_rest_is_stored(tmp_path, analyser, capsys):
    import io

    src = tmp_path / "in"
    src.mkdir()
    _write(src, "good.txt", ARTICLE_A)
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (src / "lines.jsonl").write_text(json.dumps({"text": ARTICLE_B, "published": "2019-02-03"}) + "\n{not json\n", encoding="utf-8")
    err = io.StringIO()
    db = str(tmp_path / "kb.db")
    report = build([str(src), str(tmp_path / "missing")], db, progress=False, analyser=analyser, err=err)
    assert report.stored == 2
    messages = err.getvalue()
    for name in ("empty.txt", "binary.txt", "lines.jsonl#L2", "missing"):
        assert name in messages, messages
    assert len(report.rejected) == 4


def test_export_has_the_contract_fields(demo_export_any):
    demo_export = demo_export_any  # from SQLite, then from PostgreSQL
    doc_fields = {"id", "source", "title", "published", "published_basis", "language", "text", "duplicate_of"}
    ent_fields = {"id", "type", "name", "aliases", "mentions", "geo"}
    assert demo_export["documents"] and demo_export["entities"]
    for d in demo_export["documents"]:
        assert doc_fields <= d.keys()
        assert d["published_basis"] in {"metadata", "byline", "url", "inferred", None}
    texts = {d["id"]: d["text"] for d in demo_export["documents"]}
    for e in demo_export["entities"]:
        assert ent_fields <= e.keys()
        assert e["type"] in {"PERSON", "ORG", "PLACE", "NORP"}
        for m in e["mentions"]:
            # every offset points into the cleaned text of its document
            assert texts[m["doc"]][m["start"] : m["end"]] == m["text"]
        if e["geo"] is not None:
            assert e["type"] == "PLACE"
            assert -90 <= e["geo"]["lat"] <= 90
            assert e["geo"]["country"] is None or len(e["geo"]["country"]) == 2  # None: a region across countries
    # a figure's as-of date found through an event keeps how it was found, on either backend
    dated = [c for c in demo_export["claims"] if c["text"] == "Thirty" and c["as_of"]]
    assert dated and all(c["as_of"]["value"] == "2019-05-29" for c in dated)
    assert all(c["as_of_reason"].startswith("the date of the return 'flown'") for c in dated)


def test_cli_exit_statuses_and_info(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _write(src, "a.txt", ARTICLE_A)
    (src / "empty.txt").write_bytes(b"")
    db = str(tmp_path / "kb.db")
    run = lambda *args: subprocess.run([sys.executable, "-m", "newsgraph", *args], capture_output=True, text=True)
    usage = run("build", "--db", db)
    assert usage.returncode == 2
    partial = run("build", str(src), "--db", db, "-q")
    assert partial.returncode == 1, partial.stderr
    assert "empty.txt" in partial.stderr
    again = run("build", str(src / "a.txt"), "--db", db, "-q")
    assert again.returncode == 0, again.stderr
    info = run("info", "--db", db)
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["counts"]["documents"] == 1
    assert data["nlp"]["model"] and data["nlp"]["version"]
    import spacy

    assert spacy.load(data["nlp"]["model"]).meta["version"] == data["nlp"]["version"]
    out = tmp_path / "export"
    exp = run("export", "--db", db, "--out", str(out))
    assert exp.returncode == 0, exp.stderr
    for name in ("documents", "entities", "events", "claims"):
        assert (out / f"{name}.jsonl").exists() and (out / f"{name}.csv").exists()
    assert run("export", "--db", str(tmp_path / "nope.db"), "--out", str(out)).returncode == 2


def test_a_users_alias_file_extends_the_packaged_one(tmp_path, capsys):
    """`--aliases` adds a user's names: here an invented group known by two names."""
    src = tmp_path / "in"
    src.mkdir()
    _write(
        src,
        "a.txt",
        "Recruiters jailed\n\nPublished: 3 May 2018\n\nA court in Grozny jailed two men for recruiting "
        "for the Shura of Vedeno, a group also known as Vedeno Jamaat.\n",
    )
    aliases = tmp_path / "mine.tsv"
    aliases.write_text("Shura of Vedeno\tORG\tVedeno Jamaat\n", encoding="utf-8")
    db = str(tmp_path / "kb.db")
    run = lambda *args: subprocess.run([sys.executable, "-m", "newsgraph", *args], capture_output=True, text=True)
    r = run("build", str(src), "--db", db, "-q", "--aliases", str(aliases))
    assert r.returncode == 0, r.stderr
    engine = open_engine(db, create=False)
    with engine.connect() as conn:
        by_text = {row.text: (row.name, row.entity) for row in conn.execute(select(S.mentions))}
    # the second name is linked to the first, which only the user's file says
    assert by_text["Vedeno Jamaat"][0] == "Shura of Vedeno"
    assert by_text["Vedeno Jamaat"][1] == by_text["Shura of Vedeno"][1]
    bad = run("build", str(src), "--db", db, "-q", "--aliases", str(tmp_path / "missing.tsv"))
    assert bad.returncode == 2


def test_a_version_1_database_is_migrated_to_the_current_schema(tmp_path):
    """A knowledge base made before entities could be merged gains the columns, once."""
    import sqlite3

    from sqlalchemy import inspect

    from newsgraph.store import schema as S
    from newsgraph.store.db import MIGRATIONS, open_engine

    assert MIGRATIONS[-1][0] == S.SCHEMA_VERSION
    path = tmp_path / "old.db"
    engine = open_engine(str(path))
    engine.dispose()
    con = sqlite3.connect(path)
    cols = [r[1] for r in con.execute("PRAGMA table_info(entities)") if r[1] not in ("canonical", "merge_reason")]
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute(f"CREATE TABLE entities_v1 AS SELECT {', '.join(cols)} FROM entities")
    con.execute("DROP TABLE entities")
    con.execute("ALTER TABLE entities_v1 RENAME TO entities")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    for _ in range(2):
        engine = open_engine(str(path))
        cols = {c["name"] for c in inspect(engine).get_columns("entities")}
        assert {"canonical", "merge_reason"} <= cols
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").scalar_one() == str(S.SCHEMA_VERSION)
        engine.dispose()
