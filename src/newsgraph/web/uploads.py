"""Uploads: `POST /api/documents` (JSON or a file) and the home page's form (`POST /upload`).

An upload goes through the same steps as `newsgraph build` on a file: read and clean
(`ingest`), skip what is already stored (same bytes, same id), analyse with the spaCy model,
store, then resolve across articles and bring the search index up to date. The model is
loaded once per server process, at the first upload. Uploads run one at a time (a lock) in a
worker thread, so reads are served meanwhile.
"""

from __future__ import annotations

import hmac
import json
import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import Engine

from ..errors import InputError
from ..extract.pipeline import Analyser
from ..ingest import MAX_BYTES, clean, iter_raw_documents
from ..ingest.readers import SUPPORTED, file_kind
from ..resolve.corpus import resolve_corpus
from ..store.db import existing_document_ids, set_meta
from ..store.search import refresh as refresh_search
from ..store.write import save_batch

FIELDS = ("title", "url", "published", "outlet")
BATCH = 32
# The body is read by hand (JSON or a file, size checked first); this documents it in /openapi.json.
_STR = {"type": "string"}
OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object", "properties": {k: _STR for k in ("text", "html", *FIELDS)}, "description": "exactly one of text or html"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary", "description": f"one of {SUPPORTED}"}}}},
        },
    }
}


class Uploader:
    """Stores uploaded articles in `engine`, one upload at a time."""

    def __init__(self, engine: Engine, analyser: Analyser | None = None):
        self.engine = engine
        self._analyser = analyser
        self._lock = threading.Lock()

    def ingest(self, folder: Path) -> dict:
        """Add the articles of the files in `folder`; return the ids stored, the ids already
        there, and each rejected input with its reason (sources named `upload:<file name>`)."""
        with self._lock:
            rejected: list[str] = []
            articles = {}
            for item in iter_raw_documents([str(folder)]):
                if isinstance(item, InputError):
                    rejected.append(_shown(str(item), folder))
                    continue
                item.source = _shown(item.source, folder)
                try:
                    article = clean(item)
                except InputError as err:
                    rejected.append(_shown(str(err), folder))
                    continue
                articles.setdefault(article.id, article)
            stored = existing_document_ids(self.engine, list(articles))
            new = [a for a in articles.values() if a.id not in stored]
            if new:
                if self._analyser is None:  # first upload of this process: load the model once
                    self._analyser = Analyser.load()
                for i in range(0, len(new), BATCH):
                    save_batch(self.engine, self._analyser.analyse(new[i : i + BATCH]), self._analyser.model_name)
                with self.engine.begin() as conn:
                    set_meta(conn, "nlp_model", self._analyser.model_name)
                resolve_corpus(self.engine, progress=False)
                refresh_search(self.engine)
            return {
                "documents": [a.id for a in new],
                "already_stored": [i for i in articles if i in stored],
                "rejected": rejected,
            }


def _shown(text: str, folder: Path) -> str:
    """A message or source with the server's temporary folder replaced by `upload:`."""
    return text.replace(f"{folder}/", "upload:").replace(str(folder), "upload")


