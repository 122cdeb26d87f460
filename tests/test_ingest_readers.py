"""Reading inputs: every bad input is named with its reason and the good ones still come through."""

import json
from io import BytesIO

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.errors import InputError
from newsgraph.ingest import clean, iter_raw_documents
from newsgraph.model import RawDocument

STORY = (
    "Kyrgyz court jails recruiter\n\n"
    "BISHKEK - A court in Bishkek on Friday jailed a man for nine years for recruiting\n"
    "young people from Osh to fight in Syria, the prosecutor general's office said.\n"
)
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tashkent court frees blogger | Silk Road Post</title></head>
<body><article><h1>Tashkent court frees blogger</h1>
<p>TASHKENT - A court in Tashkent on Monday freed a blogger who had been held for three months on charges of insulting the president, his lawyer said, in a case watched closely by rights groups in the region.</p>
<p>The blogger, Sanjar Karimov, 29, said outside the court that he would keep writing about corruption in the capital's housing department, which he accuses of selling flats meant for teachers.</p>
</article></body></html>"""


def by_source(items):
    return {item.source: item for item in items}


def errors(items):
    return {e.source: e.reason for e in items if isinstance(e, InputError)}


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a_good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "sub" / "b_page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x00\x00binary" * 20)
    (tmp_path / "report.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (tmp_path / "mixed_up.txt").write_bytes(b"ab \x81\x82 cd \x83\x84 ef \x85\x86 gh")
    (tmp_path / "western.txt").write_bytes("Caf\u00e9 owner in Sukhumi detained, police say.\n".encode("cp1252"))
    with open(tmp_path / "huge.txt", "wb") as f:
        f.truncate(51 * 2**20)  # sparse: the size is there, the bytes never need reading
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")  # unsupported suffix inside a folder: skipped
    return tmp_path


def test_folder_yields_good_files_and_names_each_bad_one(folder):
    items = list(iter_raw_documents([str(folder)]))
    good = [i for i in items if isinstance(i, RawDocument)]
    assert [g.source for g in good] == [
        str(folder / "a_good.txt"), str(folder / "western.txt"), str(folder / "sub" / "b_page.html")]
    errs = errors(items)
    assert errs[str(folder / "empty.txt")] == "empty file"
    assert errs[str(folder / "blank.txt")] == "empty file (only whitespace)"
    assert errs[str(folder / "binary.txt")] == "binary file (contains NUL bytes), not text"
    assert errs[str(folder / "report.txt")] == "binary file (PDF document), not text"
    assert errs[str(folder / "mixed_up.txt")].startswith("undecodable text: invalid UTF-8 at byte 3")
    assert errs[str(folder / "huge.txt")] == "file is 51.0 MB, over the 50 MB limit; not read"
    assert len(errs) == 6


def test_order_is_deterministic_and_sorted(folder):
    first = [i.source for i in iter_raw_documents([str(folder)])]
    assert first == [i.source for i in iter_raw_documents([str(folder)])]


def test_legacy_encodings_are_decoded_when_the_bytes_say_which(folder):
    docs = by_source(iter_raw_documents([str(folder / "western.txt")]))
    assert docs[str(folder / "western.txt")].text.startswith("Café owner in Sukhumi")
    ru = folder / "ru.txt"
    ru.write_bytes("Суд в Грозном арестовал двоих.\n".encode("cp1251"))
    (doc,) = iter_raw_documents([str(ru)])
    assert doc.text == "Суд в Грозном арестовал двоих.\n"


def test_missing_path_and_folder_without_supported_files(tmp_path):
    (tmp_path / "only.pdf").write_bytes(b"%PDF")
    items = list(iter_raw_documents([str(tmp_path / "nope.txt"), str(tmp_path)]))
    assert errors(items) == {
        str(tmp_path / "nope.txt"): "no such file or directory",
        str(tmp_path): "folder has no supported files (.txt, .html, .htm, .xhtml, .jsonl, .warc, .warc.gz)",
    }


def test_same_bytes_same_id(tmp_path):
    (tmp_path / "one.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "two.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "three.txt").write_text(STORY + "\nMore.\n", encoding="utf-8")
    docs = by_source(iter_raw_documents([str(tmp_path)]))
    ids = {name: clean(docs[str(tmp_path / name)]).id for name in ("one.txt", "two.txt", "three.txt")}
    assert ids["one.txt"] == ids["two.txt"] != ids["three.txt"]
    assert docs[str(tmp_path / "one.txt")].data == STORY.encode("utf-8")


def test_jsonl_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    good = {"text": STORY, "url": "https://example.org/2019/03/14/x", "title": "Kyrgyz court jails recruiter",
            "published": "2019-03-15T08:00:00Z", "outlet": "Bishkek Bulletin"}
    lines = [
        json.dumps(good),
        '{"text": "unterminated',
        json.dumps({"title": "no body here"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"html": PAGE}),
        json.dumps({"text": "   "}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_raw_documents([str(path)]))
    assert errors(items) == {
        f"{path}#L2": "invalid JSON: Unterminated string starting at column 10",
        f"{path}#L3": "no 'text' or 'html' field",
        f"{path}#L5": "expected a JSON object, got list",
        f"{path}#L7": "'text' is empty",
    }
    docs = by_source(items)
    first = docs[f"{path}#L1"]
    assert first.data == lines[0].encode("utf-8")
    a = clean(first)
    assert (a.title, a.outlet, a.url) == ("Kyrgyz court jails recruiter", "Bishkek Bulletin", good["url"])
    assert (a.published, a.published_basis, a.published_reason) == (
        "2019-03-15", "metadata", "container field 'published'")
    assert a.text.startswith("BISHKEK - A court in Bishkek on Friday jailed a man for nine years for recruiting young")
    page = clean(docs[f"{path}#L6"])
    assert page.title == "Tashkent court frees blogger"
    assert "Sanjar Karimov, 29" in page.text


def _warc(path, records, gzip=False):
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for uri, content_type, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=BytesIO(body), http_headers=headers))


@pytest.mark.parametrize("name,gzip", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_html_response_comes_through_and_others_are_skipped(tmp_path, name, gzip):
    uri = "https://silkroad.example/2020/07/15/tashkent-court-frees-blogger"
    _warc(tmp_path / name, [
        ("https://silkroad.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        (uri, "text/html; charset=utf-8", PAGE.encode("utf-8")),
    ], gzip=gzip)
    (doc,) = iter_raw_documents([str(tmp_path / name)])
    assert (doc.source, doc.url, doc.data) == (uri, uri, PAGE.encode("utf-8"))
    a = clean(doc)
    assert a.title == "Tashkent court frees blogger"
    assert (a.published, a.published_basis, a.published_reason) == ("2020-07-15", "url", "URL path /2020/07/15/")
    assert a.text.startswith("TASHKENT - A court in Tashkent on Monday freed a blogger")


def test_warc_without_html_and_malformed_warc(tmp_path):
    _warc(tmp_path / "images.warc", [("https://x.example/a.json", "application/json", b'{"a": 1}')])
    (tmp_path / "broken.warc").write_bytes(b"this is not a WARC file at all\n")
    items = list(iter_raw_documents([str(tmp_path / "images.warc"), str(tmp_path / "broken.warc")]))
    errs = errors(items)
    assert errs[str(tmp_path / "images.warc")] == "no HTML response records in WARC"
    assert errs[str(tmp_path / "broken.warc")].startswith("malformed WARC")


def test_named_file_with_unknown_suffix_is_sniffed(tmp_path):
    (tmp_path / "story.TE3input").write_text(STORY, encoding="utf-8")
    (tmp_path / "page.save").write_text(PAGE, encoding="utf-8")
    text_doc, html_doc = iter_raw_documents([str(tmp_path / "story.TE3input"), str(tmp_path / "page.save")])
    assert text_doc.text == STORY and text_doc.html is None
    assert html_doc.html == PAGE and html_doc.text is None


def test_xhtml_is_html_by_suffix_and_by_its_xml_declaration(tmp_path):
    """XHTML pages (an XML declaration before <html>) are cleaned as HTML, not kept as markup."""
    page = ('<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Verdict</title>'
            "</head><body><p>A court in Nalchik sentenced Zaur Temirov to nine years on Tuesday.</p></body></html>")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "a.xhtml").write_text(page, encoding="utf-8")
    (tmp_path / "b.export").write_text(page, encoding="utf-8")
    by_suffix, sniffed = iter_raw_documents([str(tmp_path / "folder"), str(tmp_path / "b.export")])
    assert by_suffix.html == page and sniffed.html == page
    assert "<p>" not in clean(by_suffix).text and "Zaur Temirov" in clean(by_suffix).text
