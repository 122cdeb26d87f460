"""Scale figures: build throughput as a ratio to bare spaCy with the same number of processes,
the `--jobs 2` speed-up, and peak memory of the whole process tree against corpus size.

    .venv/bin/python bench/scale.py                                   # the full run (docs/scale.md)
    .venv/bin/python bench/scale.py --texts 40 --repeats 1 --sizes 100,200   # a smoke run, < 2 min quiet

Throughput, all sides on the same cleaned texts, alternating within each repeat, fastest run of
each side counts:
  - bare 1: `nlp.pipe(texts)`; bare 2: `nlp.pipe(texts, n_process=2)` (spaCy's own multiprocessing);
  - jobs 1 / jobs 2: `newsgraph build` (read, clean, analyse, store, resolve) into a fresh SQLite
    file, with the process pool for 2. Its workers, like spaCy's for bare 2, are forked from this
    process, which holds the loaded model: neither side loads a model inside the timing;
  - ray 2: `build --engine ray --jobs 2` against a local Ray instance started before the timing
    (as a cluster is already up), so actor start-up and model loading are inside it. It runs in a
    child process so that the parent, which forks for the other sides, never holds Ray's threads.
Ratios: bare 1 / jobs 1, bare 2 / jobs 2, bare 2 / ray 2 (time ratios; 1.0 = as fast as spaCy
alone); speed-up = jobs 1 time / jobs 2 time.

`--cold` times each side instead as a fresh command, as a user runs it, start-up included on every
side: bare N is `python -c` that imports spaCy, loads the model, cleans the input and runs
`nlp.pipe` (n_process=N); jobs N is `python -m newsgraph build INPUT --jobs N`; ray 2 is the same
with `--engine ray`, which starts its own local Ray instance. Each side also runs on the first
article alone, its start-up; (n - 1) / (time - start-up) is its rate after start-up, and the
ratios of those rates are the throughput a long corpus would see.

`--source muc` takes the 1,700 MUC-3/4 news-wire articles (DEV and TST1-4, upper case, 1989-1990)
instead: a corpus five times larger, over which fixed start-up costs weigh less.

Memory: `newsgraph build --jobs J` of synthetic corpora (bench/synth.py) in a child process; the
RSS (and PSS, which counts shared pages once) of it and all its descendants is sampled every
0.2 s; the peak is reported per size. Flat means it does not grow with the corpus.

The last line printed is a JSON summary with the command that produced it.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def load_records(source: str, n: int, data: Path) -> tuple[list[dict], str]:
    """`n` article records (JSONL fields) from the gold corpora, MUC-3/4, or synthetic ones."""
    if source == "gold":
        from speed import corpus_texts

        recs, where = corpus_texts(data)
        recs = recs[:n]
        return recs, f"{len(recs)} of {where}"
    if source == "muc":
        from newsgraph.errors import InputError
        from newsgraph.ingest import clean, iter_raw_documents

        base = data / "muc34-terrorism-news" / "dstl-xhtml"
        folders = [str(base / d) for d in ("dev", "tst1", "tst2", "tst3", "tst4") if (base / d).is_dir()]
        if not folders:
            raise SystemExit(f"--source muc: no MUC-3/4 XHTML folders under {base}")
        recs = []
        for item in iter_raw_documents(folders):
            if isinstance(item, InputError):
                continue
            try:
                a = clean(item)
            except InputError:
                continue
            recs.append({"text": a.text, "published": a.published})
            if len(recs) >= n:
                break
        return recs, f"{len(recs)} MUC-3/4 articles (DEV, TST1-4) from {base}"
    from synth import articles

    return list(articles(n, seed=11)), f"{n} synthetic articles (bench/synth.py, seed 11)"


def _ray_child_code(src: str, db: str, workers: int) -> str:
    # First a build of the first article alone: what a Ray build costs before its first article
    # (actors start, import, load the model and gazetteer), reported as `ray2_startup_s`.
    tiny, tiny_db = src + ".first", db + ".first"
    return (
        f"open({tiny!r}, 'w').write(open({src!r}).readline())\n"
        "import json, logging, os, time\n"
        "os.environ.setdefault('RAY_USAGE_STATS_ENABLED', '0')\n"
        "import ray\n"
        f"ray.init(num_cpus={workers + 1}, include_dashboard=False, logging_level=logging.ERROR,"
        " object_store_memory=512 * 1024 * 1024)\n"
        "from newsgraph.build import build\n"
        "t = time.perf_counter()\n"
        f"build([{tiny!r}], {tiny_db!r}, engine='ray', jobs={workers}, progress=False)\n"
        "startup = time.perf_counter() - t\n"
        "t = time.perf_counter()\n"
        f"r = build([{src!r}], {db!r}, engine='ray', jobs={workers}, progress=False)\n"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'startup': startup, 'stored': r.stored}))\n"
    )


def _ratios(best: dict[str, float], n: int) -> dict:
    """Times, rates and the ratios the issue asks for, from each side's best time over `n` texts."""
    out = {
        "articles": n,
        "seconds": {k: round(v, 2) for k, v in best.items()},
        "articles_per_s": {k: round(n / v, 1) for k, v in best.items()},
        "ratio_jobs1": round(best["bare1"] / best["jobs1"], 3),
        "ratio_jobs2": round(best["bare2"] / best["jobs2"], 3),
        "speedup_jobs2_over_jobs1": round(best["jobs1"] / best["jobs2"], 3),
        "bare_speedup_2_over_1": round(best["bare1"] / best["bare2"], 3),
    }
    if "ray2" in best:
        out["ratio_ray2"] = round(best["bare2"] / best["ray2"], 3)
    return out


