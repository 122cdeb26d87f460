"""Cross-document entity coreference on MEANTIME-en, scored with B-cubed.

    .venv/bin/python bench/coref_eval.py [--data DIR] [--json OUT]

Data: `meantime-en/intra_cross-doc_annotation` under --data (default ../shared/data): 120
Wikinews articles in four topic folders whose entity mentions point (REFERS_TO) at entities
carrying corpus-wide `instance_id`s. Exits 0 with a message when the data is absent.

What is run: the real pipeline. Each article's text (rebuilt from its tokens by
bench/ner_eval.py's `read_doc`) becomes one line of a JSONL file; `newsgraph.build.build`
ingests, cleans, analyses, stores and resolves all 120 into one temporary SQLite base, so
articles of different topics can be (wrongly) merged too. A system mention's cluster is its
entity's canonical id, COALESCE(canonical, entity).

Gold: ENTITY_MENTION markables of PER, ORG and LOC entities that are names (ner_eval's rule:
syntactic type NAM / PRE.NAM, or untyped with every word capitalised), in the annotated body:
sentences 2 to 5 (MEANTIME annotates the first six sentences; 0 and 1 are the headline and the
date line, which newsgraph's cleaner takes out of the text as title and date, so they are not
analysed and not scored). Gold cluster: the entity's instance_id; an entity without one (no
cross-document annotation) is a cluster of its own document. Pronouns and nominals are not
scored: newsgraph links names, not "the company" or "he".

Alignment: the cleaned text is mapped back to the rebuilt text character by character
(difflib); a system mention and a gold mention align when their spans overlap, one to one, whatever their
types; a system mention ending where the gold one ends (the head of an English name phrase)
goes first, then the largest overlap.

B-cubed, two ways:
- `all` (headline): every gold name mention and every system mention in the annotated region.
  A gold mention no system mention aligns with counts as a system singleton (lowers recall); a
  system mention aligned with no gold name mention counts as a gold singleton (lowers
  precision), except one that overlaps a gold mention that is not a scored name (a nominal,
  a product) or a gold name of a type not scored, which is left out (Cai and Strube 2010 style,
  with the corpus's partial annotation respected).
- `aligned`: only the gold mentions a system mention aligns with; measures the clustering
  alone, without the mention detector's misses and false alarms.
Both are micro-averaged over mentions. `aligned_without_coref` scores the aligned set with each
mention's own entity (the store's folded-name key, before resolve/coref.py), to show what the
cross-document resolution adds.
"""

from __future__ import annotations

import argparse
import difflib
import glob
import json
import os
import sqlite3
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ner_eval import read_doc  # noqa: E402

from newsgraph.build import build  # noqa: E402

SCORED = ("PER", "ORG", "LOC")


def gold_mentions(path: str, text: str) -> list[dict]:
    """All ENTITY_MENTIONs of the file with offsets in `text`, their entity's type and cluster."""
    root = ET.parse(path).getroot()
    doc = Path(path).stem
    spans, pos = {}, 0
    for tok in root.iter("token"):
        t = tok.text or ""
        t = '"' if t in ("``", "''") else t
        at = text.find(t, pos)
        if at < 0:
            continue
        spans[tok.get("t_id")] = (at, at + len(t))
        pos = at + len(t)
    markables, relations = root.find("Markables"), root.find("Relations")
    ents = {e.get("m_id"): e for e in markables.iter("ENTITY")}
    target = {}
    for r in relations.iter("REFERS_TO") if relations is not None else []:
        t = r.find("target").get("m_id")
        for s in r.iter("source"):
            target[s.get("m_id")] = t
    out = []
    for m in markables.iter("ENTITY_MENTION"):
        ids = [a.get("t_id") for a in m.iter("token_anchor") if a.get("t_id") in spans]
        if not ids:
            continue
        ent = ents.get(target.get(m.get("m_id")))
        typ = ent.get("ent_type") if ent is not None else None
        cluster = (ent.get("instance_id") or f"{doc}:{ent.get('m_id')}") if ent is not None else f"{doc}:m{m.get('m_id')}"
        start, end = spans[ids[0]][0], spans[ids[-1]][1]
        syn = m.get("syntactic_type") or ""
        words = [w for w in text[start:end].split() if any(c.isalpha() for c in w)]
        named = syn in ("NAM", "PRE.NAM") or (not syn and words and all(w[0].isupper() for w in words)
                                               and words[0].lower() not in {"the", "we", "it", "they", "he", "she", "its"})
        out.append({"doc": doc, "start": start, "end": end, "type": typ, "cluster": cluster, "named": bool(named)})
    return out


def offset_map(original: str, cleaned: str) -> list[int | None]:
    """For each character of `cleaned`, its offset in `original` (None where it was inserted)."""
    out: list[int | None] = [None] * len(cleaned)
    sm = difflib.SequenceMatcher(None, original, cleaned, autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            out[b + k] = a + k
    return out


def bcubed(pairs: list[tuple[str, str]]) -> dict:
    """Micro B-cubed over mentions given as (gold cluster, system cluster)."""
    if not pairs:
        return {"p": 0.0, "r": 0.0, "f1": 0.0, "mentions": 0}
    gold, sys_ = defaultdict(list), defaultdict(list)
    for i, (g, s) in enumerate(pairs):
        gold[g].append(i)
        sys_[s].append(i)
    p = r = 0.0
    for g, s in pairs:
        both = sum(1 for j in sys_[s] if pairs[j][0] == g)
        p += both / len(sys_[s])
        r += both / len(gold[g])
    p, r = p / len(pairs), r / len(pairs)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "mentions": len(pairs)}


