"""Place resolution against GeoWebNews gold toponyms (Gritta et al. 2019).

Rerun: .venv/bin/python bench/geo_eval.py [--data ../shared/data] [--spacy] [--errors N]

For every article, the gold toponyms that carry coordinates are resolved together with
`resolve_places` (all of the article's gold place names, the article text as context); a name
left unresolved that the text writes with the place it lies in ("Cape Peron in Rockingham")
then takes that place's point, as `newsgraph build` does (`toponyms.container_at`).
Reported: share resolved, accuracy within 161 km (unresolved counts as wrong), country
accuracy (see `GoldCountry`: the gold country is that of the gold GeoNames id when the
gazetteer has it; none for a sea, continent or region spanning countries; else that of the
nearest gazetteer town. A gold place with no country is right when we give none too;
unresolved counts as wrong), exact GeoNames id match, median error, time per article.
With --spacy the same is done for the gold spans that spaCy's NER also finds (GPE/LOC/FAC,
same offsets), using the NER names as the document's names.
Writes bench/results/geo.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

from newsgraph.extract.gazetteer import distance_km, fold, load_gazetteer
from newsgraph.extract.places import resolve_places
from newsgraph.extract.toponyms import container_at

REPO = Path(__file__).resolve().parent.parent


def read_gwn(path: Path) -> list[dict]:
    """Articles with their gold toponyms that have coordinates."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        tops = []
        for t in art.iter("toponym"):
            lat, lon = t.findtext("latitude"), t.findtext("longitude")
            if not lat or not lon:
                continue
            gid = t.findtext("geonamesID")
            tops.append({
                "name": t.findtext("extractedName"),
                "type": t.findtext("type"),
                "start": int(t.findtext("start")),
                "end": int(t.findtext("end")),
                "lat": float(lat),
                "lon": float(lon),
                "geonameid": int(gid) if gid and gid.strip().isdigit() and int(gid) > 0 else None,
            })
        docs.append({"file": art.get("file"), "text": text, "toponyms": tops})
    return docs


