"""Score `extract_timexes` against gold TIMEX3 annotation (TempEval-3 platinum, MEANTIME English).

    .venv/bin/python bench/timex_eval.py [--data DIR] [--errors N] [--corpus NAME]

Detection: precision/recall/F1, strict (same span) and relaxed (overlapping spans, matched
one to one). Values: of gold DATEs the system found (overlap), the share with exactly the gold
value; and over all gold DATEs (misses count as wrong); the same over all types. Each
document's creation time (DCT) is the publication date. MEANTIME annotates only the first
sentences of each article, so only those (up to the last sentence holding any markable) are
scored; its creation-time markable (the dateline inside the text) is left out of gold and
system output alike.
Speed is the fastest of three runs per document, in ms per 1,000 whitespace-separated words.
Figures go to stdout and bench/results/timex.json.
"""

from __future__ import annotations

import argparse
import glob
import html
import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.extract.timex import extract_timexes  # noqa: E402

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def load_tempeval(folder: Path) -> list[dict]:
    """TimeML .tml files: text inside <TEXT> with tags stripped, TIMEX3 spans, DCT value."""
    docs = []
    for path in sorted(folder.glob("*.tml")):
        raw = path.read_text(encoding="utf-8")
        dct = re.search(r"<DCT>\s*<TIMEX3[^>]*value=\"([^\"]+)\"", raw)
        body = raw[raw.index("<TEXT>") + len("<TEXT>"):raw.index("</TEXT>")]
        text_parts: list[str] = []
        pos = 0
        length = 0
        open_timex: tuple[int, dict] | None = None
        gold = []
        for m in _TAG.finditer(body):
            chunk = html.unescape(body[pos:m.start()])
            text_parts.append(chunk)
            length += len(chunk)
            pos = m.end()
            if m.group(2) != "TIMEX3":
                continue
            if m.group(1):
                start, attrs = open_timex
                gold.append({"start": start, "end": length, "type": attrs.get("type"),
                             "value": attrs.get("value")})
                open_timex = None
            else:
                open_timex = (length, dict(_ATTR.findall(m.group(3))))
        text_parts.append(html.unescape(body[pos:]))
        text = "".join(text_parts)
        for g in gold:
            g["text"] = text[g["start"]:g["end"]]
        docs.append({"id": path.stem, "text": text, "dct": dct.group(1) if dct else None,
                     "gold": gold, "ignore": []})
    return docs


