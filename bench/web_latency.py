"""Web latency on a synthetic knowledge base of 10,000 articles: p50/p95 of search and of the
entity page, through a real HTTP server (`newsgraph serve` in a child process).

The base is generated as rows written straight into a SQLite file through the store schema
(no NLP run: building 10,000 articles through spaCy would take most of an hour on this
machine). Articles are assembled from sentence templates about invented people, groups and
places; every row is consistent with its text (mention, trigger, figure and date offsets
point at the words, sentences are where the text says), entity popularity follows a Zipf law
(a few entities in thousands of articles, most in a handful), 1% of people are merged into
another entity (so pages read through COALESCE(canonical, id)), and figures fall into groups
across articles. The full-text index is then built by the product's own `refresh`.

    .venv/bin/python bench/web_latency.py                 # 10,000 articles, 400 requests per kind
    .venv/bin/python bench/web_latency.py --articles 2000 --requests 100

Timings are wall-clock per request, measured by a client in this process over keep-alive
HTTP/1.1, and the server's CPU per request from the Server-Timing header it sends (on a busy
shared machine wall-clock is mostly waiting for a core); the server is single-process uvicorn
as `newsgraph serve` runs it. First, the cost of refreshing the search index for 1, 10 and
100 new articles on the base (on a copy).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy import func, select

from newsgraph.store import schema as S
from newsgraph.store import search as fts
from newsgraph.store.db import insert_rows, open_engine

SYL = ["ka", "ru", "mi", "ta", "zar", "bek", "dil", "no", "sa", "lim", "ra", "khan", "to", "vi", "gul", "na", "sha", "mil",
       "ar", "sla", "um", "id", "fer", "zo", "al", "an", "dar", "ish", "ov", "ev", "in", "ay", "ur", "mat"]
WORDS = ["officials", "ministry", "border", "camp", "court", "prison", "family", "relatives", "lawyer", "hearing",
         "flight", "charges", "evidence", "video", "statement", "village", "district", "region", "police", "investigators",
         "returnees", "children", "women", "fighters", "recruitment", "funding", "network", "smuggling", "passport", "visa"]
COUNTED = ["women", "children", "fighters", "detainees", "families", "recruits", "citizens", "men", "returnees", "orphans"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
JOBS = ["taxi driver", "builder", "teacher", "student", "shop assistant", "mechanic", "cook", "nurse"]

# (template, event type or None, trigger word, claim?): slots {P} {P2} person, {O} {O2} org,
# {L} place, {D} date expression, {N} number, {C} what is counted, {A} age, {J} job, {W} word.
TEMPLATES = [
    ("{P}, {A}, was arrested by {O} in {L} on {D}.", "ARREST", "arrested"),
    ("A court in {L} sentenced {P} to {N} years in prison in {D}.", "SENTENCE", "sentenced"),
    ("According to {O}, {N} {C} from {L} remain in camps in the north-east.", None, None),
    ("{P} travelled to {L} in {D}, relatives told the {W} officer.", "TRAVEL", "travelled"),
    ("{P} met {P2} in {L} in {D}, investigators said.", "MEET", "met"),
    ("{O} said that {N} {C} had returned to {L} by {D}.", "RETURN", "returned"),
    ("The {W} in {L} was quiet, and the {W} gave no statement.", None, None),
    ("{P} said the accusations about the {W} were false.", None, None),
    ("{P2} and {P} were charged by {O} with financing {O2}.", "CHARGE", "charged"),
    ("Neighbours described {P} as a quiet man who worked as a {J} in {L}.", None, None),
    ("{P} joined {O2} in {D} after a {W} in {L}.", "JOIN", "joined"),
    ("{O} released {P} in {D} for lack of {W}.", "RELEASE", "released"),
]


def _id(prefix: str, *parts) -> str:
    return prefix + hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def _name(rng: random.Random, words: int) -> str:
    return " ".join("".join(rng.choice(SYL) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(words))


class Pool:
    """Entities of one type with Zipf popularity (weight 1/rank)."""

    def __init__(self, rng, type_, n, words):
        names = set()
        while len(names) < n:
            names.add(_name(rng, words))
        self.rows = [{"id": _id("e", type_, nm), "type": type_, "name": nm, "key": nm.lower()} for nm in sorted(names)]
        rng.shuffle(self.rows)
        self.cum = []
        total = 0.0
        for rank in range(1, n + 1):
            total += 1.0 / rank
            self.cum.append(total)
        for r in self.rows:
            if type_ == "PLACE":
                r.update(lat=rng.uniform(30, 55), lon=rng.uniform(30, 75), country=rng.choice(["RU", "KZ", "KG", "UZ", "TJ", "SY", "IQ", "TR"]),
                         geo_precision="city", geo_reason="synthetic place for the latency benchmark")

    def pick(self, rng):
        return rng.choices(self.rows, cum_weights=self.cum)[0]


def _date(rng) -> tuple[str, str]:
    y = rng.randint(2012, 2021)
    kind = rng.random()
    if kind < 0.4:
        return str(y), str(y)
    m = rng.randint(1, 12)
    if kind < 0.75:
        return f"{MONTHS[m - 1]} {y}", f"{y}-{m:02d}"
    d = rng.randint(1, 28)
    return f"{d} {MONTHS[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}"


def generate(db: str, articles: int, seed: int = 1) -> dict:
    """Write a synthetic knowledge base of `articles` documents to `db`; return row counts."""
    rng = random.Random(seed)
    people, orgs, places = Pool(rng, "PERSON", 20000, 2), Pool(rng, "ORG", 1500, 2), Pool(rng, "PLACE", 3000, 1)
    engine = open_engine(db)
    used: set[str] = set()
    stored: set[str] = set()
    blank = {c.name: None for c in S.entities.columns}
    counts = {"documents": 0, "mentions": 0, "events": 0, "claims": 0}
    batch = {t: [] for t in ("documents", "sentences", "mentions", "timexes", "events", "event_participants", "claims")}

    def flush():
        with engine.begin() as conn:
            # the entities this batch names first, as mentions refer to them
            new = [{**blank, **e} for pool in (people, orgs, places) for e in pool.rows if e["id"] in used and e["id"] not in stored]
            insert_rows(conn, S.entities, new)
            stored.update(e["id"] for e in new)
            for t in batch:
                insert_rows(conn, S.metadata.tables[t], batch[t])
                batch[t] = []

    for n in range(articles):
        doc = _id("d", "synthetic", seed, n)
        pieces, pos = [], 0
        sents, ments, tims, evs, parts, claims = [], [], [], [], [], []
        for si in range(rng.randint(14, 26)):
            tpl, etype, trig = rng.choice(TEMPLATES)
            slots = {"P": people.pick(rng), "P2": people.pick(rng), "O": orgs.pick(rng), "O2": orgs.pick(rng), "L": places.pick(rng)}
            date_text, date_value = _date(rng)
            number = rng.choice([12, 40, 150, 300, 850, 1100, 1500, 4000])
            counted = rng.choice(COUNTED)
            start = pos
            text, offs = "", {}
            i = 0
            while i < len(tpl):
                if tpl[i] == "{":
                    j = tpl.index("}", i)
                    slot = tpl[i + 1 : j]
                    value = {"D": date_text, "N": str(number), "C": counted, "A": str(rng.randint(19, 60)), "J": rng.choice(JOBS), "W": rng.choice(WORDS)}.get(slot)
                    if value is None:
                        value = slots[slot]["name"]
                    offs[slot] = (start + len(text), start + len(text) + len(value))
                    text += value
                    i = j + 1
                else:
                    text += tpl[i]
                    i += 1
            end = start + len(text)
            sents.append({"doc": doc, "idx": si, "start": start, "end": end})
            for slot, (s0, s1) in offs.items():
                if slot in slots:
                    e = slots[slot]
                    used.add(e["id"])
                    ments.append({"doc": doc, "start": s0, "end": s1, "entity": e["id"], "text": e["name"], "label": e["type"], "name": e["name"],
                                  "sentence_start": start, "sentence_end": end})
            if "D" in offs:
                tims.append({"doc": doc, "start": offs["D"][0], "end": offs["D"][1], "text": date_text, "type": "DATE", "value": date_value})
            if etype:
                t0 = start + text.index(trig)
                ev = _id("v", doc, t0)
                evs.append({"id": ev, "doc": doc, "type": etype, "trigger_start": t0, "trigger_end": t0 + len(trig), "trigger_text": trig,
                            "sentence_start": start, "sentence_end": end, "date_value": date_value if "D" in offs else None,
                            "date_text": date_text if "D" in offs else None, "place": slots["L"]["id"] if "L" in offs else None, "modality": "asserted"})
                for k, slot in enumerate(s for s in ("P", "P2", "O2") if s in offs):
                    parts.append({"event": ev, "idx": k, "role": "agent" if k else "patient", "entity": slots[slot]["id"], "text": slots[slot]["name"]})
            if "N" in offs and "C" in offs:
                c0, c1 = offs["N"]
                claims.append({"id": _id("c", doc, c0), "doc": doc, "start": c0, "end": c1, "text": str(number), "value": float(number),
                               "approximate": False, "what": f"{counted} from {slots['L']['name']}", "sentence_start": start, "sentence_end": end,
                               "source_entity": slots["O"]["id"], "source_text": slots["O"]["name"],
                               "as_of_value": date_value if "D" in offs else None, "as_of_text": date_text if "D" in offs else None,
                               "group_id": _id("g", counted, slots["L"]["id"])})
            pieces.append(text)
            pos = end + (2 if si % 3 == 2 else 1)
            pieces.append("\n\n" if si % 3 == 2 else " ")
        body = "".join(pieces).rstrip()
        published = None if rng.random() < 0.1 else f"{rng.randint(2012, 2021)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        title = f"{ments[0]['text']} and the {rng.choice(WORDS)} in {rng.choice(places.rows[:200])['name']}"
        batch["documents"].append({"id": doc, "source": f"synthetic/{n:05d}.txt", "title": title, "published": published,
                                   "published_basis": "metadata" if published else None, "language": "en", "text": body, "seq": n})
        for t, rows in (("sentences", sents), ("mentions", ments), ("timexes", tims), ("events", evs), ("event_participants", parts), ("claims", claims)):
            batch[t].extend(rows)
        counts["documents"] += 1
        counts["mentions"] += len(ments)
        counts["events"] += len(evs)
        counts["claims"] += len(claims)
        if len(batch["documents"]) >= 500:
            flush()
    flush()
    ents = [e for pool in (people, orgs, places) for e in pool.rows if e["id"] in used]
    with engine.begin() as conn:
        # 1% of people merged into another person with the same second name, with a reason.
        by_last: dict[str, list[dict]] = {}
        for e in people.rows:
            if e["id"] in used:
                by_last.setdefault(e["name"].split()[-1], []).append(e)
        merges = 0
        for group in by_last.values():
            for e in group[1:]:
                if rng.random() < 0.3 and merges < len(people.rows) // 100:
                    conn.execute(S.entities.update().where(S.entities.c.id == e["id"]).values(canonical=group[0]["id"], merge_reason="synthetic merge: same second name"))
                    merges += 1
        insert_rows(conn, S.entity_aliases, [{"entity": e["id"], "alias": e["name"].split()[-1], "reason": "surname of the full name"} for e in ents if e["type"] == "PERSON" and rng.random() < 0.1])
    counts.update(entities=len(ents), merged=merges)
    return counts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))
    return xs[k]


def _summary(times: list[float], cpu_s: float, cpu_ms: list[float]) -> dict:
    """Wall-clock p50/p95/max per request; the server's CPU per request from its Server-Timing
    header (p50/p95: what a request costs, whatever else the machine is running) and its mean
    from /proc (a check on the header: it includes the server's own HTTP handling)."""
    return {"n": len(times), "p50_ms": round(statistics.median(times), 1), "p95_ms": round(_percentile(times, 95), 1),
            "max_ms": round(max(times), 1), "server_cpu_p50_ms": round(statistics.median(cpu_ms), 1),
            "server_cpu_p95_ms": round(_percentile(cpu_ms, 95), 1), "server_cpu_mean_ms": round(cpu_s / len(times) * 1000, 1)}


def measure(db: str, requests: int, seed: int = 2) -> dict:
    """Serve `db` with `newsgraph serve` and time `requests` requests of each kind."""
    rng = random.Random(seed)
    engine = open_engine(db, create=False)
    with engine.connect() as conn:
        e, m = S.entities, S.mentions
        rows = conn.execute(select(e.c.id, e.c.name, e.c.type).where(e.c.canonical.is_(None))).fetchall()
        freq = dict(conn.execute(select(m.c.entity, func.count()).group_by(m.c.entity)).fetchall())
    engine.dispose()
    ents = [r for r in rows if freq.get(r.id)]
    weights = [freq[r.id] for r in ents]
    queries = []
    for _ in range(requests):
        k = rng.random()
        if k < 0.4:
            queries.append(rng.choices(ents, weights)[0].name)
        elif k < 0.6:
            queries.append(rng.choices(ents, weights)[0].name.split()[-1])
        elif k < 0.8:
            queries.append(rng.choice(WORDS))
        else:
            queries.append(f"{rng.choice(WORDS)} {rng.choice(COUNTED)}")
    uniform = [rng.choice(ents).id for _ in range(requests // 2)]
    popular = [rng.choices(ents, weights)[0].id for _ in range(requests - requests // 2)]
    port = _free_port()
    env = dict(os.environ, NEWSGRAPH_WRITE_TOKEN="")
    server = subprocess.Popen([sys.executable, "-m", "newsgraph", "serve", "--db", db, "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        conn = None
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", "/openapi.json")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("server did not start: " + server.stderr.read().decode()[-2000:])

        cpu_ms: list[float] = []

        def get(path: str) -> float:
            t0 = time.perf_counter()
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            dt = time.perf_counter() - t0
            if r.status != 200:
                raise SystemExit(f"{path}: HTTP {r.status}")
            cpu_ms.append(float(r.getheader("Server-Timing", "cpu;dur=nan").split("dur=")[1]))
            return dt * 1000

        for q in queries[:30]:  # warm-up: caches, first-use imports
            get("/search?" + urlencode({"q": q}))
            get(f"/entities/{quote(uniform[0])}")
        tick = os.sysconf("SC_CLK_TCK")

        def server_cpu() -> float:
            """CPU seconds the server process has used (user + system), from /proc."""
            fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick

        out = {}
        for name, paths in (
            ("search page", ["/search?" + urlencode({"q": q}) for q in queries]),
            ("search API", ["/api/search?" + urlencode({"q": q}) for q in queries]),
            ("entity page (uniform)", [f"/entities/{i}" for i in uniform]),
            ("entity page (by mentions)", [f"/entities/{i}" for i in popular]),
            ("entity API (uniform)", [f"/api/entities/{i}" for i in uniform]),
        ):
            cpu0 = server_cpu()
            cpu_ms.clear()
            times = [get(p) for p in paths]
            out[name] = _summary(times, server_cpu() - cpu0, cpu_ms)
        cpu0 = server_cpu()
        cpu_ms.clear()
        both = [get(f"/entities/{i}") for i in uniform + popular]
        out["entity page (all)"] = _summary(both, server_cpu() - cpu0, cpu_ms)
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def refresh_cost(db: str, counts=(1, 10, 100)) -> dict:
    """Seconds `refresh` takes to index n articles new to an indexed base (they are taken out
    of the index first, on a copy of the base), planner statistics included."""
    import shutil

    from sqlalchemy import text

    copy = db + ".refresh-check"
    shutil.copy(db, copy)
    engine = open_engine(copy, create=False)
    out = {}
    try:
        for n in counts:
            with engine.begin() as conn:
                docs = [r[0] for r in conn.execute(text("SELECT doc FROM search_docs ORDER BY doc DESC LIMIT :n"), {"n": n})]
                for d in docs:
                    conn.execute(text("DELETE FROM search_docs WHERE doc = :d"), {"d": d})
                    for kind in ("document", "event", "claim"):
                        conn.execute(text(f"DELETE FROM search_{kind} WHERE doc = :d"), {"d": d})
            t0 = time.perf_counter()
            assert fts.refresh(engine) == n
            out[f"{n} new"] = round(time.perf_counter() - t0, 3)
    finally:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(copy + suffix).unlink(missing_ok=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=400, help="requests per kind")
    ap.add_argument("--db", default="/tmp/newsgraph-web-latency.db", help="where the synthetic base is written (reused if it exists)")
    ap.add_argument("--rebuild", action="store_true", help="generate the base again even if it exists")
    args = ap.parse_args()
    db = Path(args.db)
    if args.rebuild or not db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        counts = generate(str(db), args.articles)
        gen_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        fts.refresh(open_engine(str(db), create=False))
        index_s = time.perf_counter() - t0
        print(json.dumps({"generated": counts, "generate_s": round(gen_s, 1), "index_s": round(index_s, 1)}))
    print(json.dumps({"refresh_s": refresh_cost(str(db))}))
    load0 = os.getloadavg()[0]
    results = measure(str(db), args.requests)
    load = {"before": round(load0, 2), "after": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}
    print(json.dumps({"articles": args.articles, "requests_per_kind": args.requests, "load_average_1min": load, "results": results}, indent=2))
    for what, key in (("wall-clock", "p95_ms"), ("server CPU", "server_cpu_p95_ms")):
        bad = [k for k in ("search page", "entity page (all)") if results[k][key] > 100]
        print(f"target p95 <= 100 ms, {what}: " + ("met" if not bad else "NOT met for " + ", ".join(bad)))


if __name__ == "__main__":
    main()