def measure_throughput(recs: list[dict], repeats: int, with_ray: bool) -> dict:
    from newsgraph.build import build
    from newsgraph.extract.pipeline import Analyser
    from speed import articles_file

    analyser = Analyser.load()
    nlp = analyser.nlp
    times: dict[str, list[float]] = {k: [] for k in ("bare1", "jobs1", "bare2", "jobs2", "ray2", "ray2_startup")}
    with tempfile.TemporaryDirectory() as tmp:
        src, texts = articles_file(recs, Path(tmp))
        list(nlp.pipe(texts[:10]))  # warm up

        def timed(key: str, fn) -> None:
            t = time.perf_counter()
            fn()
            times[key].append(time.perf_counter() - t)
            print(f"  {key}: {times[key][-1]:.1f} s", file=sys.stderr, flush=True)

        for i in range(repeats):
            timed("bare1", lambda: list(nlp.pipe(texts, batch_size=16)))
            timed("jobs1", lambda: build([str(src)], str(Path(tmp) / f"j1-{i}.db"), progress=False, analyser=analyser))
            timed("bare2", lambda: list(nlp.pipe(texts, batch_size=16, n_process=2)))
            timed("jobs2", lambda: build([str(src)], str(Path(tmp) / f"j2-{i}.db"), jobs=2, progress=False))
            if with_ray:
                code = _ray_child_code(str(src), str(Path(tmp) / f"r2-{i}.db"), 2)
                out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
                got = json.loads(out.strip().splitlines()[-1])
                times["ray2"].append(got["seconds"])
                times["ray2_startup"].append(got["startup"])
                print(f"  ray2: {got['seconds']:.1f} s (a one-article build: {got['startup']:.1f} s)", file=sys.stderr, flush=True)
    best = {k: min(v) for k, v in times.items() if v}
    n = len(texts)
    result = {"model": analyser.model_name, **_ratios(best, n)}
    if "ray2" in best:
        # Start-up is paid once per build, so over a large corpus the rate after it is what counts.
        after = best["ray2"] - best["ray2_startup"]
        if after > 0:
            result["ray2_articles_per_s_after_startup"] = round((n - 1) / after, 1)
    return result


_BARE_COLD = (
    "import sys\n"
    "from newsgraph.extract.nlp import load_nlp\n"
    "from newsgraph.ingest import clean, iter_raw_documents\n"
    "texts = [clean(r).text for r in iter_raw_documents([sys.argv[1]])]\n"
    "nlp, n = load_nlp(None), int(sys.argv[2])\n"
    "list(nlp.pipe(texts, batch_size=16, n_process=n) if n > 1 else nlp.pipe(texts, batch_size=16))\n"
)


