"""`newsgraph resolve [--full]`: cross-article resolution again, over what is new or over everything."""

from __future__ import annotations

import json
import shutil
import sqlite3

from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.store.db import open_engine
from newsgraph.store.export import FILES, export


def _export(db: str, out) -> dict[str, list[dict]]:
    out.mkdir()
    engine = open_engine(db, create=False)
    export(engine, out)
    engine.dispose()
    return {name: [json.loads(line) for line in (out / f"{name}.jsonl").open(encoding="utf-8")] for name in FILES}


def test_full_resolution_of_a_wiped_base_ends_where_the_build_did(demo_db, demo_export, tmp_path):
    """Every automatic decision forgotten (merges, copies, figure groups, event links), then
    `resolve --full`: the export is the build's again, byte for byte in content."""
    db = str(tmp_path / "kb.db")
    shutil.copy(demo_db, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE entities SET canonical = NULL, merge_reason = NULL")
    con.execute("UPDATE documents SET duplicate_of = NULL, duplicate_reason = NULL")
    con.execute("UPDATE claims SET group_id = NULL, group_label = NULL, group_reason = NULL")
    con.execute("UPDATE events SET same_as = NULL, same_as_reason = NULL")
    con.commit()
    con.close()
    wiped = _export(db, tmp_path / "wiped")
    assert wiped != demo_export, "wiping changed what the export shows"
    r = CliRunner().invoke(cli, ["resolve", "--db", db, "--full", "--quiet"])
    assert r.exit_code == 0, r.output
    assert _export(db, tmp_path / "again") == demo_export


def test_resolve_keeps_a_users_merge_and_reports_what_it_did(demo_copy):
    db, ids = demo_copy
    runner = CliRunner()
    r = runner.invoke(cli, ["merge", ids["Jasur Tursunov"], ids["Bakhtiyor Tursunov"], "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["resolve", "--db", db, "--full"])
    assert r.exit_code == 0, r.output
    assert "merged with one named in other articles" in r.output  # the summary on stderr
    con = sqlite3.connect(db)
    canon = dict(con.execute("SELECT id, COALESCE(canonical, id) FROM entities").fetchall())
    con.close()
    assert canon[ids["Jasur Tursunov"]] == canon[ids["Bakhtiyor Tursunov"]]
    r = runner.invoke(cli, ["resolve", "--db", db])  # nothing new: nothing to do, nothing changes
    assert r.exit_code == 0 and r.output == ""


def test_resolve_without_a_base_says_how_to_make_one(tmp_path):
    r = CliRunner().invoke(cli, ["resolve", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2
    assert "no such knowledge base" in r.output and "newsgraph build" in r.output
