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
from sqlalchemy import select

from newsgraph.store import schema as S
from newsgraph.store.db import open_engine

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
    # Batch commits were serialised: every document has its own arrival number.
    engine = open_engine(any_db, create=False)
    with engine.connect() as conn:
        seqs = [r[0] for r in conn.execute(select(S.documents.c.seq))]
    engine.dispose()
    assert None not in seqs and len(set(seqs)) == len(seqs), sorted(seqs)
    got = export_records(any_db, tmp_path / "export")
    assert differences(got, demo_export) == []
    assert got == demo_export


_HOLD = """
import sys, time
from newsgraph.store.db import open_engine, resolution_lock
engine = open_engine(sys.argv[1])
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
with resolution_lock(engine):
    print(f"{time.time()} {sys.argv[3]}", flush=True)
    time.sleep(1.5)
    print(f"{time.time()} end", flush=True)
"""


def test_the_resolution_lock_excludes_other_processes_and_dies_with_its_holder(any_db):
    import signal
    import time

    from newsgraph.store.db import open_engine

    open_engine(any_db).dispose()  # the schema exists before the race
    start = str(time.time() + 4)
    procs = [subprocess.Popen([sys.executable, "-c", _HOLD, any_db, start, str(i)], stdout=subprocess.PIPE, text=True) for i in range(2)]
    spans = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        (t0, _), (t1, _) = (line.split() for line in out.splitlines())
        spans.append((float(t0), float(t1)))
    (a0, a1), (b0, b1) = sorted(spans)
    assert a1 <= b0, spans  # one after the other, never both inside

    # A holder killed with SIGKILL leaves no stale lock: the next one gets it at once.
    holder = subprocess.Popen([sys.executable, "-c", _HOLD.replace("time.sleep(1.5)", "time.sleep(600)"), any_db, "0", "x"],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip().endswith("x")
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    t = time.time()
    after = subprocess.run([sys.executable, "-c", _HOLD, any_db, "0", "y"], capture_output=True, text=True, timeout=120)
    assert after.returncode == 0 and "y" in after.stdout, after.stderr
    assert time.time() - t < 30
