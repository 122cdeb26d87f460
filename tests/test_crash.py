"""A build killed with SIGKILL at a random point, then rerun, ends with the same knowledge base.

For SQLite and PostgreSQL: an uninterrupted build of a few demo articles (small batches) is the
reference, and logs every SQL statement it runs. Then, per kill point (seeded random: while
analysing an article, inside a batch's transaction, during cross-article resolution), a fresh
build is killed there (crash_child.py), rerun to the end, and compared with the reference:
every table's row count and the full export.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from kbcheck import differences, export_records, table_counts

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS.parent / "examples" / "corpus"
# Two spellings of one man (07, 08), a name met again (01, 10), a story and its syndicated copy (11, 12).
FILES = ["01_ncm_aliyev_brothers.txt", "07_terek_magomedov_surrender.txt", "08_kaukasus_magomedow_charged.txt",
         "10_caspian_aliyev_sentenced.html", "11_levantwire_kazakh_return.html", "12_steppe_kazakh_return_syndicated.html"]
SEED = 20261123
BATCH_COMMIT = ("INSERT INTO mentions", "INSERT INTO timexes", "INSERT INTO events", "INSERT INTO claims")


def _build(point: str, db: str) -> subprocess.CompletedProcess:
    args = [*(str(CORPUS / f) for f in FILES), "--db", db, "-q", "--batch-size", "2"]
    return subprocess.run([sys.executable, str(TESTS / "crash_child.py"), point, *args],
                          capture_output=True, text=True, timeout=300)


def _kill_points(log: list[str], rng: random.Random) -> dict[str, str]:
    """One seeded random point per stage, as crash_child.py POINTs (statements count from 1)."""
    commits = [i for i, s in enumerate(log, 1) if s.startswith(BATCH_COMMIT)]
    # Resolution follows the batches and the model name recorded in meta.
    model_meta = max(i for i, s in enumerate(log, 1) if s.startswith("INSERT INTO meta") and "nlp_model" in s)
    resolution = list(range(model_meta + 1, len(log) + 1))
    assert commits and len(resolution) > 5, log
    return {
        "analysis": f"article:{rng.randint(1, len(FILES))}",
        "batch commit": f"sql:{rng.choice(commits)}",
        "resolution": f"sql:{rng.choice(resolution)}",
    }


def _fresh(backend: str, tmp_path: Path, name: str, pg_cluster=None) -> str:
    return str(tmp_path / f"{name}.db") if backend == "sqlite" else pg_cluster.database(name)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_build_killed_anywhere_then_rerun_equals_an_uninterrupted_build(backend, tmp_path, request):
    pg = request.getfixturevalue("pg_cluster") if backend == "postgresql" else None
    reference = _fresh(backend, tmp_path, "ref", pg)
    log_file = tmp_path / "statements.log"
    done = _build(f"log:{log_file}", reference)
    assert done.returncode == 0, done.stderr
    want_counts = table_counts(reference)
    want = export_records(reference, tmp_path / "ref_export")
    assert want_counts["documents"] == len(FILES)
    log = log_file.read_text(encoding="utf-8").splitlines()

    rng = random.Random(f"{SEED}:{backend}")
    for stage, point in _kill_points(log, rng).items():
        db = _fresh(backend, tmp_path, stage.replace(" ", "_"), pg)
        killed = _build(point, db)
        # Exit 0: the build ran fewer statements than the reference (code edited during the test?).
        assert killed.returncode == -9, (stage, point, killed.returncode, killed.stderr[-2000:])
        if stage != "resolution":
            assert table_counts(db)["documents"] < len(FILES), (stage, point)
        rerun = _build("none", db)
        assert rerun.returncode == 0, (stage, point, rerun.stderr[-2000:])
        got = export_records(db, tmp_path / f"{stage.replace(' ', '_')}_export")
        assert table_counts(db) == want_counts, (stage, point)
        assert differences(got, want) == [], (stage, point)
        assert got == want, (stage, point)