_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "'s", "n't", "%", "'", "''", "'re",
                    "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "[", "$", "``", "#"}


def _meantime_dct(value: str | None, dateline: list[dict], text: str) -> str | None:
    """The creation time as ISO: a few files write DD-MM-YYYY or leave the value out, in which
    case the dateline (an absolute date in the text's first lines) is read."""
    m = re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", value or "")
    if m:
        return f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    if value:
        return value
    for chunk in [item["text"] for item in dateline] + ["\n".join(text.split("\n")[:3])]:
        for t in extract_timexes(chunk, None):
            if t.value and t.precision == "day":
                return t.value
    return None


def load_meantime(folder: Path) -> list[dict]:
    """MEANTIME token-anchored XML: tokens joined into text, TIMEX3 markables as char spans."""
    docs = []
    for path in sorted(glob.glob(str(folder / "intra-doc_annotation" / "*" / "*.xml"))):
        root = ET.parse(path).getroot()
        # only the first sentences of each article are annotated: score that part alone
        tok_sent = {t.get("t_id"): int(t.get("sentence")) for t in root.iter("token")}
        last = max(tok_sent[a.get("t_id")] for a in root.find("Markables").iter("token_anchor"))
        parts: list[str] = []
        spans: dict[str, tuple[int, int]] = {}
        length = 0
        prev_tok, prev_sent = None, None
        for tok in root.iter("token"):
            word = tok.text or ""
            sent = tok.get("sentence")
            if int(sent) > last:
                break
            if prev_tok is not None:
                sep = "\n" if sent != prev_sent else (
                    "" if word in _NO_SPACE_BEFORE or prev_tok in _NO_SPACE_AFTER else " ")
                parts.append(sep)
                length += len(sep)
            spans[tok.get("t_id")] = (length, length + len(word))
            parts.append(word)
            length += len(word)
            prev_tok, prev_sent = word, sent
        text = "".join(parts)
        gold, ignore, dct = [], [], None
        for mk in root.find("Markables").iter("TIMEX3"):
            ids = [a.get("t_id") for a in mk.iter("token_anchor")]
            if mk.get("functionInDocument") == "CREATION_TIME":
                dct = mk.get("value")
            if not ids:
                continue  # an empty (implicit) timex has no span to find
            start, end = spans[ids[0]][0], spans[ids[-1]][1]
            item = {"start": start, "end": end, "type": mk.get("type"), "value": mk.get("value"),
                    "text": text[start:end]}
            (ignore if mk.get("functionInDocument") == "CREATION_TIME" else gold).append(item)
        docs.append({"id": Path(path).stem, "text": text, "dct": _meantime_dct(dct, ignore, text), "gold": gold,
                     "ignore": ignore})
    return docs


def _match(gold: list[dict], system: list[dict], strict: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, system index): same span, or overlapping (largest first)."""
    cands = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            if strict:
                if g["start"] == s["start"] and g["end"] == s["end"]:
                    cands.append((0, 0, gi, si))
            elif g["start"] < s["end"] and s["start"] < g["end"]:
                overlap = min(g["end"], s["end"]) - max(g["start"], s["start"])
                cands.append((-overlap, abs((g["end"] - g["start"]) - (s["end"] - s["start"])), gi, si))
    cands.sort()
    used_g, used_s, pairs = set(), set(), []
    for *_, gi, si in cands:
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            pairs.append((gi, si))
    return pairs


def _context(text: str, span: dict) -> str:
    return " ".join(text[max(0, span["start"] - 70):span["end"] + 40].split())


def _prf(tp_sys: int, n_sys: int, tp_gold: int, n_gold: int) -> dict:
    p = tp_sys / n_sys if n_sys else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def evaluate(docs: list[dict]) -> tuple[dict, list[dict], float, int]:
    c = Counter()
    errors = []
    elapsed = 0.0
    words = 0
    for doc in docs:
        runs = []
        for _ in range(3):  # the machine is shared: the fastest of three runs is the cost
            t0 = time.perf_counter()
            found = extract_timexes(doc["text"], doc["dct"])
            runs.append(time.perf_counter() - t0)
        elapsed += min(runs)
        words += len(doc["text"].split())
        system = [{"start": t.start, "end": t.end, "type": t.type, "value": t.value, "text": t.text,
                   "reason": t.reason} for t in found]
        system = [s for s in system
                  if not any(s["start"] < i["end"] and i["start"] < s["end"] for i in doc["ignore"])]
        gold = doc["gold"]
        c["gold"] += len(gold)
        c["system"] += len(system)
        c["strict_tp"] += len(_match(gold, system, strict=True))
        pairs = _match(gold, system, strict=False)
        c["relaxed_tp"] += len(pairs)
        matched = dict(pairs)
        for gi, g in enumerate(gold):
            is_date = g["type"] == "DATE"
            c["gold_date"] += is_date
            si = matched.get(gi)
            if si is None:
                errors.append({"doc": doc["id"], "kind": "miss", "gold": g, "dct": doc["dct"]})
                continue
            s = system[si]
            ok = s["value"] == g["value"]
            c["found"] += 1
            c["found_ok"] += ok
            c["type_ok"] += s["type"] == g["type"]
            if is_date:
                c["found_date"] += 1
                c["found_date_ok"] += ok
            if not ok:
                errors.append({"doc": doc["id"], "kind": "value", "gold": g, "system": s,
                               "dct": doc["dct"], "context": _context(doc["text"], g)})
        for si in set(range(len(system))) - {si for _, si in pairs}:
            errors.append({"doc": doc["id"], "kind": "false", "system": system[si], "dct": doc["dct"]})
    res = {
        "documents": len(docs), "gold": c["gold"], "system": c["system"], "gold_dates": c["gold_date"],
        "strict": _prf(c["strict_tp"], c["system"], c["strict_tp"], c["gold"]),
        "relaxed": _prf(c["relaxed_tp"], c["system"], c["relaxed_tp"], c["gold"]),
        "date_value_acc_found": round(c["found_date_ok"] / c["found_date"], 3) if c["found_date"] else 0.0,
        "date_value_acc_all": round(c["found_date_ok"] / c["gold_date"], 3) if c["gold_date"] else 0.0,
        "value_acc_found": round(c["found_ok"] / c["found"], 3) if c["found"] else 0.0,
        "value_acc_all": round(c["found_ok"] / c["gold"], 3) if c["gold"] else 0.0,
        "type_acc_found": round(c["type_ok"] / c["found"], 3) if c["found"] else 0.0,
    }
    return res, errors, elapsed, words


def _print_errors(errors: list[dict], limit: int, verbose: bool = False) -> None:
    for kind in ("value", "miss", "false"):
        rows = [e for e in errors if e["kind"] == kind]
        print(f"\n== {kind} ({len(rows)}) ==")
        for e in rows[:limit]:
            g, s = e.get("gold"), e.get("system")
            gs = f"gold {g['type']} {g['value']!s:14} {g['text']!r}" if g else ""
            ss = f"sys {s['type']} {s['value']!s:14} {s['text']!r}" if s else ""
            print(f"  [{e['dct']}] {gs:55} {ss}")
            if e.get("context") and verbose:
                print(f"        ... {e['context']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"),
                    help="folder holding tempeval3-platinum/ and meantime-en/")
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors of each kind")
    ap.add_argument("--context", action="store_true", help="show the text around value errors")
    ap.add_argument("--corpus", choices=["tempeval3", "meantime"], help="only this corpus")
    args = ap.parse_args(argv)
    data = Path(args.data)
    corpora = {"tempeval3": (data / "tempeval3-platinum" / "te3-platinum", load_tempeval),
               "meantime": (data / "meantime-en", load_meantime)}
    if args.corpus:
        corpora = {args.corpus: corpora[args.corpus]}
    present = {k: v for k, v in corpora.items() if v[0].is_dir()}
    if not present:
        print(f"timex_eval: no gold data under {data} (expected tempeval3-platinum/ and meantime-en/); "
              "nothing to score.")
        return 0
    results = {}
    all_errors = []
    print(f"{'corpus':10} {'docs':>4} {'gold':>5} {'sys':>5} | {'strict P/R/F1':>17} | "
          f"{'relaxed P/R/F1':>17} | {'DATE val found/all':>18} | {'all val found/all':>17} | ms/1k words")
    for name, (folder, loader) in present.items():
        docs = loader(folder)
        res, errors, elapsed, words = evaluate(docs)
        res["ms_per_1000_words"] = round(1000 * elapsed / max(words, 1) * 1000, 2)
        results[name] = res
        all_errors.extend(errors)
        s, r = res["strict"], res["relaxed"]
        print(f"{name:10} {res['documents']:>4} {res['gold']:>5} {res['system']:>5} | "
              f"{s['precision']:.2f}/{s['recall']:.2f}/{s['f1']:.2f}    | "
              f"{r['precision']:.2f}/{r['recall']:.2f}/{r['f1']:.2f}    | "
              f"{res['date_value_acc_found']:.3f} / {res['date_value_acc_all']:.3f}    | "
              f"{res['value_acc_found']:.3f} / {res['value_acc_all']:.3f}   | {res['ms_per_1000_words']}")
        if args.errors:
            print(f"--- {name} errors")
            _print_errors(errors, args.errors, args.context)
    out = ROOT / "bench" / "results"
    os.makedirs(out, exist_ok=True)
    (out / "timex.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / 'timex.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
