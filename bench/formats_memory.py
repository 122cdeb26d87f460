"""Peak memory of each export format against the size of the knowledge base.

    .venv/bin/python bench/formats_memory.py [--copies 25,100] [--db demo.db]

The demo corpus is built once (or --db is used), then copied into bases `copies` times its
size: every document and everything extracted from it (mentions, events, participants,
figures, quotes) is repeated under new ids, the entities are shared, so the network gets the
same nodes with heavier edges. Each format is written by its own process and its peak RSS is
read from getrusage; the baseline process only imports newsgraph and opens the base. Flat
means the peak above the baseline does not grow with the base. Timings on a shared machine
are noisy; the memory figures are not.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Key columns renamed in each copy (suffix), per table; everything else is copied as it is.
RENAMED = {
    "documents": ("id", "duplicate_of"),
    "sentences": ("doc",),
    "mentions": ("doc",),
    "timexes": ("doc",),
    "events": ("id", "doc", "same_as"),
    "event_participants": ("event",),
    "claims": ("id", "doc"),
    "claim_conflicts": ("claim", "other"),
    "quotes": ("doc",),
}

CHILD = r"""
import resource, sys, time
from newsgraph.store.db import open_engine
from newsgraph.store import formats as F
db, fmt, out = sys.argv[1:4]
engine = open_engine(db, create=False)
with engine.connect() as conn:
    conn.exec_driver_sql("SELECT 1")
t = time.perf_counter()
if fmt != "baseline":
    F.write_exports(engine, out, [fmt], network_types="PERSON,ORG,PLACE")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, time.perf_counter() - t)
"""

FORMATS = ("baseline", "jsonl", "csv", "geojson", "graphml", "gexf", "parquet")


def replicate(src: str, dest: str, copies: int) -> dict[str, int]:
    """Copy `src` into `dest` with every document (and its extractions) repeated `copies` times."""
    with sqlite3.connect(src) as s, sqlite3.connect(dest) as d:
        s.backup(d)
    con = sqlite3.connect(dest)
    con.execute("PRAGMA foreign_keys=OFF")
    for table, renamed in RENAMED.items():
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        for k in range(1, copies):
            exprs = [f"{c} || '_{k}'" if c in renamed else c for c in cols]
            names = ", ".join(f'"{c}"' for c in cols)
            con.execute(f"INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} FROM {table} WHERE instr(COALESCE({renamed[0]}, ''), '_') = 0")
    con.commit()
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("documents", "mentions", "events", "claims")}
    con.close()
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", default="25,100", help="sizes, as copies of the demo corpus")
    ap.add_argument("--db", help="a base to copy (default: build examples/corpus)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="formats-memory-"))
    src = args.db
    if src is None:
        src = str(tmp / "demo.db")
        subprocess.run([sys.executable, "-m", "newsgraph", "build", str(ROOT / "examples" / "corpus"), "--db", src, "-q"], check=False)
    results = []
    for copies in (int(c) for c in args.copies.split(",")):
        db = str(tmp / f"x{copies}.db")
        counts = replicate(src, db, copies)
        row = {"copies": copies, **counts}
        for fmt in FORMATS:
            out = tmp / f"out{copies}-{fmt}"
            r = subprocess.run([sys.executable, "-c", CHILD, db, fmt, str(out)], capture_output=True, text=True, check=True)
            rss, secs = map(float, r.stdout.split())
            row[fmt] = {"peak_rss_mb": round(rss, 1), "seconds": round(secs, 2)}
        results.append(row)
        print(json.dumps(row), flush=True)
    base = {r["copies"]: r["baseline"]["peak_rss_mb"] for r in results}
    print("\npeak RSS above the baseline (MB):")
    print("copies  documents  mentions  " + "  ".join(f"{f:>8}" for f in FORMATS[1:]))
    for r in results:
        extra = [r[f]["peak_rss_mb"] - base[r["copies"]] for f in FORMATS[1:]]
        print(f"{r['copies']:>6}  {r['documents']:>9}  {r['mentions']:>8}  " + "  ".join(f"{x:>8.1f}" for x in extra))
    print(f"(finished {time.strftime('%Y-%m-%d %H:%M')}, files under {tmp})")


if __name__ == "__main__":
    main()
