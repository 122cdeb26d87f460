"""Build time of the demo corpus into SQLite and into PostgreSQL, measured in one run.

usage: python bench/postgres.py [--pg postgresql://USER@HOST:PORT/DB] [--runs 3] [--corpus examples/corpus]

Without --pg, a throwaway PostgreSQL cluster is started (tests/pg_cluster.py: needs Debian's
postgresql). The spaCy model is loaded once; each run builds the corpus into a fresh base,
SQLite and PostgreSQL alternately, so both see the same machine load. Prints the median wall
time of each and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _fresh_pg(base: str) -> str:
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", help="a PostgreSQL server's URL (a database on it to connect to); default: a throwaway cluster")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--corpus", default=str(ROOT / "examples" / "corpus"))
    args = ap.parse_args()

    from newsgraph.build import build
    from newsgraph.extract.pipeline import Analyser

    cluster = None
    base = args.pg
    if base is None:
        from pg_cluster import Cluster

        cluster = Cluster().start()
        base = cluster.base_url
    analyser = Analyser.load()
    build([args.corpus], str(Path(tempfile.mkdtemp()) / "warm.db"), progress=False, analyser=analyser)  # warm caches
    times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    try:
        for _ in range(args.runs):
            for backend in times:
                db = str(Path(tempfile.mkdtemp()) / "kb.db") if backend == "sqlite" else _fresh_pg(base)
                t = time.perf_counter()
                report = build([args.corpus], db, progress=False, analyser=analyser)
                times[backend].append(time.perf_counter() - t)
                assert report.stored > 0
    finally:
        if cluster is not None:
            cluster.stop()
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in times.items():
        print(f"{k:10s} median {med[k]:.2f} s  runs {', '.join(f'{x:.2f}' for x in v)}")
    print(f"postgresql / sqlite: {med['postgresql'] / med['sqlite']:.2f}")


if __name__ == "__main__":
    main()
