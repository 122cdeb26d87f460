"""Reading inputs from disk into `RawDocument`s, and naming each bad input with its reason.

Nothing here raises on a bad input: a missing path, an empty or binary file, a bad JSONL line
or a WARC without HTML is yielded as an `InputError` and the next input is read.

The 50 MB limit is per document: a .txt or .html file over it is not opened at all; JSONL and
WARC files are containers read one line / record at a time, so the limit applies to each
line or record payload (a crawl's WARC is routinely larger than any single page).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import InputError
from ..model import RawDocument
from .decoding import Undecodable, decode_bytes, html_charset

MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".xhtml": "html", ".jsonl": "jsonl", ".warc": "warc", ".warc.gz": "warc"}
SUPPORTED = ", ".join(SUFFIXES)


def iter_raw_documents(paths: Iterable[str]) -> Iterator[RawDocument | InputError]:
    """Every article in `paths` (files or folders, searched recursively in sorted order).

    Yields a `RawDocument` per article and an `InputError` per rejected input, in input
    order, and never raises for a bad input.
    """
    for path in paths:
        yield from _read_path(str(path))


def file_kind(path: Path) -> str | None:
    """'text', 'html', 'jsonl' or 'warc' from the file name; None when unsupported."""
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return "warc"
    return SUFFIXES.get(path.suffix.lower())


def _read_path(path: str) -> Iterator[RawDocument | InputError]:
    p = Path(path)
    if not p.exists():
        yield InputError(path, "no such file or directory")
    elif p.is_dir():
        files = list(walk_folder(p))
        if not files:
            yield InputError(path, f"folder has no supported files ({SUPPORTED})")
        for f in files:
            yield from _read_file(f, file_kind(f))
    else:
        kind = file_kind(p)
        # A file named on the command line is read even without a known suffix: it is sniffed.
        yield from _read_file(p, kind or "sniff")


def walk_folder(folder: Path) -> Iterator[Path]:
    """The supported files under `folder`, in a stable order (sorted; hidden files and folders skipped)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            f = Path(root) / name
            if not name.startswith(".") and file_kind(f):
                yield f


def _read_file(p: Path, kind: str) -> Iterator[RawDocument | InputError]:
    source = str(p)
    try:
        size = p.stat().st_size
        if size == 0:
            yield InputError(source, "empty file")
            return
        if kind == "jsonl":
            yield from _read_jsonl(p)
        elif kind == "warc":
            yield from _read_warc(p)
        elif size > MAX_BYTES:
            yield InputError(source, f"file is {size / 2**20:.1f} MB, over the {MAX_BYTES // 2**20} MB limit; not read")
        else:
            yield _read_single(p, kind, p.read_bytes())
    except OSError as err:
        yield InputError(source, f"cannot read file: {err.strerror or err}")


def _read_single(p: Path, kind: str, data: bytes) -> RawDocument | InputError:
    source = str(p)
    if kind == "sniff":
        # An XML declaration may come first (XHTML): `<?xml version="1.0"?><html ...>`.
        kind = "html" if re.search(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!doctype html|<html)", data[:1024], re.I) else "text"
    try:
        text, _ = decode_bytes(data, html_charset(data) if kind == "html" else None)
    except Undecodable as err:
        return InputError(source, str(err))
    if not text.strip():
        return InputError(source, "empty file (only whitespace)")
    if kind == "html":
        return RawDocument(source=source, data=data, html=text)
    return RawDocument(source=source, data=data, text=text)


def _string_field(obj: dict, *names: str) -> str | None:
    for name in names:
        value = obj.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _read_jsonl(p: Path) -> Iterator[RawDocument | InputError]:
    articles = 0
    with p.open("rb") as f:
        for n, line in enumerate(f, 1):
            data = line.rstrip(b"\r\n")
            if n == 1 and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            if not data.strip():
                continue
            articles += 1
            item = _jsonl_item(f"{p}#L{n}", data)
            yield item
    if articles == 0:
        yield InputError(str(p), "empty file (no JSON lines)")


def _jsonl_item(source: str, data: bytes) -> RawDocument | InputError:
    if len(data) > MAX_BYTES:
        return InputError(source, f"line is over the {MAX_BYTES // 2**20} MB limit")
    try:
        obj = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        return InputError(source, f"invalid UTF-8 at byte {err.start}")
    except json.JSONDecodeError as err:
        return InputError(source, f"invalid JSON: {re.sub(r' at$', '', err.msg)} at column {err.colno}")
    if not isinstance(obj, dict):
        return InputError(source, f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    html = obj.get("html")
    if text is None and html is None:
        return InputError(source, "no 'text' or 'html' field")
    body_field, body = ("html", html) if html is not None and text is None else ("text", text)
    if not isinstance(body, str):
        return InputError(source, f"'{body_field}' is not a string")
    if not body.strip():
        return InputError(source, f"'{body_field}' is empty")
    return RawDocument(
        source=source,
        data=data,
        text=body if body_field == "text" else None,
        html=body if body_field == "html" else None,
        url=_string_field(obj, "url", "link"),
        title=_string_field(obj, "title", "headline"),
        published=_string_field(obj, "published", "date", "published_at"),
        outlet=_string_field(obj, "outlet", "source", "site"),
    )


def _warc_start(p: Path) -> bytes:
    with p.open("rb") as f:
        head = f.read(2)
    if head == b"\x1f\x8b":
        with gzip.open(p, "rb") as f:
            return f.read(5)
    with p.open("rb") as f:
        return f.read(5).lstrip()


def _read_warc(p: Path) -> Iterator[RawDocument | InputError]:
    html_records = 0
    try:
        if not _warc_start(p).startswith(b"WARC/"):
            # warcio reads anything it cannot parse as an empty archive; say what is wrong instead
            yield InputError(str(p), "malformed WARC: the file does not start with a WARC record")
            return
        with p.open("rb") as f:
            for n, record in enumerate(ArchiveIterator(f), 1):
                content_type = _html_record_type(record)
                if content_type is None:
                    continue
                html_records += 1
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{p}#R{n}"
                payload = record.content_stream().read(MAX_BYTES + 1)
                yield _warc_item(uri, payload, content_type)
    except (ArchiveLoadFailed, EOFError, zlib.error, gzip.BadGzipFile, ValueError) as err:
        yield InputError(str(p), f"malformed WARC: {err}")
        return
    if html_records == 0:
        yield InputError(str(p), "no HTML response records in WARC")


def _html_record_type(record) -> str | None:
    """The Content-Type of a record holding a page's HTML (a 200 response), else None."""
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    return content_type if "html" in content_type.lower() else None


def _warc_item(uri: str, payload: bytes, content_type: str) -> RawDocument | InputError:
    if len(payload) > MAX_BYTES:
        return InputError(uri, f"record is over the {MAX_BYTES // 2**20} MB limit")
    if not payload.strip():
        return InputError(uri, "empty HTML response")
    m = re.search(r"charset=[\"']?([\w-]+)", content_type, re.I)
    declared = m.group(1) if m else html_charset(payload)
    try:
        html, _ = decode_bytes(payload, declared)
    except Undecodable as err:
        return InputError(uri, str(err))
    return RawDocument(source=uri, data=payload, html=html, url=uri if "://" in uri else None)
