"""Claim grouping and conflict detection scored against the demo corpus's FACTS.md.

The only gold there is for figures across documents is our own: examples/corpus/FACTS.md,
written by this project about 20 invented articles. It labels four groups (two with a
genuine conflict, two series that are not conflicts) and lists every figure of every
article. This script builds the corpus into a temporary base and scores:

- grouping, pairwise over the FACTS figures found among the exported claims: a pair is gold
  "same quantity" when both carry the same FACTS `group` label, or when one is the syndicated
  copy's repetition of the other (12 re-publishes 11: same figure, same sentence); every other
  pair is gold "different";
- conflicts, over unordered pairs: gold from FACTS `conflicts_with`, predicted from every
  exported claim's `conflicts_with`.

Usage: .venv/bin/python bench/groups_eval.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from demo_facts import BY_FILE, CORPUS, CROSS, documents_by_file, occurrences  # noqa: E402


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    from newsgraph.build import build
    from newsgraph.store.db import open_engine
    from newsgraph.store.export import export

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.db")
        build([str(CORPUS)], db, progress=False)
        export(open_engine(db, create=False), Path(tmp) / "out", csv_too=False)
        ex = {n: [json.loads(line) for line in (Path(tmp) / "out" / f"{n}.jsonl").open(encoding="utf-8")] for n in ("documents", "claims")}

    docs = documents_by_file(ex["documents"])
    by_doc: dict[str, list[dict]] = {}
    for c in ex["claims"]:
        by_doc.setdefault(c["doc"], []).append(c)
    copies = {d["copy"]: d["original"] for d in CROSS["duplicates"]}

    found: dict[tuple[str, str], dict] = {}  # (file, FACTS text) -> exported claim
    gold_label: dict[tuple[str, str], str] = {}
    missing = 0
    for file, art in BY_FILE.items():
        doc = docs[file]
        for f in art.get("figures", []):
            spans = occurrences(doc["text"], f["text"])
            hits = [c for c in by_doc.get(doc["id"], []) for s, e in spans if s <= c["span"]["start"] < e]
            if len(hits) != 1:
                missing += 1
                continue
            key = (file, f["text"])
            found[key] = hits[0]
            story = copies.get(file, file)
            gold_label[key] = f.get("group") or f"{story}|{f['text']}"

    tp = fp = fn = 0
    for a, b in combinations(found, 2):
        gold = gold_label[a] == gold_label[b]
        pred = found[a]["group"] == found[b]["group"]
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
    gp, gr, gf = _prf(tp, fp, fn)

    gold_conf = set()
    for file, art in BY_FILE.items():
        for f in art.get("figures", []):
            for other in f.get("conflicts_with", []):
                other_text = other.replace(" (this file)", "")
                if (file, f["text"]) in found and (file, other_text) in found:
                    gold_conf.add(frozenset((found[(file, f["text"])]["id"], found[(file, other_text)]["id"])))
    pred_conf = {frozenset((c["id"], o)) for c in ex["claims"] for o in c["conflicts_with"]}
    cp, cr, cf = _prf(len(gold_conf & pred_conf), len(pred_conf - gold_conf), len(gold_conf - pred_conf))

    print(f"FACTS figures matched to exported claims: {len(found)} (not found: {missing})")
    print(f"grouping, pairwise over {len(found) * (len(found) - 1) // 2} pairs: "
          f"P {gp:.3f}  R {gr:.3f}  F1 {gf:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    print(f"conflicts, unordered pairs: P {cp:.3f}  R {cr:.3f}  F1 {cf:.3f}  "
          f"(gold {len(gold_conf)}, predicted {len(pred_conf)})")
    print("gold: examples/corpus/FACTS.md, our own 20 invented articles; a small test of the rules, not a benchmark")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
