"""Web security: untrusted article text escaped, CSP on every answer, bad parameters 4xx with
a message (never 500), writes only with the token, 127.0.0.1 by default."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsgraph.build import build
from newsgraph.cli import cli
from newsgraph.store.db import open_engine
from newsgraph.web.app import create_app

TOKEN = "s3cret-token-for-tests-0123456789"
HOSTILE_TITLE = '<img src=x onerror="alert(1)">Mayor <b>Vadim Orlov</b> returns'
HOSTILE_TEXT = (
    "Vadim Orlov, the mayor of Kazan, returned to Kazan on 3 March 2019 after two years in Istanbul.\n\n"
    'Orlov said <script>alert("owned")</script> that 40 families had come back with him.\n\n'
    "A note left on the page read </span><a href=\"javascript:alert(2)\">click</a> and nothing else."
)


@pytest.fixture(scope="module")
def client(demo_kb):
    return TestClient(create_app(open_engine(demo_kb, create=False)))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, analyser):
    """A knowledge base built by the real pipeline from an article full of markup."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "a.jsonl").write_text(
        json.dumps({"title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "published": "2019-03-04", "url": "https://x.example/<script>"}) + "\n",
        encoding="utf-8",
    )
    db = str(folder / "kb.db")
    build([str(folder / "a.jsonl")], db, progress=False, analyser=analyser)
    return TestClient(create_app(open_engine(db, create=False)))


def test_article_markup_is_shown_as_text_never_run(hostile):
    doc_id = hostile.get("/api/search", params={"q": "mayor"}).json()["documents"][0]["id"]
    for url in ("/", f"/documents/{doc_id}", "/search?q=Orlov", "/events"):
        page = hostile.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript:' not in page, url
    page = hostile.get(f"/documents/{doc_id}").text
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    data = hostile.get("/api/documents/" + doc_id).json()
    assert data["title"] == HOSTILE_TITLE
    # The body reads back as exactly the stored text, inside only the marks we put there: the
    # stray closing tag in the text closed nothing.
    body = BodyReader()
    body.feed(page)
    assert body.text == data["text"]
    assert body.tags <= {"span", "a", "mark"} and body.depth == 0 and body.sentences >= 3


class BodyReader(HTMLParser):
    """The text and tags inside <div class="body">, checking that tags nest."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.depth, self.text, self.tags, self.sentences = False, 0, "", set(), 0

    def handle_starttag(self, tag, attrs):
        if tag == "div" and ("class", "body") in attrs:
            self.inside = True
        elif self.inside:
            self.tags.add(tag)
            self.depth += 1
            self.sentences += ("class", "sent") in attrs

    def handle_endtag(self, tag):
        if self.inside and tag == "div" and self.depth == 0:
            self.inside = False
        elif self.inside:
            self.depth -= 1
            assert self.depth >= 0, "a closing tag with nothing open"

    def handle_data(self, data):
        if self.inside:
            self.text += data


def test_every_answer_carries_the_security_headers(client):
    for url in ("/", "/api/search?q=Grozny", "/api/entities/nope", "/static/style.css", "/events?since=bad", "/openapi.json"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp, url
        assert r.headers["x-content-type-options"] == "nosniff"


def test_pages_have_no_inline_script_or_handlers(client, demo_export):
    doc = demo_export["documents"][0]["id"]
    for url in ("/", "/events", "/figures", f"/documents/{doc}", "/search?q=Syria"):
        page = client.get(url).text
        assert "<script>" not in page and " onclick=" not in page and " onerror=" not in page, url
        assert page.count("<script") == 1 and '<script src="/static/app.js" defer></script>' in page


BAD = [
    ("/api/search", {}),
    ("/api/search", {"q": ""}),
    ("/api/search", {"q": "x" * 201}),
    ("/api/search", {"q": "Grozny\x00"}),
    ("/api/search", {"q": "Grozny", "limit": "0"}),
    ("/api/search", {"q": "Grozny", "limit": "-1"}),
    ("/api/search", {"q": "Grozny", "limit": "abc"}),
    ("/api/search", {"q": "Grozny", "limit": str(10**20)}),
    ("/api/events", {"since": "last week"}),
    ("/api/events", {"since": "2019-13"}),
    ("/api/events", {"since": "2019-02-30"}),
    ("/api/events", {"until": "0000"}),
    ("/api/events", {"until": "9999-12-31"}),
    ("/api/events", {"type": "arrest; DROP TABLE events"}),
    ("/api/events", {"entity": "nope"}),
    ("/api/events", {"place": "' OR 1=1 --"}),
    ("/api/events", {"limit": "201"}),
    ("/api/events", {"offset": "-1"}),
    ("/api/events", {"offset": str(10**9)}),
    ("/api/claims", {"limit": "100000"}),
    ("/api/claims", {"q": "\x07bell"}),
    ("/api/claims", {"group": "g" * 65}),
    ("/api/entities/" + "e" * 65, {}),
    ("/api/entities/nope", {}),
    ("/api/entities/a b", {}),
    ("/api/entities/..%2F..%2Fetc%2Fpasswd", {}),
    ("/api/documents/' OR '1'='1", {}),
    ("/api/documents/nope", {}),
    ("/entities/nope", {}),
    ("/documents/<script>", {}),
    ("/search", {"q": "a" * 500}),
    ("/search", {"q": "\x00"}),
    ("/events", {"since": "yesterday"}),
    ("/events", {"until": "2019-02-29"}),
    ("/events", {"entity": "Nobody Atall"}),
    ("/events", {"limit": "0"}),
    ("/figures", {"group": "nope"}),
    ("/figures", {"offset": "-5"}),
    ("/no/such/page", {}),
]


@pytest.mark.parametrize("url,params", BAD, ids=[f"{u}?{p}" for u, p in BAD])
def test_bad_input_is_a_4xx_with_a_message(client, url, params):
    r = client.get(url, params=params)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    if url.startswith("/api/"):
        message = r.json().get("error") or r.json().get("detail")
        assert isinstance(message, str) and len(message) > 8
    else:
        assert "text/html" in r.headers["content-type"] or r.status_code == 404


@pytest.mark.parametrize("q", ['"unbalanced', "NEAR(", "Grozny AND", "*", "(((", "label:", "OR OR", "^", "' OR 1=1 --", "Deir ez-Zor", "1,521"])
def test_search_syntax_never_fails(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert client.get("/search", params={"q": q}).status_code == 200


def test_reads_only_without_a_write_token(client):
    r = client.post("/api/entities/merge", json={"a": "x", "b": "y"})
    assert r.status_code == 403 and "--write-token" in r.json()["error"]
    assert client.post("/api/entities/x/split").status_code == 403
    assert client.delete("/api/entities/x").status_code == 405


@pytest.fixture()
def writable(demo_db, tmp_path):
    """A copy of the demo knowledge base served with a write token."""
    db = tmp_path / "kb.db"
    shutil.copy(demo_db, db)
    return TestClient(create_app(open_engine(str(db), create=False), write_token=TOKEN))


def test_merge_and_split_need_the_token_and_take_effect(writable):
    ents = {e["name"]: e["id"] for e in writable.get("/api/search", params={"q": "Tagirov OR Tursunov", "limit": 50}).json()["entities"]}
    a, b = ents["Adlan Tagirov"], ents["Jasur Tursunov"]
    body = {"a": a, "b": b, "note": "test: same man"}
    assert writable.post("/api/entities/merge", json=body).status_code == 401
    r = writable.post("/api/entities/merge", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert writable.post("/api/entities/merge", json={"a": a}, headers=auth).status_code == 422
    assert writable.post("/api/entities/merge", json={"a": a, "b": "nope"}, headers=auth).status_code == 404
    r = writable.post("/api/entities/merge", json=body, headers=auth)
    assert r.status_code == 200, r.text
    kept = r.json()["entity"]
    gone = b if kept == a else a
    assert writable.get(f"/entities/{gone}", follow_redirects=False).headers["location"] == f"/entities/{kept}"
    merged = writable.get(f"/api/entities/{kept}").json()["merged"]
    assert [m["id"] for m in merged] == [gone] and "test: same man" in merged[0]["merge_reason"]
    assert writable.post("/api/entities/merge", json=body, headers=auth).status_code == 409
    r = writable.post(f"/api/entities/{gone}/split", json={"note": "test: not the same"}, headers=auth)
    assert r.status_code == 200, r.text
    assert writable.get(f"/entities/{gone}", follow_redirects=False).status_code == 200
    assert writable.post(f"/api/entities/{gone}/split", headers=auth).status_code == 400  # nothing left to split


def test_serve_binds_localhost_by_default_and_checks_the_token(demo_db):
    serve = cli.commands["serve"]
    assert {p.name: p.default for p in serve.params}["host"] == "127.0.0.1"
    r = CliRunner().invoke(cli, ["serve", "--db", demo_db], env={"NEWSGRAPH_WRITE_TOKEN": "short"})
    assert r.exit_code == 2 and "16 characters" in r.output