def align(gold: list[dict], system: list[dict]) -> dict[int, int]:
    """One-to-one overlap alignment, largest overlap first: gold index -> system index."""
    cands = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            ov = min(g["end"], s["end"]) - max(g["start"], s["start"])
            if ov > 0:
                # An English name phrase ends with its head ("the US automaker General Motors"):
                # a system mention ending where the gold one ends is preferred, then overlap.
                cands.append((s["end"] != g["end"], -ov, gi, si))
    out, used = {}, set()
    for _, _, gi, si in sorted(cands):
        if gi not in out and si not in used:
            out[gi] = si
            used.add(si)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--keep", metavar="DB", help="build the knowledge base here (a new file) and keep it")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print the N gold entities split most")
    args = ap.parse_args()
    base = Path(args.data) / "meantime-en" / "intra_cross-doc_annotation"
    files = sorted(glob.glob(str(base / "*" / "*.xml")))
    if not files:
        print(f"coref_eval: no MEANTIME files under {base}; nothing to score")
        return
    docs = {}
    for f in files:
        text, _, region_end = read_doc(f)
        body = text.find("\n\n", text.find("\n\n") + 2) + 2  # after the headline and the date line
        docs[Path(f).stem] = {"text": text, "region": (body, region_end), "gold": gold_mentions(f, text)}
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = os.path.join(tmp, "meantime.jsonl")
        with open(jsonl, "w", encoding="utf-8") as fh:
            for name, d in docs.items():
                fh.write(json.dumps({"text": d["text"], "url": f"https://meantime.invalid/{name}"}) + "\n")
        db = args.keep or os.path.join(tmp, "kb.db")
        if args.keep and os.path.exists(db):
            sys.exit(f"coref_eval: {db} exists; give a new file to --keep")
        t0 = time.perf_counter()
        build([jsonl], db, progress=False)
        build_s = time.perf_counter() - t0
        con = sqlite3.connect(db)
        texts = {url.rsplit("/", 1)[1]: (doc_id, text) for doc_id, url, text in con.execute("SELECT id, url, text FROM documents")}
        system = defaultdict(list)
        q = ('SELECT m.doc, m.start, m."end", COALESCE(e.canonical, e.id), e.id FROM mentions m '
             "JOIN entities e ON e.id = m.entity WHERE e.type IN ('PERSON', 'ORG', 'PLACE')")
        for doc_id, start, end, cluster, own in con.execute(q):
            system[doc_id].append((start, end, cluster, own))
        merges = con.execute("SELECT count(*) FROM entities WHERE canonical IS NOT NULL").fetchone()[0]
        con.close()
    all_pairs, aligned_pairs, singles = [], [], []
    missed = spurious = 0
    shown: dict[str, list] = defaultdict(list)
    for name, d in docs.items():
        doc_id, cleaned = texts[name]
        back = offset_map(d["text"], cleaned)
        sysm = []
        for start, end, cluster, own in system[doc_id]:
            pos = [p for p in back[start:end] if p is not None]
            if pos and d["region"][0] <= pos[0] < d["region"][1]:
                sysm.append({"start": pos[0], "end": pos[-1] + 1, "cluster": cluster, "own": own})
        scored = [g for g in d["gold"] if g["named"] and g["type"] in SCORED and d["region"][0] <= g["start"] < d["region"][1]]
        link = align(scored, sysm)
        for gi, g in enumerate(scored):
            if gi in link:
                s = sysm[link[gi]]
                all_pairs.append((g["cluster"], s["cluster"]))
                aligned_pairs.append((g["cluster"], s["cluster"]))
                shown[g["cluster"]].append((s["cluster"], d["text"][g["start"]:g["end"]]))
                singles.append((g["cluster"], s["own"]))
            else:
                missed += 1
                all_pairs.append((g["cluster"], f"missed:{name}:{gi}"))
        others = [g for g in d["gold"] if g not in scored]
        for si, s in enumerate(sysm):
            if si in link.values():
                continue
            if any(min(g["end"], s["end"]) > max(g["start"], s["start"]) for g in others):
                continue  # overlaps an annotated phrase that is not a scored name: left out
            spurious += 1
            all_pairs.append((f"spurious:{name}:{si}", s["cluster"]))
    result = {
        "documents": len(docs),
        "build_s": round(build_s, 1),
        "automatic_merges": merges,
        "all": bcubed(all_pairs),
        "aligned": bcubed(aligned_pairs),
        "aligned_without_coref": bcubed(singles),
        "gold_name_mentions_missed": missed,
        "system_mentions_spurious": spurious,
    }
    print(json.dumps(result, indent=2))
    splits = sorted(shown.items(), key=lambda kv: -len({c for c, _ in kv[1]}))
    for gold, items in splits[: args.errors]:
        by_sys = defaultdict(set)
        for c, t in items:
            by_sys[c].add(t)
        if len(by_sys) > 1:
            print(gold, "->", "; ".join(f"{c[:8]}: {sorted(ts)}" for c, ts in by_sys.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