def measure_cold(recs: list[dict], repeats: int, with_ray: bool) -> dict:
    """Each side as a fresh command, start-up included (module docstring, `--cold`).

    Each side is also run on the first article alone: that time is the side's start-up (imports,
    model, for Ray starting Ray and its actors), and (n - 1) / (time - start-up) its rate after
    it, the throughput a long corpus would see. Both kinds of ratio are reported."""
    from speed import articles_file

    py = sys.executable
    times: dict[str, list[float]] = {}
    starts: dict[str, list[float]] = {}
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        src, texts = articles_file(recs, Path(tmp))
        one = Path(tmp) / "one.jsonl"
        one.write_text(src.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")

        def sides(path: Path, tag: str) -> list[tuple[str, list[str]]]:
            def build(key: str, *opts: str) -> list[str]:  # into a fresh base each time
                return [py, "-m", "newsgraph", "build", str(path), "--db", str(Path(tmp) / f"{key}-{tag}.db"), "--quiet", *opts]

            out = [("bare1", [py, "-c", _BARE_COLD, str(path), "1"]), ("jobs1", build("jobs1", "--jobs", "1")),
                   ("bare2", [py, "-c", _BARE_COLD, str(path), "2"]), ("jobs2", build("jobs2", "--jobs", "2"))]
            if with_ray:
                out.append(("ray2", build("ray2", "--jobs", "2", "--engine", "ray")))
            return out

        def timed(cmd: list[str]) -> float:
            t = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            return time.perf_counter() - t

        for i in range(repeats):
            for (key, cmd), (_, cmd_one) in zip(sides(src, f"all{i}"), sides(one, f"one{i}")):
                times.setdefault(key, []).append(timed(cmd))
                starts.setdefault(key, []).append(timed(cmd_one))
                print(f"  {key} (cold): {times[key][-1]:.1f} s; one article: {starts[key][-1]:.1f} s", file=sys.stderr, flush=True)
    best = {k: min(v) for k, v in times.items()}
    start = {k: min(v) for k, v in starts.items()}
    n = len(texts)
    rate = {k: (n - 1) / (best[k] - start[k]) for k in best if best[k] > start[k]}
    result = {
        **_ratios(best, n),
        "startup_seconds": {k: round(v, 2) for k, v in start.items()},
        "articles_per_s_after_startup": {k: round(v, 1) for k, v in rate.items()},
    }
    for side, bare in (("jobs1", "bare1"), ("jobs2", "bare2"), ("ray2", "bare2")):
        if side in rate and bare in rate:
            result[f"ratio_{side}_after_startup"] = round(rate[side] / rate[bare], 3)
    return result


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree_memory_kb(root: int) -> tuple[int, int]:
    """(RSS, PSS) in kB of `root` and every process below it."""
    kids, todo, rss, pss = _children(), [root], 0, 0
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue  # ended meanwhile
    return rss, pss


def peak_memory(n: int, jobs: int, engine: str) -> dict:
    """Peak RSS/PSS of the process tree of `newsgraph build` over `n` synthetic articles."""
    from synth import write_jsonl

    from newsgraph.extract.gazetteer import load_gazetteer

    load_gazetteer()  # the index cache exists before any measured run (see bench/speed.py)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "synth.jsonl"
        write_jsonl(str(src), n)
        cmd = [sys.executable, "-m", "newsgraph", "build", str(src), "--db", str(Path(tmp) / "kb.db"),
               "--jobs", str(jobs), "--engine", engine, "--quiet"]
        env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        peak_rss = peak_pss = 0
        while proc.poll() is None:
            rss, pss = tree_memory_kb(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.2)
        seconds = time.perf_counter() - t
        err = proc.stderr.read()
        if proc.returncode != 0:
            raise SystemExit(f"build of {n} synthetic articles failed ({proc.returncode}):\n{err}")
    return {"articles": n, "jobs": jobs, "engine": engine, "seconds": round(seconds, 1),
            "articles_per_s": round(n / seconds, 1),
            "peak_tree_rss_mb": round(peak_rss / 1024, 1), "peak_tree_pss_mb": round(peak_pss / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--source", choices=["gold", "muc", "synth"], default="gold",
                    help="texts for throughput: GeoWebNews + MEANTIME (demo corpus if absent), MUC-3/4, or synthetic")
    ap.add_argument("--cold", action="store_true", help="time each side as a fresh command, start-up included")
    ap.add_argument("--texts", type=int, default=320, help="how many texts for the throughput runs (0: skip them)")
    ap.add_argument("--repeats", type=int, default=2, help="runs per side; the fastest counts")
    ap.add_argument("--sizes", default="1000,10000", help="synthetic corpus sizes for peak memory ('' to skip)")
    ap.add_argument("--memory-jobs", type=int, default=2, help="--jobs for the memory runs")
    ap.add_argument("--memory-engine", choices=["local", "ray"], default="local")
    ap.add_argument("--no-ray", action="store_true", help="skip the Ray side of the throughput runs")
    args = ap.parse_args()
    command = " ".join([".venv/bin/python", "bench/scale.py", *map(shlex.quote, sys.argv[1:])])

    t0 = time.perf_counter()
    summary = {"command": command, "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg(), "memory": []}
    if args.texts > 0:
        recs, where = load_records(args.source, args.texts, Path(args.data))
        print(f"throughput on {where}", file=sys.stderr, flush=True)
        summary["texts"] = where
        measure = measure_cold if args.cold else measure_throughput
        summary["throughput_cold" if args.cold else "throughput"] = measure(recs, args.repeats, not args.no_ray)
    for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
        m = peak_memory(n, args.memory_jobs, args.memory_engine)
        print(f"memory: {m}", file=sys.stderr, flush=True)
        summary["memory"].append(m)
    if len(summary["memory"]) >= 2:
        lo, hi = summary["memory"][0], summary["memory"][-1]
        summary["memory_growth"] = round(hi["peak_tree_pss_mb"] / lo["peak_tree_pss_mb"], 3)
    summary["wall_s"] = round(time.perf_counter() - t0, 1)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
