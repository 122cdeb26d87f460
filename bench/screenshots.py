"""Screenshots of the web UI's pages for the README, in Debian's Chromium.

    .venv/bin/python bench/screenshots.py [--db demo.db] [--out docs/screenshots]

Serves the knowledge base with `newsgraph serve` on a free 127.0.0.1 port (building
examples/corpus into --db first when the file does not exist), opens the home, search, entity,
document, events and figures pages, waits for their drawings, and saves a PNG of each. Exits
non-zero when a page logs a console error (a CSP violation included) or a drawing fails.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
MAX_HEIGHT = 2400
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    """`newsgraph serve` in a child process, returned once it answers."""
    exe = Path(sys.executable).with_name("newsgraph")
    proc = subprocess.Popen([str(exe), "serve", "--db", db, "--port", str(port)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"newsgraph serve exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("newsgraph serve did not answer within 30 s")


def pick(base: str) -> dict[str, str]:
    """The pages to show: the person with the most dated events (then the most distinct dates),
    searched for by surname, and the document of one of those events at its sentence."""
    import json
    from collections import defaultdict

    def get(path):
        with urllib.request.urlopen(base + path, timeout=20) as r:
            return json.load(r)

    dated = defaultdict(set)
    for ev in get("/api/events?limit=200"):
        if ev["date"] and ev["date"]["value"]:
            for p in ev["participants"]:
                if p["entity"]:
                    dated[p["entity"]].add((ev["id"], ev["date"]["value"]))
    people = []
    for ent_id, evs in dated.items():
        ent = get(f"/api/entities/{ent_id}")
        if ent["type"] == "PERSON":
            people.append((-len(evs), -len({v for _, v in evs}), ent["name"], ent))
    person = sorted(people, key=lambda t: t[:3])[0][3]
    ev = next(e for e in person["events"] if e["date"] and e["date"]["value"])
    return {
        "home": "/",
        "search": "/search?q=" + person["name"].split()[-1],
        "entity": f"/entities/{person['id']}",
        "document": f"/documents/{ev['doc']}#s{ev['sentence']['start']}",
        "events": "/events",
        "figures": "/figures",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(ROOT / "demo.db"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--width", type=int, default=1280)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    if not Path(args.db).exists():
        subprocess.run([str(Path(sys.executable).with_name("newsgraph")), "build", str(ROOT / "examples" / "corpus"), "--db", args.db], check=False)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(args.db, port)
    base = f"http://127.0.0.1:{port}"
    problems = []
    try:
        pages = pick(base)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": 900})
            # Chromium asks for /favicon.ico on its own; the pages name no icon, so its 404 is not theirs.
            page.on("console", lambda m: m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") and problems.append(f"{page.url}: {m.text} {m.location}"))
            page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
            page.on("response", lambda r: r.status >= 400 and problems.append(f"{page.url}: {r.url} answered {r.status}"))
            for name, path in pages.items():
                page.goto(base + path)
                # (no wait_for_function: its eval is refused by the page's CSP, as it should be)
                page.wait_for_selector(".viz[data-viz]:not([data-drawn])", state="detached", timeout=20000)
                for box in page.query_selector_all(".viz[data-drawn=error]"):
                    problems.append(f"{path}: drawing {box.get_attribute('data-viz')} failed")
                # The whole page, cut at MAX_HEIGHT pixels (the figures page runs long).
                height = min(MAX_HEIGHT, page.evaluate("() => document.documentElement.scrollHeight"))
                page.screenshot(path=str(out / f"{name}.png"), full_page=True, clip={"x": 0, "y": 0, "width": args.width, "height": height})
                print(f"{name}: {path} -> {out / (name + '.png')}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    for line in problems:
        print("problem:", line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
