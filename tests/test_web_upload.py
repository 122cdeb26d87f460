"""Uploads (`POST /api/documents`, the home page's form): the write token is required, bad input
is a 4xx naming the reason, an upload goes through the real pipeline (model, resolution, search
index) into a copy of the demo base, and the same bytes twice add nothing."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from newsgraph.store import schema as S
from newsgraph.store.db import open_engine
from newsgraph.web import uploads
from newsgraph.web.app import create_app

TOKEN = "upload-token-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Invented: a harbour master and a port that exist nowhere but here.
ARTICLE = {
    "title": "Harbour master Ilse Varnholt detained in Tallinn",
    "text": (
        "Ilse Varnholt, the harbour master of Tallinn, was arrested on 4 May 2021 by customs officers.\n\n"
        "Varnholt said that 120 containers had been held at the port since April."
    ),
    "published": "2021-05-05",
    "outlet": "Baltic Ledger",
}
FILE_TEXT = "Teodor Maslanek, a ferry captain from Riga, met port officials in Gdansk on 2 June 2021.\n"


@pytest.fixture(scope="module")
def kb(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("upload") / "kb.db"
    shutil.copy(demo_db, path)
    return str(path)


@pytest.fixture(scope="module")
def client(kb, analyser):
    return TestClient(create_app(open_engine(kb, create=False), write_token=TOKEN, analyser=analyser))


def documents(kb) -> int:
    with open_engine(kb, create=False).connect() as conn:
        return conn.execute(select(func.count()).select_from(S.documents)).scalar_one()


def test_token_is_required(client, kb):
    before = documents(kb)
    r = client.post("/api/documents", json=ARTICLE)
    assert r.status_code == 401 and "Bearer" in r.json()["error"]
    r = client.post("/api/documents", json=ARTICLE, headers={"Authorization": "Bearer wrong-token-0123456789"})
    assert r.status_code == 401
    r = client.post("/upload", data={"token": "wrong", "text": "Some text."}, files={"file": ("", b"")})
    assert r.status_code == 401 and "write token" in r.text
    assert documents(kb) == before


def test_read_only_server_refuses_uploads(demo_db):
    ro = TestClient(create_app(open_engine(demo_db, create=False)))
    r = ro.post("/api/documents", json=ARTICLE, headers=AUTH)
    assert r.status_code == 403 and "--write-token" in r.json()["error"]
    assert 'action="/upload"' not in ro.get("/").text


@pytest.mark.parametrize(
    "kwargs, status, words",
    [
        ({"files": {"file": ("report.pdf", b"%PDF-1.4 ...")}}, 415, "unsupported type"),
        ({"content": b"plain words", "headers": {"Content-Type": "text/plain"}}, 415, "application/json"),
        ({"json": {"text": "   "}}, 400, "'text' is empty"),
        ({"json": {"text": "a", "html": "<p>b</p>"}}, 400, "exactly one"),
        ({"json": {"text": "An article.", "author": "x"}}, 400, "unknown field"),
        ({"json": {"text": 42}}, 400, "must be a string"),
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "not valid JSON"),
        ({"files": {"file": ("empty.txt", b"")}}, 400, "empty"),
        ({"files": {"file": ("bad.jsonl", b'{"title": "no body"}\n')}}, 400, "no 'text' or 'html' field"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_reason(client, kb, kwargs, status, words):
    before = documents(kb)
    headers = {**AUTH, **kwargs.pop("headers", {})}
    r = client.post("/api/documents", headers=headers, **kwargs)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]
    assert "newsgraph-upload-" not in r.json()["error"]  # the server's temporary folder is not shown
    assert documents(kb) == before


def test_upload_over_the_limit_is_413(client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_BYTES", 1000)
    r = client.post("/api/documents", headers=AUTH, files={"file": ("big.txt", b"word " * 400)})
    assert r.status_code == 413 and "MB limit" in r.json()["error"]


def test_json_upload_is_analysed_resolved_and_searchable(client, kb):
    before = documents(kb)
    r = client.post("/api/documents", json=ARTICLE, headers=AUTH)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "stored" and len(body["documents"]) == 1 and body["already_stored"] == []
    doc_id = body["documents"][0]
    assert documents(kb) == before + 1

    doc = client.get(f"/api/documents/{doc_id}").json()
    assert doc["title"] == ARTICLE["title"] and doc["outlet"] == "Baltic Ledger"
    person = next(m["entity"] for m in doc["mentions"] if m["text"] == "Ilse Varnholt")
    assert any(e["type"] == "ARREST" for e in doc["events"])
    assert any(c["value"] == 120 for c in doc["claims"])
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200 and "Ilse Varnholt" in page.text
    ent = client.get(f"/api/entities/{person}").json()
    assert ent["name"] == "Ilse Varnholt"
    # "Varnholt" in the second sentence is the same person (resolution ran).
    assert {m["entity"] for m in doc["mentions"] if m["text"] in ("Ilse Varnholt", "Varnholt")} == {person}

    found = client.get("/api/search", params={"q": "Varnholt"}).json()
    assert doc_id in [d["id"] for d in found["documents"]]
    assert person in [e["id"] for e in found["entities"]]

    again = client.post("/api/documents", json=ARTICLE, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "already stored"
    assert again.json()["already_stored"] == [doc_id] and again.json()["documents"] == []
    assert documents(kb) == before + 1


def test_file_upload_and_the_home_page_form(client, kb):
    home = client.get("/").text
    assert 'action="/upload"' in home and 'name="token"' in home and "<script>" not in home
    before = documents(kb)
    r = client.post("/api/documents", headers=AUTH, files={"file": ("captain.txt", FILE_TEXT.encode())})
    assert r.status_code == 201, r.text
    doc_id = r.json()["documents"][0]
    assert client.get(f"/api/documents/{doc_id}").json()["source"] == "upload:captain.txt"
    # The same bytes through the form: nothing new, and the browser lands on the document.
    r = client.post("/upload", data={"token": TOKEN}, files={"file": ("again.txt", FILE_TEXT.encode())}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/documents/{doc_id}"
    assert documents(kb) == before + 1
    # Typed text through the form is a new article.
    r = client.post(
        "/upload", data={"token": TOKEN, "text": "Marta Quellgrund opened a bakery in Tartu on 3 March 2020.", "title": "A bakery"},
        files={"file": ("", b"")}, follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    new_id = r.headers["location"].rsplit("/", 1)[1]
    assert client.get(f"/documents/{new_id}").status_code == 200
    assert documents(kb) == before + 2


def test_uploads_run_one_at_a_time(client, kb):
    """The same new article sent twice at once: stored once, the other answer says so (without
    the lock both would find it new and the second insert would fail)."""
    from concurrent.futures import ThreadPoolExecutor

    before = documents(kb)
    body = {"text": "Runa Aldgate, a ferry inspector in Turku, counted 14 lifeboats on 1 August 2021.", "title": "Lifeboats"}
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: client.post("/api/documents", json=body, headers=AUTH), range(2)))
    assert sorted(r.status_code for r in answers) == [200, 201], [r.text for r in answers]
    assert documents(kb) == before + 1


def test_upload_into_an_empty_base_on_each_backend(any_db, analyser):
    """On SQLite and PostgreSQL: the first article of a new base is stored, resolved and found."""
    app = TestClient(create_app(open_engine(any_db), write_token=TOKEN, analyser=analyser))
    r = app.post("/api/documents", json=ARTICLE, headers=AUTH)
    assert r.status_code == 201, r.text
    doc_id = r.json()["documents"][0]
    found = app.get("/api/search", params={"q": "Varnholt"}).json()
    assert [d["id"] for d in found["documents"]] == [doc_id]
    assert app.post("/api/documents", json=ARTICLE, headers=AUTH).status_code == 200


# --- in a real browser, against `newsgraph serve --write-token` ----------------------------------
from test_browser import browser  # noqa: E402,F401  (the module's Chromium fixture)


@pytest.fixture(scope="module")
def writable_server(demo_db, tmp_path_factory):
    """`newsgraph serve` with a write token over a copy of the demo base; it loads the model
    itself, at the first upload."""
    from served import served

    db = tmp_path_factory.mktemp("served") / "kb.db"
    shutil.copy(demo_db, db)
    with served(str(db), "--write-token", TOKEN) as base:
        yield base


def test_upload_form_in_the_browser(browser, writable_server, tmp_path):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.url} answered {r.status}"))
    article = tmp_path / "keeper.txt"
    article.write_text("Oskar Lindqvar, the lighthouse keeper of Klaipeda, was detained on 9 July 2021.\n", encoding="utf-8")
    page.goto(writable_server + "/")
    page.set_input_files("input[name=file]", str(article))
    page.fill("input[name=token]", TOKEN)
    page.click("form[action='/upload'] button[type=submit]")
    page.wait_for_url("**/documents/d*", timeout=120_000)  # the first upload loads the model
    assert "Oskar Lindqvar" in page.locator("main").inner_text()
    page.goto(writable_server + "/search?q=Lindqvar")
    assert "Oskar Lindqvar" in page.locator("main").inner_text()
    context.close()
    assert not problems, problems