class NearestCountry:
    """Country of the gazetteer entry nearest to a point (1-degree grid buckets)."""

    def __init__(self, gaz) -> None:
        self.gaz = gaz
        self.grid: dict[tuple[int, int], list] = defaultdict(list)
        for p in gaz.places:
            if p.kind == "city":
                self.grid[(int(p.lat // 1), int(p.lon // 1))].append(p)

    def __call__(self, lat: float, lon: float, geonameid: int | None) -> str | None:
        if geonameid is not None and geonameid in self.gaz.by_geonameid:
            return self.gaz.places[self.gaz.by_geonameid[geonameid]].country
        gi, gj = int(lat // 1), int(lon // 1)
        for r in (1, 2, 4):
            pts = [p for di in range(-r, r + 1) for dj in range(-r, r + 1) for p in self.grid.get((gi + di, gj + dj), ())]
            if pts:
                return min(pts, key=lambda p: distance_km(lat, lon, p.lat, p.lon)).country
        return None


class GoldCountry:
    """The country of a gold toponym, or None for one that has none.

    GeoWebNews links seas, continents and regions spanning countries ("Middle East", "North
    Africa", "Atlantic") to GeoNames entries our gazetteer does not hold; the nearest town to
    their GeoNames point (Cape Verde for the Atlantic, Syria for the Middle East) is no gold
    country. Decided from the gold alone, never from our answer: a gold id the gazetteer holds
    gives that entry's country (None for a continent); otherwise, when the gold name, as
    written (or after a leading direction word, when the whole name names nothing with a
    country: "Northern Europe"), is a name of one of the gazetteer's country-less areas whose
    point lies within `AREA_KM` of the gold point, the gold has no country; otherwise the
    nearest town's.
    """

    DIRECTIONS = frozenset("north south east west northern southern eastern western central".split())
    AREA_KM = 2500.0  # the areas are continents, oceans and macro-regions: their points differ widely

    def __init__(self, gaz) -> None:
        self.gaz = gaz
        self.nearest = NearestCountry(gaz)

    def __call__(self, gold: dict) -> str | None:
        gid = gold["geonameid"]
        if gid is not None and gid in self.gaz.by_geonameid:
            return self.gaz.places[self.gaz.by_geonameid[gid]].country
        key = fold(gold["name"])
        primary, alternate = self.gaz.candidates(key)
        first, _, rest = key.partition(" ")
        if first in self.DIRECTIONS and not any(self.gaz.places[i].country for i in primary + alternate):
            primary += sum(self.gaz.candidates(rest), ())  # "Northern Europe", not "South Africa"
        for i in primary + alternate:
            p = self.gaz.places[i]
            if p.country is None and distance_km(p.lat, p.lon, gold["lat"], gold["lon"]) <= self.AREA_KM:
                return None
        return self.nearest(gold["lat"], gold["lon"], gid)


def _by_container(text: str, pairs: list[tuple], result: dict) -> None:
    """As the build does (`place_by_container`): a name left unresolved that the text writes
    with the place it lies in ("Cape Peron in Rockingham") takes that place's point; in place."""
    spans = {start: (end, name) for name, _, start, end in pairs}

    def place_of(name):
        r = result.get(name)
        return None if r is None or isinstance(r, str) else r

    for name, _, start, end in pairs:
        if place_of(name) is None:
            found = container_at(text, start, end, spans, place_of)
            if found is not None:
                result[name] = found[0]


def evaluate(docs: list[dict], spans_by_doc: dict[str, list[tuple[str, dict | None, int, int]]], country_of) -> dict:
    """Score per-document resolution; spans_by_doc: file -> [(name to resolve, gold toponym or
    None for a context name, start, end)]."""
    n = resolved = within = country_ok = country_n = gid_n = gid_ok = 0
    errors, times, misses = [], [], []
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc in docs:
        pairs = spans_by_doc.get(doc["file"], [])
        if not pairs:
            continue
        names = [p[0] for p in pairs]
        t0 = time.perf_counter()
        result = resolve_places(names, context_text=doc["text"])
        _by_container(doc["text"], pairs, result)
        times.append(time.perf_counter() - t0)
        for name, gold, _, _ in pairs:
            if gold is None:
                continue
            n += 1
            r = result.get(name)
            gold_cc = country_of(gold)
            if gold["geonameid"] is not None:
                gid_n += 1
            by_type[gold["type"]][1] += 1
            if r is None or isinstance(r, str):
                country_n += 1
                misses.append((doc["file"], name, gold["type"], gold_cc, r, None))
                continue
            resolved += 1
            km = distance_km(r.lat, r.lon, gold["lat"], gold["lon"])
            errors.append(km)
            if km <= 161:
                within += 1
                by_type[gold["type"]][0] += 1
            else:
                misses.append((doc["file"], name, gold["type"], gold_cc, f"{r.name} {r.country} {r.precision}: {r.reason}", round(km)))
            country_n += 1
            country_ok += r.country == gold_cc  # None == None: a sea or continent given no country
            if gold["geonameid"] is not None and r.geonameid == gold["geonameid"]:
                gid_ok += 1
    times.sort()
    return {
        "toponyms": n,
        "resolved": round(resolved / n, 4) if n else 0,
        "acc@161km": round(within / n, 4) if n else 0,
        "country_acc": round(country_ok / country_n, 4) if country_n else 0,
        "geonameid_match": round(gid_ok / gid_n, 4) if gid_n else 0,
        "median_error_km": round(statistics.median(errors), 1) if errors else None,
        "ms_per_article_mean": round(1000 * sum(times) / len(times), 3) if times else None,
        "ms_per_article_p95": round(1000 * times[int(0.95 * (len(times) - 1))], 3) if times else None,
        "acc@161km_by_type": {k: round(v[0] / v[1], 3) for k, v in sorted(by_type.items())},
        "_misses": misses,
    }


def spacy_spans(docs: list[dict], model: str | None) -> tuple[dict, float]:
    """Gold toponyms whose exact span spaCy tags GPE/LOC/FAC, with all NER place names as names."""
    from newsgraph.extract.nlp import load_nlp

    nlp = load_nlp(model)
    out, gold_n, found = {}, 0, 0
    for doc, parsed in zip(docs, nlp.pipe((d["text"] for d in docs), batch_size=8)):
        ents = {(e.start_char, e.end_char): e.text for e in parsed.ents if e.label_ in ("GPE", "LOC", "FAC")}
        gold_n += len(doc["toponyms"])
        pairs = [(ents[(t["start"], t["end"])], t if t["geonameid"] is not None else None, t["start"], t["end"])
                 for t in doc["toponyms"] if (t["start"], t["end"]) in ents]
        gold_n -= sum(1 for t in doc["toponyms"] if t["geonameid"] is None)
        found += sum(1 for p in pairs if p[1] is not None)
        gold_spans = {(t["start"], t["end"]) for t in doc["toponyms"]}
        extra = [(name, None, *span) for span, name in ents.items() if span not in gold_spans]
        out[doc["file"]] = pairs + extra  # extras are context names, not scored
    return out, (found / gold_n if gold_n else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--spacy", action="store_true", help="also evaluate on spaCy NER place spans (slower)")
    ap.add_argument("--model", default=None, help="spaCy model for --spacy (default: the project default)")
    ap.add_argument("--errors", type=int, default=0, help="print N misses for error analysis")
    args = ap.parse_args(argv)
    gwn = args.data / "geowebnews" / "GWN.xml"
    if not gwn.exists():
        print(f"geo_eval: no GeoWebNews data at {gwn}; nothing to measure (pass --data).")
        return 0

    t0 = time.perf_counter()
    gaz = load_gazetteer()
    load_s = time.perf_counter() - t0
    docs = read_gwn(gwn)
    country_of = GoldCountry(gaz)

    results = {"gazetteer_load_s": round(load_s, 2), "places": len(gaz.places)}
    gold_pairs = {d["file"]: [(t["name"], t, t["start"], t["end"]) for t in d["toponyms"]] for d in docs}
    results["all_coords"] = evaluate(docs, gold_pairs, country_of)
    # the gazetteer-scale set: toponyms the annotators linked to a GeoNames entry (streets,
    # buildings and other sub-city places carry coordinates only); the rest stay as context
    gid_pairs = {f: [(n, t if t["geonameid"] is not None else None, a, b) for n, t, a, b in ps]
                 for f, ps in gold_pairs.items()}
    results["gold_spans"] = evaluate(docs, gid_pairs, country_of)
    if args.spacy:
        spans, coverage = spacy_spans(docs, args.model)
        results["spacy_spans"] = evaluate(docs, spans, country_of)
        results["spacy_spans"]["ner_coverage_of_gold"] = round(coverage, 4)

    misses = {k: v.pop("_misses") for k, v in results.items() if isinstance(v, dict) and "_misses" in v}
    print(f"gazetteer: {results['places']:,} places, loaded in {results['gazetteer_load_s']} s")
    cols = ["toponyms", "resolved", "acc@161km", "country_acc", "geonameid_match", "median_error_km", "ms_per_article_mean"]
    print(f"{'spans':<12}" + "".join(f"{c:>20}" for c in cols))
    for label in ("gold_spans", "all_coords", "spacy_spans"):
        if label in results:
            print(f"{label:<12}" + "".join(f"{results[label][c]!s:>20}" for c in cols))
    if "spacy_spans" in results:
        print(f"spaCy NER ({args.model or 'default model'}) finds {results['spacy_spans']['ner_coverage_of_gold']:.1%} "
              "of the gold GeoNames-linked spans (same offsets, GPE/LOC/FAC)")
    print("acc@161km by gold type:", json.dumps(results["gold_spans"]["acc@161km_by_type"]))
    if args.errors:
        kinds = Counter((m[4] or "")[:40] for m in misses["gold_spans"] if m[5] is None)
        print("unresolved reasons:", kinds.most_common(5))
        for m in misses["gold_spans"][: args.errors]:
            print("  ", m)
    out = REPO / "bench" / "results" / "geo.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    (out.parent / "geo_misses.json").write_text(json.dumps(misses, indent=0, ensure_ascii=False) + "\n")
    print(f"wrote {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