def _safe_name(name: str | None) -> str:
    """The uploaded file's own name, reduced to a plain file name (never a path)."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "").name).strip("._") or "upload"
    return base[-100:]


def _limit(request: Request) -> None:
    size = request.headers.get("content-length")
    if size is None or not size.isdigit():
        raise HTTPException(411, "send the upload with a Content-Length header")
    if int(size) > MAX_BYTES + 64 * 1024:  # the multipart envelope adds a little
        raise HTTPException(413, f"the upload is {int(size) / 2**20:.1f} MB, over the {MAX_BYTES // 2**20} MB limit; split it into smaller files")


def _from_json(raw: bytes, folder: Path) -> None:
    """Write a JSON body {text or html, title?, url?, published?, outlet?} as one JSONL line."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise HTTPException(400, f"the body is not valid JSON ({err}); send {{\"text\": ...}} or {{\"html\": ...}}") from None
    if not isinstance(body, dict):
        raise HTTPException(400, "the body must be a JSON object with 'text' or 'html'")
    unknown = sorted(set(body) - {"text", "html", *FIELDS})
    if unknown:
        raise HTTPException(400, f"unknown field(s) {', '.join(unknown)}; send text or html, and optionally {', '.join(FIELDS)}")
    given = [k for k in ("text", "html") if body.get(k) is not None]
    if len(given) != 1:
        raise HTTPException(400, "send exactly one of 'text' (plain text) or 'html'")
    for key, value in body.items():
        if value is not None and not isinstance(value, str):
            raise HTTPException(400, f"field {key!r} must be a string")
    if not body[given[0]].strip():
        raise HTTPException(400, f"field {given[0]!r} is empty; send the article's text")
    record = {k: body[k] for k in ("text", "html", *FIELDS) if body.get(k) is not None}
    # Canonical bytes: the same article sent twice is the same document (same id).
    line = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (folder / "request.jsonl").write_text(line + "\n", encoding="utf-8")


def _save_file(upload, folder: Path) -> None:
    """Copy an uploaded file (a starlette UploadFile) into `folder` under its own name."""
    name = _safe_name(getattr(upload, "filename", None))
    if file_kind(Path(name)) is None:
        raise HTTPException(415, f"file {name!r}: unsupported type; send one of {SUPPORTED}")
    size = 0
    with (folder / name).open("wb") as out:
        while chunk := upload.file.read(1 << 20):
            size += len(chunk)
            if size > MAX_BYTES:
                raise HTTPException(413, f"file {name!r} is over the {MAX_BYTES // 2**20} MB limit; split it into smaller files")
            out.write(chunk)
    if size == 0:
        raise HTTPException(400, f"file {name!r} is empty")


def _outcome(result: dict) -> tuple[int, dict]:
    """201 when something was stored, 200 when everything was already there, 400 otherwise."""
    if result["documents"]:
        return 201, {**result, "status": "stored"}
    if result["already_stored"]:
        return 200, {**result, "status": "already stored"}
    reasons = "; ".join(result["rejected"]) or "no article found"
    raise HTTPException(400, f"nothing stored: {reasons}")


def make_router(engine: Engine, require_writer: Callable[[Request], None], write_token: str | None, analyser: Analyser | None) -> APIRouter:
    """The upload routes; `require_writer` checks the bearer token as for corrections."""
    router = APIRouter()
    uploader = Uploader(engine, analyser)

    async def receive(request: Request, folder: Path) -> None:
        """Write the request's article(s) into `folder`, or raise the 4xx that says why not."""
        _limit(request)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/json":
            _from_json(await request.body(), folder)
        elif kind == "multipart/form-data":
            form = await request.form(max_files=1, max_fields=10)
            try:
                file = form.get("file")
                text = form.get("text")
                if file is not None and not isinstance(file, str) and getattr(file, "filename", None):
                    await run_in_threadpool(_save_file, file, folder)
                elif isinstance(text, str) and text.strip():
                    fields = {k: form.get(k) for k in FIELDS if isinstance(form.get(k), str) and form.get(k).strip()}
                    _from_json(json.dumps({"text": text, **fields}).encode(), folder)
                else:
                    raise HTTPException(400, "send a file in the form field 'file' (or the article in 'text')")
            finally:
                await form.close()
        else:
            raise HTTPException(415, f"content type {kind or 'none'!r}: send application/json or multipart/form-data")

    @router.post("/api/documents", status_code=201, openapi_extra=OPENAPI_BODY)
    async def api_upload(request: Request):
        """Add an article: a JSON body {text or html, title?, url?, published?, outlet?}, or a
        file (.txt, .html, .jsonl, .warc) in the multipart field `file`. Needs the write token.
        201 with the new document ids; 200 with `already stored` when nothing was new."""
        require_writer(request)
        with tempfile.TemporaryDirectory(prefix="newsgraph-upload-") as tmp:
            await receive(request, Path(tmp))
            status, body = _outcome(await run_in_threadpool(uploader.ingest, Path(tmp)))
        return JSONResponse(body, status_code=status)

    @router.post("/upload", include_in_schema=False)
    async def form_upload(request: Request):
        """The home page's form: the token comes as a form field; answers with the new document."""
        if not write_token:
            raise HTTPException(403, "this server is read-only; start it with --write-token to allow uploads")
        _limit(request)
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise HTTPException(415, "send the upload form (multipart/form-data)")
        with tempfile.TemporaryDirectory(prefix="newsgraph-upload-") as tmp:
            form = await request.form(max_files=1, max_fields=10)
            token = form.get("token")
            if not isinstance(token, str) or not hmac.compare_digest(token.strip().encode(), write_token.encode()):
                await form.close()
                raise HTTPException(401, "wrong or missing write token; type the token the server was started with")
            # receive() reads the same form: starlette parses a request's form once.
            await receive(request, Path(tmp))
            _status, body = _outcome(await run_in_threadpool(uploader.ingest, Path(tmp)))
        ids = body["documents"] or body["already_stored"]
        return RedirectResponse(f"/documents/{ids[0]}", status_code=303)

    return router
