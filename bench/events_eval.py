"""Score `extract_events` on MUC-4 TST4 incidents and MEANTIME-en event mentions.

    .venv/bin/python bench/events_eval.py [--data DIR] [--errors N]

MUC-4 (TST4, the mixed-case texts, key-tst4.v2): every gold template with an incident type is
an incident. The message's dateline ("Lima, 20 Aug 88 (EFE) --") gives the publication date
and is cut from the analysed text, as are bracketed editor's notes ("[Text]"). An incident is
found *by type* when our output for that message has an event of a mapped type; *with date*
when that event's date is compatible with INCIDENT: DATE (see `date_ok`); *with location* when
a gold INCIDENT: LOCATION name (country, department, city ...) names the event's place or any
resolved place in the event's sentence (`loc_any`), or, stricter, when the key's most specific
name does (`loc_fine`). Type mapping (the key type -> our event types):
    ATTACK -> ATTACK, KILL       BOMBING -> ATTACK, KILL      ARSON -> ATTACK
    MURDER -> KILL, ATTACK       KIDNAPPING -> ATTACK (PLOVER files abduction under ASSAULT; our
    ARREST is custody by an authority, so a kidnapping is not an arrest)
    FORCED WORK STOPPAGE, ROBBERY: no event type of ours; left out (counted separately).
Templates marked (OPTIONAL) in the key are reported apart. Precision: the share of our
ATTACK/KILL events that lie in messages with a gold incident of a mapped type.

MEANTIME-en (intra-doc annotation, EVENT_MENTION): text rebuilt from the tokens; a gold mention
counts for one of our types when its lemma (the `pred` attribute, else spaCy's lemma of its
first token) is in MEANTIME_MAP below, a list written from the contract's trigger words and
their plain synonyms, independent of data/events.tsv. Only the annotated opening sentences
are scored. Trigger precision and recall by overlap, per type; "any-event precision" is the
share of our triggers on any gold event mention at all.

Figures go to stdout and bench/results/events.json. Exits 0 with a message when data is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.extract.entities import load_aliases  # noqa: E402
from newsgraph.extract.event_schema import load_event_schema  # noqa: E402
from newsgraph.extract.events import extract_events, extract_quotes  # noqa: E402
from newsgraph.extract.gazetteer import fold, load_gazetteer  # noqa: E402
from newsgraph.extract.nlp import load_nlp  # noqa: E402
from newsgraph.extract.pipeline import analyse_parsed  # noqa: E402
from newsgraph.model import Article  # noqa: E402

MUC_MAP = {
    "ATTACK": {"ATTACK", "KILL"}, "BOMBING": {"ATTACK", "KILL"}, "ARSON": {"ATTACK"},
    "MURDER": {"KILL", "ATTACK"}, "KIDNAPPING": {"ATTACK"},
}
MEANTIME_MAP = {
    "ARREST": "arrest detain detention jail imprison imprisonment capture apprehend",
    "CHARGE": "charge indict indictment prosecute trial",
    "SENTENCE": "sentence convict conviction",
    "RELEASE": "free pardon acquit acquittal",
    "RETURN": "repatriate repatriation deport deportation extradite extradition",
    "SURRENDER": "surrender",
    "JOIN": "join enlist recruit recruitment",
    "TRAVEL": "travel flee emigrate relocate journey trip",
    "KILL": "kill murder die death execute execution assassinate assassination massacre",
    "ATTACK": "attack bomb bombing explosion blast assault shoot shooting ambush kidnap hijack",
    "FUND": "fund funding finance financing bankroll sponsor",
    "MEET": "meet meeting talk talks summit",
    "ACCUSE": "accuse accusation blame allege allegation",
}
LEMMA_TYPE = {w: t for t, ws in MEANTIME_MAP.items() for w in ws.split()}
MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
_DATELINE = re.compile(r"^\s*(?P<place>[^\n]+?),\s+(?P<d>\d{1,2}) (?P<m>[A-Z][a-z]{2}) (?P<y>\d{2})\s+\((?P<src>[^)]*)\)\s*--", re.S)
_EDITORIAL = re.compile(r"\[[^\]\n]{0,120}(?:\n[^\]\n]{0,120}){0,2}\]")
_FIELD = re.compile(r"^(\d+)\.\s+(.+?)\s{2,}(.*)$")
_GOLD_DAY = re.compile(r"(\d{1,2}) ([A-Z]{3}) (\d{2})")
_LOC_TAG = re.compile(r"\((?:AREA|CANTON|CITY|COUNTY|DEPARTMENT|DISTRICT|JURISDICTION|MUNICIPALITY|NEIGHBORHOOD|"
                      r"OFFICIAL REGION|REGION|SECTOR|TOWN|PROVINCE|VILLAGE|STATE|RIVER|PORT)\)")


class Analyser:
    """Parse, entities, places, timexes (the pipeline's stages), then events, timed apart."""

    def __init__(self):
        self.nlp, self.aliases, self.schema = load_nlp(), load_aliases(), load_event_schema()
        self.t_base = self.t_events = 0.0

    def __call__(self, text: str, published: str | None):
        t0 = time.perf_counter()
        doc = self.nlp(text)
        ex = analyse_parsed(Article(id="b", source="b", text=text, published=published), doc, self.aliases)
        t1 = time.perf_counter()
        events = extract_events(doc, ex.entities, ex.timexes, self.schema)
        extract_quotes(doc, ex.entities)
        self.t_base += t1 - t0
        self.t_events += time.perf_counter() - t1
        return doc, ex, events


# --- MUC-4 ------------------------------------------------------------------------------------


def load_muc(folder: Path) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    raw = (folder / "tst4-muc4.mixed-case").read_text(encoding="latin-1")
    parts = re.split(r"^(TST4-MUC4-\d{4})\s*$", raw, flags=re.M)
    messages = {}
    for mid, body in zip(parts[1::2], parts[2::2]):
        m = _DATELINE.match(body)
        published, text = None, body
        if m:
            published = dt.date(1900 + int(m["y"]), MONTHS[m["m"].upper()], int(m["d"])).isoformat()
            text = body[m.end():]
        text = _EDITORIAL.sub(" ", text)
        paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
        messages[mid] = {"published": published, "text": "\n\n".join(p for p in paras if p)}
    keys: dict[str, list[dict]] = defaultdict(list)
    for block in re.split(r"\n\s*\n(?=0\.)", (folder / "key-tst4.v2").read_text(encoding="latin-1")):
        fields: dict[str, str] = {}
        last = None
        for line in block.splitlines():
            fm = _FIELD.match(line)
            if fm:
                last = fm.group(2).strip()
                fields[last] = fm.group(3).strip()
            elif last and line.strip():
                fields[last] += " " + line.strip()
        mid = fields.get("MESSAGE: ID")
        itype = fields.get("INCIDENT: TYPE", "*")
        if not mid or itype in ("*", "-", ""):
            continue
        keys[mid].append({"template": fields.get("MESSAGE: TEMPLATE", ""),
                          "optional": "OPTIONAL" in fields.get("MESSAGE: TEMPLATE", ""),
                          "types": {t.strip(" ?") for t in itype.split("/")},
                          "date": fields.get("INCIDENT: DATE", "-"),
                          "location": fields.get("INCIDENT: LOCATION", "-")})
    return messages, keys


def _day(d: str, mon: str, y: str) -> dt.date:
    return dt.date(1900 + int(y), MONTHS[mon], int(d))


def gold_dates(value: str) -> list[tuple[dt.date, dt.date, bool]]:
    """Alternatives as (first day, last day, on-or-before) intervals."""
    out = []
    for alt in value.split(" / "):
        alt = alt.strip().strip("()").strip()
        days = [_day(*g) for g in _GOLD_DAY.findall(alt)]
        if not days:
            continue
        if alt.startswith("-"):
            out.append((days[0] - dt.timedelta(days=30), days[0], True))
        elif len(days) == 2:
            out.append((days[0], days[1], False))
        else:
            out.append((days[0], days[0], False))
    return out


def our_interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The days an ISO value covers, month precision at the coarsest."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not m:
        return None
    y, mo = int(m[1]), int(m[2])
    if m[3]:
        d = dt.date(y, mo, int(m[3]))
        return d, d
    first = dt.date(y, mo, 1)
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def date_ok(ev, gold: str, published: str | None) -> bool:
    """Compatible: our days overlap a gold alternative; an undated event fits a key that only
    says "on or before" the dateline ("- 23 AUG 88" in a message dated 23 Aug 88)."""
    alts = gold_dates(gold)
    ours = our_interval(ev.date.value if ev.date else None)
    if ours is None:
        if ev.date is not None or not published:
            return False
        pub = dt.date.fromisoformat(published)
        return any(before and abs((hi - pub).days) <= 1 for _, hi, before in alts)
    return any(ours[0] <= hi and lo <= ours[1] for lo, hi, _ in alts)


def gold_locations(value: str) -> tuple[set[str], set[str]]:
    """All folded names in the key's location, and the most specific name of each alternative."""
    names, fine = set(), set()
    for alt in value.split(" / "):
        alt = _LOC_TAG.sub("", alt).replace("(", " ").replace(")", " ")
        levels = [fold(p.strip()) for p in alt.split(":") if p.strip() and p.strip() not in ("-", "*")]
        names.update(levels)
        if levels:
            fine.add(levels[-1])
    return names, fine


def place_names(entity, country_name) -> set[str]:
    p = entity.place
    names = {fold(entity.name), fold(p.name)} | {fold(m.text) for m in entity.mentions}
    if p.country:
        names.add(fold(country_name.get(p.country, "")))
    return names


def eval_muc(folder: Path, an: Analyser, errors: int) -> dict:
    messages, keys = load_muc(folder)
    gaz = load_gazetteer()
    country_name = {cc: gaz.places[i].name for cc, i in gaz.country_index.items()}
    per_msg = {}
    for mid, msg in messages.items():
        doc, ex, events = an(msg["text"], msg["published"])
        by_key = {e.key: e for e in ex.entities}
        sent_places = defaultdict(set)
        for e in ex.entities:
            if e.label == "PLACE" and e.place is not None:
                for m in e.mentions:
                    for s in ex.sentences:
                        if s[0] <= m.start < s[1]:
                            sent_places[s].add(e.key)
        per_msg[mid] = [(ev, {k for k in ({ev.place} | sent_places[ev.sentence]) if k}, by_key) for ev in events]
    counts = Counter()
    misses = []
    for mid, temps in keys.items():
        for g in temps:
            wanted = set().union(*(MUC_MAP.get(t, set()) for t in g["types"]))
            part = "optional" if g["optional"] else "required"
            if not wanted:
                counts["unmapped_type"] += 1
                continue
            counts[f"{part}_gold"] += 1
            names, fine = gold_locations(g["location"])
            typed = [(ev, ks, bk) for ev, ks, bk in per_msg.get(mid, []) if ev.type in wanted]
            flags = {"type": bool(typed)}
            flags["date"] = any(date_ok(ev, g["date"], messages[mid]["published"]) for ev, _, _ in typed)
            flags["loc_any"] = any(place_names(bk[k], country_name) & names for _, ks, bk in typed for k in ks)
            flags["type_date_loc_any"] = any(
                date_ok(ev, g["date"], messages[mid]["published"])
                and any(place_names(bk[k], country_name) & names for k in ks) for ev, ks, bk in typed)
            flags["type_date_loc_fine"] = any(
                date_ok(ev, g["date"], messages[mid]["published"])
                and any(place_names(bk[k], country_name) & fine for k in ks) for ev, ks, bk in typed)
            for f, v in flags.items():
                counts[f"{part}_{f}"] += v
            if not flags["type_date_loc_any"] and len(misses) < errors and part == "required":
                misses.append({"message": mid, "gold": g, "ours": [
                    (ev.type, ev.trigger_text, ev.date.value if ev.date else None,
                     [bk[k].name for k in ks]) for ev, ks, bk in typed][:4]})
    relevant = {mid for mid, ts in keys.items() if any(MUC_MAP.get(t) for g in ts for t in g["types"])}
    ours = [(mid, ev) for mid, evs in per_msg.items() for ev, _, _ in evs if ev.type in ("ATTACK", "KILL")]
    in_relevant = sum(mid in relevant for mid, _ in ours)
    res = {"messages": len(messages), "messages_with_incident": len(relevant),
           "unmapped_incidents": counts["unmapped_type"]}
    for part in ("required", "optional"):
        n = counts[f"{part}_gold"]
        res[part] = {"incidents": n, **{f: round(counts[f"{part}_{f}"] / n, 3) if n else None
                                        for f in ("type", "date", "loc_any", "type_date_loc_any", "type_date_loc_fine")}}
    res["attack_kill_events"] = len(ours)
    res["precision_in_incident_messages"] = round(in_relevant / len(ours), 3) if ours else None
    res["false_alarm_share"] = round(1 - in_relevant / len(ours), 3) if ours else None
    res["misses"] = misses
    return res


# --- MEANTIME ---------------------------------------------------------------------------------

_NO_SPACE_BEFORE = re.compile(r"^(?:[.,:;!?%)\]}’”]|'s|'S|n't|'re|'ve|'ll|'d|'m)$")
_NO_SPACE_AFTER = {"(", "[", "{", "$", "“", "‘"}


def load_meantime(folder: Path) -> list[dict]:
    docs = []
    for path in sorted(folder.glob("*/*.xml")):
        root = ET.parse(path).getroot()
        toks = [(t.get("t_id"), int(t.get("sentence")), t.text or "") for t in root.iter("token")]
        parts, offsets, prev_sent, prev_tok = [], {}, None, None
        pos = 0
        for tid, sent, word in toks:
            sep = ""
            if prev_sent is not None:
                if sent != prev_sent:
                    sep = "\n"
                elif not _NO_SPACE_BEFORE.match(word) and prev_tok not in _NO_SPACE_AFTER:
                    sep = " "
            parts.append(sep + word)
            pos += len(sep)
            offsets[tid] = (pos, pos + len(word), sent)
            pos += len(word)
            prev_sent, prev_tok = sent, word
        text = "".join(parts)
        marked_sents = [offsets[a.get("t_id")][2] for a in root.iter("token_anchor") if a.get("t_id") in offsets]
        last = max(marked_sents) if marked_sents else -1
        dct = next((tx.get("value") for tx in root.iter("TIMEX3") if tx.get("functionInDocument") == "CREATION_TIME"), None)
        gold = []
        for em in root.iter("EVENT_MENTION"):
            anchors = [offsets[a.get("t_id")] for a in em.iter("token_anchor") if a.get("t_id") in offsets]
            if anchors:
                gold.append({"start": anchors[0][0], "end": anchors[-1][1], "pred": (em.get("pred") or "").lower()})
        scored_end = max((e for s, e, sn in offsets.values() if sn <= last), default=0)
        docs.append({"name": path.stem, "text": text, "gold": gold, "dct": dct, "scored_end": scored_end})
    return docs


def eval_meantime(folder: Path, an: Analyser, errors: int) -> dict:
    docs = load_meantime(folder)
    tp_r, n_gold, tp_p, n_ours, any_hit = Counter(), Counter(), Counter(), Counter(), 0
    fps, fns = [], []
    for d in docs:
        published = d["dct"][:10] if d["dct"] and re.match(r"\d{4}-\d{2}-\d{2}", d["dct"]) else None
        doc, _, events = an(d["text"], published)
        for g in d["gold"]:
            lemma = g["pred"]
            if lemma not in LEMMA_TYPE:  # empty, or an inflected form ("attacks")
                span = doc.char_span(g["start"], g["end"], alignment_mode="expand")
                lemma = span[0].lemma_.lower() if span is not None and len(span) else lemma
            g["type"] = LEMMA_TYPE.get(lemma)
            g["lemma"] = lemma
        ours = [e for e in events if e.trigger_start < d["scored_end"]]
        for g in d["gold"]:
            if g["type"]:
                n_gold[g["type"]] += 1
                if any(e.type == g["type"] and e.trigger_start < g["end"] and g["start"] < e.trigger_end for e in ours):
                    tp_r[g["type"]] += 1
                elif len(fns) < errors:
                    fns.append((d["name"], g["lemma"], g["type"], d["text"][g["start"]:g["end"]]))
        for e in ours:
            n_ours[e.type] += 1
            over = [g for g in d["gold"] if e.trigger_start < g["end"] and g["start"] < e.trigger_end]
            any_hit += bool(over)
            if any(g["type"] == e.type for g in over):
                tp_p[e.type] += 1
            elif len(fps) < errors:
                fps.append((d["name"], e.type, e.trigger_text, [g["lemma"] for g in over]))
    per_type = {}
    for t in sorted(set(n_gold) | set(n_ours)):
        per_type[t] = {"gold": n_gold[t], "ours": n_ours[t],
                       "precision": round(tp_p[t] / n_ours[t], 3) if n_ours[t] else None,
                       "recall": round(tp_r[t] / n_gold[t], 3) if n_gold[t] else None}
    g, o = sum(n_gold.values()), sum(n_ours.values())
    return {"documents": len(docs), "gold_mapped_mentions": g, "our_triggers": o,
            "precision": round(sum(tp_p.values()) / o, 3) if o else None,
            "recall": round(sum(tp_r.values()) / g, 3) if g else None,
            "any_event_precision": round(any_hit / o, 3) if o else None,
            "per_type": per_type, "false_positives": fps, "misses": fns}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--errors", type=int, default=10, help="examples of misses to keep in the JSON")
    args = ap.parse_args()
    muc = args.data / "muc34-terrorism-news" / "nist-muc34" / "CORPORA" / "tst4"
    mt = args.data / "meantime-en" / "intra-doc_annotation"
    if not muc.is_dir() and not mt.is_dir():
        print(f"events_eval: no MUC-4 or MEANTIME data under {args.data}; nothing to measure (pass --data).")
        return 0
    an = Analyser()
    results: dict = {}
    if muc.is_dir():
        r = results["muc4_tst4"] = eval_muc(muc, an, args.errors)
        print(f"MUC-4 TST4: {r['messages']} messages, {r['messages_with_incident']} with a mapped incident, "
              f"{r['unmapped_incidents']} incidents of unmapped types left out")
        cols = ("incidents", "type", "date", "loc_any", "type_date_loc_any", "type_date_loc_fine")
        print(f"{'templates':<10}" + "".join(f"{c:>20}" for c in cols))
        for part in ("required", "optional"):
            print(f"{part:<10}" + "".join(f"{r[part][c]!s:>20}" for c in cols))
        print(f"ATTACK/KILL events: {r['attack_kill_events']}, in messages with a gold incident: "
              f"{r['precision_in_incident_messages']} (false alarms {r['false_alarm_share']})")
    if mt.is_dir():
        r = results["meantime"] = eval_meantime(mt, an, args.errors)
        print(f"\nMEANTIME-en: {r['documents']} docs, {r['gold_mapped_mentions']} gold mentions of mapped types, "
              f"{r['our_triggers']} of our triggers in annotated sentences")
        print(f"{'type':<10}{'gold':>6}{'ours':>6}{'P':>8}{'R':>8}")
        for t, v in r["per_type"].items():
            print(f"{t:<10}{v['gold']:>6}{v['ours']:>6}{v['precision']!s:>8}{v['recall']!s:>8}")
        print(f"{'all':<10}{r['gold_mapped_mentions']:>6}{r['our_triggers']:>6}{r['precision']!s:>8}{r['recall']!s:>8}"
              f"   any-event precision {r['any_event_precision']}")
    share = an.t_events / (an.t_base + an.t_events) if an.t_base else 0.0
    results["timing"] = {"analysis_s": round(an.t_base, 2), "events_and_quotes_s": round(an.t_events, 2),
                         "events_share_of_analysis": round(share, 3)}
    print(f"\ntime: parse+entities+places+timex {an.t_base:.1f} s, events+quotes {an.t_events:.2f} s "
          f"({share:.1%} of the analysis)")
    out = ROOT / "bench" / "results" / "events.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
