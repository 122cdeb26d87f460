"""`build --engine ray` gives the same knowledge base as the local engine, on a local Ray instance.

Ray is installed by `make install` (requirements.txt pins ray[data]); these tests do not skip
without it. The instance is private to this module: 2 CPUs, no dashboard, no network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.build import build
from newsgraph.errors import UsageError
from newsgraph.store.db import open_engine
from newsgraph.store.export import FILES, export

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=200 * 1024 * 1024)
    yield ray
    ray.shutdown()


def _exported(db: str, out: Path) -> dict[str, str]:
    """Every export file's full text (JSON Lines and CSV)."""
    export(open_engine(db, create=False), out)
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}


def test_demo_corpus_on_ray_exports_the_same_as_local(local_ray, demo_db, tmp_path):
    db = str(tmp_path / "ray.db")
    report = build([str(CORPUS)], db, engine="ray", jobs=2, progress=False, batch_size=8)
    assert report.stored >= 15 and not report.rejected
    ours, theirs = _exported(db, tmp_path / "ray"), _exported(demo_db, tmp_path / "local")
    assert set(ours) == {f"{n}.{ext}" for n in FILES for ext in ("jsonl", "csv")}
    for name in theirs:
        assert ours[name] == theirs[name], name

    again = build([str(CORPUS)], db, engine="ray", jobs=2, progress=False)
    assert (again.stored, again.already_stored) == (0, report.stored)
    assert _exported(db, tmp_path / "ray2") == ours


def test_demo_corpus_on_ray_into_postgresql_exports_the_same_as_local(local_ray, pg_cluster, demo_db_pg, tmp_path):
    # Workers reach PostgreSQL themselves: on the rerun they skip the stored articles unanalysed.
    url = pg_cluster.database("ray")
    report = build([str(CORPUS)], url, engine="ray", jobs=2, progress=False)
    assert report.stored >= 15 and not report.rejected
    assert _exported(url, tmp_path / "ray") == _exported(demo_db_pg, tmp_path / "local")
    again = build([str(CORPUS)], url, engine="ray", jobs=2, progress=False)
    assert (again.stored, again.already_stored) == (0, report.stored)


def _warc(path: Path, pages: list[tuple[str, str]]) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(html.encode()), http_headers=headers))


def _mixed_inputs(tmp_path: Path) -> list[str]:
    """WARC, JSONL (with a bad line and a repeated article), text, and inputs that must be rejected."""
    folder = tmp_path / "in"
    folder.mkdir()
    page = ("<html><head><title>{t}</title></head><body><article><h1>{t}</h1><p>{b}</p></article></body></html>")
    _warc(folder / "shard-000.warc.gz", [
        ("https://news.example/a", page.format(t="Court in Nalchik jails Zaur Bekov",
                                               b="A court in Nalchik on Tuesday sentenced Zaur Bekov, 31, to six years "
                                                 "in prison for joining Islamic State in Syria in 2015, prosecutors said.")),
        ("https://news.example/b", page.format(t="Families return to Dagestan",
                                               b="Some 40 women and children returned to Makhachkala from camps in "
                                                 "north-eastern Syria last month, the regional government said.")),
    ])
    wire = {"text": "Officials in Bishkek said on Monday that more than 300 citizens of Kyrgyzstan remain in Syria.",
            "title": "Kyrgyz officials count citizens abroad", "published": "2019-03-04"}
    (folder / "wire.jsonl").write_text("\n".join([json.dumps(wire), "{not json", json.dumps(wire)]) + "\n", encoding="utf-8")
    (folder / "note.txt").write_text("Madina Saidova met officials of the Red Cross in Tbilisi in June 2018.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return [str(folder), str(tmp_path / "missing.warc")]


def test_warc_jsonl_and_bad_inputs_on_ray_match_local(local_ray, analyser, tmp_path):
    inputs = _mixed_inputs(tmp_path)
    local = build(inputs, str(tmp_path / "local.db"), progress=False, analyser=analyser)
    ray_report = build(inputs, str(tmp_path / "ray.db"), engine="ray", jobs=2, progress=False, batch_size=2)
    assert local.stored == 4
    for field in ("stored", "already_stored", "repeated_in_input"):
        assert getattr(ray_report, field) == getattr(local, field), field
    assert [str(e) for e in ray_report.rejected] == [str(e) for e in local.rejected]
    assert len(local.rejected) == 3  # the bad JSONL line, the empty file, the missing path
    assert _exported(str(tmp_path / "ray.db"), tmp_path / "r") == _exported(str(tmp_path / "local.db"), tmp_path / "l")


def test_unreachable_address_is_named_and_nothing_is_created(tmp_path):
    db = tmp_path / "kb.db"
    with pytest.raises(UsageError, match=r"127\.0\.0\.1:1: no Ray cluster answers there"):
        build([str(CORPUS)], str(db), engine="ray", address="127.0.0.1:1", progress=False)
    with pytest.raises(UsageError, match="expected HOST:PORT"):
        build([str(CORPUS)], str(db), engine="ray", address="no-port-here", progress=False)
    assert not db.exists()


def test_cli_says_how_to_install_ray_when_it_is_missing(tmp_path):
    # `ray` made unimportable in a child interpreter: the message names the extra to install.
    code = "import sys; sys.modules['ray'] = None; from newsgraph.cli import main; main()"
    run = subprocess.run(
        [sys.executable, "-c", code, "build", str(CORPUS), "--db", str(tmp_path / "kb.db"), "--engine", "ray"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 2, run.stderr
    assert "pip install 'newsgraph[ray]'" in run.stderr
    assert not (tmp_path / "kb.db").exists()


def test_a_build_that_starts_ray_leaves_no_ray_process_when_it_returns(tmp_path):
    # No Ray running in the child: build() starts a private instance, shuts it down in the
    # background while it resolves the last articles, and has waited for that when it returns.
    code = (
        "import os, sys\n"
        "from newsgraph.build import build\n"
        "report = build([sys.argv[1]], sys.argv[2], engine='ray', jobs=1, progress=False)\n"
        "import ray\n"
        "kids = []\n"
        "for pid in filter(str.isdigit, os.listdir('/proc')):\n"
        "    try:\n"
        "        stat = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()\n"
        "    except OSError:\n"
        "        continue\n"
        "    if int(stat[1]) == os.getpid() and stat[0] != 'Z':\n"
        "        kids.append(open(f'/proc/{pid}/cmdline').read().replace(chr(0), ' ')[:80])\n"
        "print(report.stored, ray.is_initialized(), kids)\n"
    )
    one = sorted(CORPUS.iterdir())[0]
    run = subprocess.run(
        [sys.executable, "-c", code, str(one), str(tmp_path / "kb.db")],
        capture_output=True, text=True, timeout=300, env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "1 False []"
