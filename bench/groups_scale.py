"""Time to group figures and link events when articles are added to bases of growing size.

Builds synthetic corpora (bench/synth.py) of each size, then adds five more articles one build
at a time and times the cross-article figure and event resolution of each addition (the
incremental path: rerun on the new article's claims and events after resetting its marks),
and once a full regrouping of the whole base for comparison.

Usage: .venv/bin/python bench/groups_scale.py 200 1000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import articles  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--added", type=int, default=5)
    args = ap.parse_args()

    from sqlalchemy import func, select, update

    from newsgraph.build import build
    from newsgraph.extract.pipeline import Analyser
    from newsgraph.resolve.claims import resolve_claims
    from newsgraph.resolve.events import MARK, resolve_events
    from newsgraph.store import schema as S
    from newsgraph.store.db import get_meta, open_engine, set_meta

    analyser = Analyser.load()
    print("| base articles | claims | events | add one article: figures + events (median) | full regrouping |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            docs = list(articles(n + args.added, seed=7))
            base = Path(tmp) / "base.jsonl"
            base.write_text("".join(json.dumps(d) + "\n" for d in docs[:n]), encoding="utf-8")
            db = str(Path(tmp) / "kb.db")
            build([str(base)], db, progress=False, analyser=analyser)
            engine = open_engine(db)
            times = []
            for i, d in enumerate(docs[n:]):
                one = Path(tmp) / f"add{i}.jsonl"
                one.write_text(json.dumps(d) + "\n", encoding="utf-8")
                with engine.connect() as conn:
                    mark = get_meta(conn, MARK)
                build([str(one)], db, progress=False, analyser=analyser)
                # The build resolved the new article already; undo exactly that step's marks so
                # the same incremental work is timed alone.
                with engine.begin() as conn:
                    new_doc = select(S.documents.c.id).where(S.documents.c.seq > int(mark or 0))
                    conn.execute(update(S.claims).where(S.claims.c.doc.in_(new_doc)).values(group_id=None))
                    set_meta(conn, MARK, mark or "0")
                t = time.perf_counter()
                resolve_claims(engine)
                resolve_events(engine)
                times.append(time.perf_counter() - t)
            t = time.perf_counter()
            resolve_claims(engine, full=True)
            resolve_events(engine, full=True)
            full = time.perf_counter() - t
            with engine.connect() as conn:
                nc = conn.execute(select(func.count()).select_from(S.claims)).scalar()
                ne = conn.execute(select(func.count()).select_from(S.events)).scalar()
            times.sort()
            print(f"| {n:,} | {nc:,} | {ne:,} | {times[len(times) // 2] * 1000:.0f} ms | {full:.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
