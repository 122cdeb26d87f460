"""Figures against MEANTIME-en: precision, recall and F1 of `extract_claims`.

Rerun: `.venv/bin/python bench/figures_eval.py [--data ../shared/data] [--errors N]`

Mapping of this project's figures onto MEANTIME's annotation (intra-doc_annotation, 120
Wikinews articles):
- gold = every VALUE markable of type QUANTITY, MONEY or PERCENT (MEANTIME's numeric
  expressions; dates, times and durations are TIMEX3 there and not figures here either);
  its span runs from its first to its last anchored token;
- document text = the tokens joined with single spaces, except no space before closing
  punctuation and none after opening brackets and currency symbols; the headline (sentence 0)
  and dateline (sentence 1) are separate lines; character offsets are kept per token;
- MEANTIME annotates only the headline and the first sentences of each article (no markable
  of any kind after them), so claims after the last sentence holding any markable are not
  scored (their count is printed);
- a claim is correct when its span overlaps some gold mention, and a gold mention is found
  when some claim overlaps it (gold nests "20 to 25 percent" over "25 percent", and one
  claim reads a range as one figure); per-type recall uses the gold type, per-type precision maps a claim's unit to
  a type (currency -> MONEY, percent -> PERCENT, else QUANTITY); `type_ok` counts matches
  whose mapped type equals the gold type;
- value accuracy: MEANTIME VALUE markables carry no normalised value, so none is reported.
Entities and time expressions are not given to `extract_claims` here (source and as_of
are not scored), so the figures measure finding and filtering numbers only.
Writes bench/results/figures.json. Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("QUANTITY", "MONEY", "PERCENT")
NO_SPACE_BEFORE = {",", ".", ":", ";", "%", ")", "]", "?", "!", "''", "'s", "n't", "'", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "[", "$", "US$", "AU$", "C$", "€", "£", "``", "#"}


def read_doc(path: Path) -> tuple[str, list[tuple[int, int, str]], int]:
    """Document text rebuilt from tokens, gold (start, end, type) spans, and the end of the
    annotated region (the last sentence holding any markable)."""
    root = ET.parse(path).getroot()
    parts: list[str] = []
    offs: dict[str, tuple[int, int]] = {}
    sent_of: dict[str, int] = {}
    pos, prev, prev_sent = 0, None, None
    for tok in root.iter("token"):
        text = tok.text or ""
        sent = tok.get("sentence")
        if prev is None:
            sep = ""
        elif sent != prev_sent and prev_sent in ("0", "1"):
            sep = "\n"
        elif text in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER:
            sep = ""
        else:
            sep = " "
        parts.append(sep)
        pos += len(sep)
        offs[tok.get("t_id")] = (pos, pos + len(text))
        sent_of[tok.get("t_id")] = int(sent)
        parts.append(text)
        pos += len(text)
        prev, prev_sent = text, sent
    gold = []
    for v in root.iter("VALUE"):
        if v.get("type") not in TYPES:
            continue
        ids = [a.get("t_id") for a in v.iter("token_anchor") if a.get("t_id") in offs]
        if ids:
            gold.append((min(offs[i][0] for i in ids), max(offs[i][1] for i in ids), v.get("type")))
    anchored = [sent_of[a.get("t_id")] for a in root.iter("token_anchor") if a.get("t_id") in sent_of]
    last = max(anchored, default=-1)
    region_end = max((offs[t][1] for t, s in sent_of.items() if s <= last), default=0)
    return "".join(parts), gold, region_end


def claim_type(unit: str | None) -> str:
    if unit == "percent":
        return "PERCENT"
    if unit and unit.isupper() and len(unit) == 3:
        return "MONEY"
    return "QUANTITY"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--errors", type=int, default=0, help="print this many misses and false alarms")
    args = ap.parse_args(argv)
    base = Path(args.data) / "meantime-en" / "intra-doc_annotation"
    files = sorted(base.glob("*/*.xml"))
    if not files:
        print(f"figures_eval: no MEANTIME data under {base}; nothing measured.")
        return 0
    from newsgraph.extract.figures import extract_claims
    from newsgraph.extract.nlp import load_nlp

    nlp = load_nlp()
    docs = [read_doc(f) for f in files]
    gold_n, pred_n, match_n, type_ok = Counter(), Counter(), Counter(), 0
    pred_match = Counter()
    misses, alarms = [], []
    t_parse = t_claims = 0.0
    outside = 0
    for (text, gold, region_end), f in zip(docs, files):
        t0 = time.perf_counter()
        doc = nlp(text)
        t1 = time.perf_counter()
        claims = extract_claims(doc, [], [])
        t_claims += time.perf_counter() - t1
        t_parse += t1 - t0
        recalled = set()
        for g in gold:
            gold_n[g[2]] += 1
        for c in claims:
            if c.start >= region_end:
                outside += 1
                continue
            ct = claim_type(c.unit)
            pred_n[ct] += 1
            hits = [k for k, g in enumerate(gold) if g[0] < c.end and c.start < g[1]]
            if not hits:
                alarms.append((f.stem, c.text, text[max(0, c.start - 50):c.end + 40].replace("\n", " ")))
                continue
            recalled.update(hits)
            pred_match[ct] += 1
            type_ok += ct == gold[hits[0]][2]
        for k, g in enumerate(gold):
            if k in recalled:
                match_n[g[2]] += 1
            else:
                misses.append((f.stem, g[2], text[g[0]:g[1]], text[max(0, g[0] - 50):g[1] + 40].replace("\n", " ")))
    rows = {}
    for ty in TYPES + ("ALL",):
        if ty == "ALL":
            g, p, m, pm = sum(gold_n.values()), sum(pred_n.values()), sum(match_n.values()), sum(pred_match.values())
        else:
            g, p, m, pm = gold_n[ty], pred_n[ty], match_n[ty], pred_match[ty]
        prec = pm / p if p else 0.0
        rec = m / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows[ty] = {"gold": g, "pred": p, "matched_gold": m, "matched_pred": pm,
                    "precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3)}
    print(f"MEANTIME-en figures ({len(files)} docs; span overlap; precision per predicted type, recall per gold type)")
    print(f"{'type':<9}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for ty, r in rows.items():
        print(f"{ty:<9}{r['gold']:>6}{r['pred']:>6}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}")
    total_m = sum(pred_match.values())
    print(f"claims outside the annotated region (not scored): {outside}")
    print(f"type agreement on matches: {type_ok}/{total_m}; value accuracy: n/a (gold has no values)")
    print(f"time: parse {t_parse:.1f}s, extract_claims {t_claims:.2f}s ({100 * t_claims / t_parse:.1f}% of parse)")
    if args.errors:
        print("\nmisses:")
        for m in misses[: args.errors]:
            print("  ", m)
        print("\nfalse alarms:")
        for a in alarms[: args.errors]:
            print("  ", a)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "figures.json").write_text(json.dumps({
        "data": "meantime-en intra-doc_annotation", "docs": len(files), "match": "span overlap", "unscored_outside_region": outside,
        "per_type": rows, "type_agreement": [type_ok, total_m], "value_accuracy": None,
        "extract_share_of_parse": round(t_claims / t_parse, 4),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
