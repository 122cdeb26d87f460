"""End-to-end build speed as a ratio to the bare spaCy pipeline on the same texts, and peak
memory against corpus size.

    .venv/bin/python bench/speed.py [--data ../shared/data] [--sizes 200,1000]

Speed: the texts are the GeoWebNews and MEANTIME articles when ../shared/data is present,
else the demo corpus. Both sides get the same cleaned texts and the same already-loaded model;
the bare side is `list(nlp.pipe(texts))`, ours is `newsgraph build` (reading, cleaning, spaCy,
entities, places, dates, storing, duplicate detection) into a fresh SQLite file. Each side runs
twice, alternating, and the faster run of each counts. Ratio = bare time / build time (1.0 means
newsgraph is as fast as spaCy alone).

The events, figures and quotes stages are also timed alone on the parsed texts, as a share of
the build time (the issue allows them at most 20%).

Memory: `newsgraph build` of synthetic corpora of each size (bench/synth.py), each in its own
process; peak RSS per size. Flat means the peak does not grow with the corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def corpus_texts(data: Path) -> tuple[list[dict], str]:
    """Articles as JSONL records, and a description of where they came from."""
    recs = []
    gwn = data / "geowebnews" / "GWN.xml"
    if gwn.exists():
        for art in ET.parse(gwn).getroot().iter("article"):
            text = art.findtext("text") or ""
            if text.strip():
                recs.append({"text": text, "title": art.findtext("title")})
    mt = data / "meantime-en" / "intra-doc_annotation"
    if mt.exists():
        for f in sorted(mt.rglob("*.xml")):
            root = ET.parse(f).getroot()
            toks, last = [], None
            for t in root.iter("token"):
                sep = "\n" if last is not None and t.get("sentence") != last else " "
                toks.append((sep if toks else "") + (t.text or ""))
                last = t.get("sentence")
            recs.append({"text": re.sub(r" ([.,;:!?'])", r"\1", "".join(toks))})
    if recs:
        return recs, f"{len(recs)} GeoWebNews + MEANTIME articles from {data}"
    recs = []
    for p in sorted((ROOT / "examples" / "corpus").rglob("*.txt")):
        recs.append({"text": p.read_text(encoding="utf-8")})
    return recs, f"{len(recs)} demo corpus .txt articles (gold data not found at {data})"


def articles_file(recs: list[dict], folder: Path) -> tuple[Path, list[str]]:
    """`recs` written as one JSONL input for `newsgraph build`, and the cleaned texts the bare
    pipeline is timed on (the same texts the build analyses)."""
    from newsgraph.ingest import clean, iter_raw_documents

    src = folder / "articles.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return src, [clean(raw).text for raw in iter_raw_documents([str(src)]) if not isinstance(raw, Exception)]


def measure_speed(recs: list[dict], repeats: int = 2) -> dict:
    from newsgraph.build import build
    from newsgraph.extract.pipeline import Analyser

    analyser = Analyser.load()
    nlp = analyser.nlp
    with tempfile.TemporaryDirectory() as tmp:
        src, texts = articles_file(recs, Path(tmp))
        list(nlp.pipe(texts[:10]))  # warm up
        stages_s = _events_and_figures_seconds(analyser, texts)
        bare, ours = [], []
        for i in range(repeats):
            t = time.perf_counter()
            list(nlp.pipe(texts, batch_size=16))
            bare.append(time.perf_counter() - t)
            db = Path(tmp) / f"run{i}.db"
            t = time.perf_counter()
            build([str(src)], str(db), progress=False, analyser=analyser)
            ours.append(time.perf_counter() - t)
    chars = sum(map(len, texts))
    return {
        "articles": len(texts),
        "characters": chars,
        "model": analyser.model_name,
        "bare_spacy_s": round(min(bare), 2),
        "build_s": round(min(ours), 2),
        "bare_articles_per_s": round(len(texts) / min(bare), 1),
        "build_articles_per_s": round(len(texts) / min(ours), 1),
        "ratio": round(min(bare) / min(ours), 3),
        "events_figures_quotes_s": round(stages_s, 2),
        "events_figures_quotes_share_of_build": round(stages_s / min(ours), 3),
    }


def _events_and_figures_seconds(analyser, texts: list[str]) -> float:
    """Time spent in the events, figures and quotes stages alone, on already parsed texts."""
    from newsgraph.extract.entities import extract_entities
    from newsgraph.extract.events import extract_events
    from newsgraph.extract.figures import extract_claims
    from newsgraph.extract.pipeline import gazetteer_hint
    from newsgraph.extract.quotes import extract_quotes
    from newsgraph.extract.timex import extract_timexes

    parsed = []
    for doc in analyser.nlp.pipe(texts, batch_size=16):
        ents = extract_entities(doc, analyser.aliases, place_hint=gazetteer_hint)
        parsed.append((doc, ents, extract_timexes(doc.text, None)))
    t = time.perf_counter()
    for doc, ents, tx in parsed:
        extract_events(doc, ents, tx, analyser.events)
        extract_claims(doc, ents, tx)
        extract_quotes(doc, ents)
    return time.perf_counter() - t


def peak_memory(n: int) -> dict:
    """Peak RSS of a `newsgraph build` of `n` synthetic articles, in its own process.

    The gazetteer's index cache is made first, here, so that no measured run pays for (and
    keeps the heap of) a one-off index build.
    """
    from synth import write_jsonl

    from newsgraph.extract.gazetteer import load_gazetteer

    load_gazetteer()

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "synth.jsonl"
        write_jsonl(str(src), n)
        code = (
            "import resource, sys, time\n"
            "from newsgraph.build import build\n"
            "t = time.perf_counter()\n"
            f"r = build([{str(src)!r}], {str(Path(tmp) / 'kb.db')!r}, progress=False)\n"
            "print(r.stored, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return {"articles": int(out[0]), "seconds": round(float(out[1]), 1), "peak_rss_mb": round(int(out[2]) / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--sizes", default="200,1000", help="synthetic corpus sizes for the memory check")
    ap.add_argument("--skip-memory", action="store_true")
    args = ap.parse_args()
    recs, where = corpus_texts(Path(args.data))
    print(f"speed on {where}", flush=True)
    speed = measure_speed(recs)
    print(json.dumps(speed, indent=2))
    results = {"speed": speed, "speed_corpus": where, "memory": []}
    if not args.skip_memory:
        for n in (int(s) for s in args.sizes.split(",")):
            m = peak_memory(n)
            print(f"memory: {m}", flush=True)
            results["memory"].append(m)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "speed.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
