"""Two builds writing to one base at once lose and duplicate nothing (SQLite and PostgreSQL).

Two real `newsgraph build` processes are started together on overlapping halves of the demo
corpus, committing small batches so their writes interleave; the base they leave must equal
the demo corpus built in one go: every table's row count and the whole export.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kbcheck import differences, export_records, table_counts

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


def _inputs() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))


def test_two_builds_at_once_lose_and_duplicate_nothing(any_db, demo_db, demo_export, tmp_path):
    files = _inputs()
    assert len(files) >= 12
    # Overlapping halves whose union is the whole corpus; the copies of one story (11, 12) and
    # the JSON Lines feed are in both, so both processes race on the same documents and entities.
    first, second = files[:12] + files[-1:], files[6:]
    assert set(first) | set(second) == set(files)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "newsgraph", "build", *map(str, part), "--db", any_db, "-q", "--batch-size", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for part in (first, second)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err
    assert table_counts(any_db) == table_counts(demo_db)
    got = export_records(any_db, tmp_path / "export")
    assert differences(got, demo_export) == []
    assert got == demo_export
