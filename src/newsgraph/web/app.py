"""The web UI and HTTP API: a thin layer over the read-side queries (`queries/`) and the
full-text index (`store/search.py`).

Security, as promised in the README: read-only unless the server was given a write token,
and then only requests carrying `Authorization: Bearer <token>` may write. Article text is
untrusted, so every page goes through Jinja2 with autoescaping, the Content-Security-Policy
forbids inline script, queries are parameterised, page sizes are bounded, and a bad
parameter is a 4xx whose message names the parameter and what to send instead.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Body, Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from .. import __version__
from ..errors import NewsgraphError
from ..store import search as fts
from . import queries as Q
from . import viz  # JSON behind the drawings, /api/viz/
from .render import highlight, human_date, number

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
log = logging.getLogger("newsgraph.web")



def _id():
    """A path id: short, from a plain alphabet (anything else cannot be an id here)."""
    return PathParam(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$", description="an id as given in the API")


DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_OFFSET = 100_000


def check_text(name: str, value: str | None) -> str | None:
    """Reject control characters (PostgreSQL cannot store NUL; none belongs in a query)."""
    if value is not None and _CONTROL.search(value):
        raise HTTPException(422, f"parameter {name!r} contains a control character; send plain text")
    return value


def check_date(name: str, value: str | None) -> str | None:
    """An ISO date at year, month or day precision that exists in the calendar."""
    if not value:
        return None
    if not re.match(DATE_PATTERN, value):
        raise HTTPException(422, f"parameter {name!r}={value!r} is not a date; send YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as err:
        raise HTTPException(422, f"parameter {name!r}={value!r} is not a calendar date ({err})") from None
    if parts[0] < 1 or parts[0] > 9998:
        raise HTTPException(422, f"parameter {name!r}={value!r}: the year must be between 0001 and 9998")
    return value


class MergeRequest(BaseModel):
    a: str = Field(..., min_length=1, max_length=64, description="entity id that stays")
    b: str = Field(..., min_length=1, max_length=64, description="entity id merged into `a`")
    note: str | None = Field(None, max_length=1000, description="why, kept with the correction")


class SplitRequest(BaseModel):
    note: str | None = Field(None, max_length=1000, description="why, kept with the correction")


def create_app(engine: Engine, *, write_token: str | None = None, analyser=None) -> FastAPI:
    """The ASGI app over `engine`. Writes are refused unless `write_token` is set and sent.

    `analyser` (an extract.pipeline.Analyser) serves uploads; without it the model is loaded
    at the first upload."""
    app = FastAPI(title="newsgraph", version=__version__, description="A sourced knowledge base built from news articles.")
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    env.filters["human_date"] = human_date
    env.filters["number"] = number
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(viz.make_router(engine))
    from . import downloads  # GeoJSON, GraphML, GEXF, CSV, Parquet under /download/

    app.include_router(downloads.make_router(engine))
    try:  # bring the search index up to date with what the last build stored
        fts.refresh(engine)
    except Exception as err:  # a read-only file still serves pages; search says what is wrong
        log.warning("search index not refreshed: %s", err)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        cpu = time.process_time()
        response = await call_next(request)
        # The CPU the server spent (all its threads; exact when requests do not overlap): what a
        # request costs whatever else the machine is running (bench/web_latency.py reads it).
        response.headers["Server-Timing"] = f"cpu;dur={(time.process_time() - cpu) * 1000:.1f}"
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def page(name: str, **ctx) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx))

    def found(rec, what: str, ident: str):
        if rec is None:
            raise HTTPException(status_code=404, detail=f"no {what} with id {ident!r}")
        return rec

    def entity_or_redirect(conn, entity_id: str, prefix: str, query: str = ""):
        cid = Q.canonical_id(conn, entity_id)
        if cid is None:
            raise HTTPException(404, f"no entity with id {entity_id!r}")
        if cid != entity_id:  # merged into another entity: its page is the canonical's
            return RedirectResponse(f"{prefix}{cid}{query}", status_code=307)
        return None

    def resolve_filter(conn, name: str, value: str | None, type_: str | None = None) -> list[str] | None:
        """An entity filter (an id, or on pages also a name) as the ids it stands for."""
        if not value:
            return None
        cid = Q.find_entity(conn, value, type_)
        if cid is None:
            raise HTTPException(404, f"parameter {name!r}: no {'place' if type_ else 'entity'} with id or name {value!r}")
        return Q.members(conn, cid)

    # --- JSON API -------------------------------------------------------------------------
    @app.get("/api/search")
    def api_search(q: str = Query(..., min_length=1, max_length=200), limit: int = Query(20, ge=1, le=Q.MAX_PAGE)):
        """Entities, events, figures and articles matching `q` (full-text), each with its source sentence."""
        check_text("q", q)
        with engine.connect() as conn:
            return Q.search(conn, q, limit=limit)

    @app.get("/api/entities/{entity_id}")
    def api_entity(entity_id: str = _id(), limit: int = Query(100, ge=1, le=Q.MAX_PAGE, description="events, mentions and figures at most")):
        """The entity (with everything merged into it), its aliases, mentions, events by date and figures."""
        with engine.connect() as conn:
            redirect = entity_or_redirect(conn, entity_id, "/api/entities/", f"?limit={limit}" if limit != 100 else "")
            if redirect:
                return redirect
            return _api_entity(found(Q.get_entity(conn, entity_id, limit=limit, short=limit), "entity", entity_id))

    @app.get("/api/events")
    def api_events(
        entity: str | None = Query(None, max_length=64),
        type: str | None = Query(None, max_length=16, pattern=r"^[A-Z_]+$"),
        since: str | None = Query(None, max_length=10),
        until: str | None = Query(None, max_length=10),
        place: str | None = Query(None, max_length=64),
        limit: int = Query(Q.MAX_PAGE, ge=1, le=Q.MAX_PAGE),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
    ):
        """Events by date, each with its sentence and document; filters combine."""
        check_date("since", since), check_date("until", until), check_text("entity", entity), check_text("place", place)
        with engine.connect() as conn:
            ents = _ids(conn, "entity", entity)
            places = _ids(conn, "place", place)
            evs = Q.list_events(conn, entity_ids=ents, type_=type, since=since, until=until, place_ids=places, limit=limit, offset=offset)
        return [_api_event(e) for e in evs]

    def _ids(conn, name, value):
        if not value:
            return None
        cid = Q.canonical_id(conn, value)
        if cid is None:
            raise HTTPException(404, f"parameter {name!r}: no entity with id {value!r}")
        return Q.members(conn, cid)

    @app.get("/api/claims")
    def api_claims(
        group: str | None = Query(None, max_length=64),
        q: str | None = Query(None, max_length=200),
        limit: int = Query(Q.MAX_PAGE, ge=1, le=Q.MAX_PAGE),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
    ):
        """Figures grouped by the quantity they count: `groups` (each with `group`, `label`,
        `total`, its `claims` by as-of date and its `conflicts` as pairs with reasons) and
        `ungrouped`. Paged by figure (`limit`, `offset`; `next_offset` while more remain)."""
        check_text("group", group), check_text("q", q)
        with engine.connect() as conn:
            return Q.grouped_claims(conn, group=group, q=q, limit=limit, offset=offset)

    @app.get("/api/documents/{doc_id}")
    def api_document(doc_id: str = _id()):
        """The document with its sentences, mentions, dates, events and figures as offsets into `text`."""
        with engine.connect() as conn:
            rec = found(Q.get_document(conn, doc_id), "document", doc_id)
        rec["events"] = [_api_event(e) for e in rec["events"]]
        return rec

    # --- writes (corrections) -------------------------------------------------------------
    def require_writer(request: Request) -> None:
        if not write_token:
            raise HTTPException(403, "this server is read-only; start it with --write-token (or NEWSGRAPH_WRITE_TOKEN) to allow corrections")
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), write_token.encode()):
            raise HTTPException(401, "send the server's write token as 'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"})

    def corrections():
        try:
            from ..resolve import corrections as C
        except ImportError:
            raise HTTPException(501, "entity corrections are not available in this version of newsgraph") from None
        return C

    @app.post("/api/entities/merge", dependencies=[Depends(require_writer)])
    def api_merge(req: MergeRequest = Body(...)):
        """Record that entity `b` is the same as `a` (kept across rebuilds); returns the id that stays."""
        check_text("note", req.note)
        with engine.connect() as conn:
            a, b = Q.canonical_id(conn, req.a), Q.canonical_id(conn, req.b)
        for name, given, cid in (("a", req.a, a), ("b", req.b, b)):
            if cid is None:
                raise HTTPException(404, f"{name}: no entity with id {given!r}")
        if a == b:
            raise HTTPException(409, f"{req.a!r} and {req.b!r} are already one entity ({a})")
        try:
            kept = corrections().record_merge(engine, req.a, req.b, note=req.note)
        except (NewsgraphError, ValueError, LookupError) as err:
            raise HTTPException(400, f"merge refused: {err}") from None
        return {"merged": [req.a, req.b], "entity": kept}

    @app.post("/api/entities/{entity_id}/split", dependencies=[Depends(require_writer)])
    def api_split(entity_id: str = _id(), req: SplitRequest | None = Body(None)):
        """Undo merges into `entity_id` (kept across rebuilds); returns the ids that stand apart again."""
        note = req.note if req else None
        check_text("note", note)
        with engine.connect() as conn:
            found(Q.canonical_id(conn, entity_id), "entity", entity_id)
        try:
            ids = corrections().record_split(engine, entity_id, note=note)
        except (NewsgraphError, ValueError, LookupError) as err:
            raise HTTPException(400, f"split refused: {err}") from None
        return {"entities": ids}

    from . import uploads  # POST /api/documents and the home page's form

    app.include_router(uploads.make_router(engine, require_writer, write_token, analyser))

    # --- HTML pages -----------------------------------------------------------------------
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        """Browsers ask for /favicon.ico whatever the page links: send them to the SVG."""
        return RedirectResponse("/static/favicon.svg", status_code=308)

    @app.get("/", response_class=HTMLResponse)
    def home():
        with engine.connect() as conn:
            return page(
                "home.html",
                counts=Q.counts(conn),
                by_month=Q.documents_by_month(conn),
                latest_events=Q.latest_events(conn, limit=10),
                documents=Q.list_documents(conn, limit=30),
                entities=Q.top_entities(conn, limit=45),
                can_upload=bool(write_token),
            )

    @app.get("/search", response_class=HTMLResponse)
    def search_page(q: str = Query("", max_length=200), limit: int = Query(20, ge=1, le=Q.MAX_PAGE)):
        check_text("q", q)
        with engine.connect() as conn:
            results = Q.search(conn, q, limit=limit) if q.strip() else None
        return page("search.html", q=q, results=results)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse)
    def entity_page(entity_id: str = _id()):
        with engine.connect() as conn:
            redirect = entity_or_redirect(conn, entity_id, "/entities/")
            if redirect:
                return redirect
            return page("entity.html", e=found(Q.get_entity(conn, entity_id), "entity", entity_id))

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(doc_id: str = _id()):
        with engine.connect() as conn:
            doc = found(Q.get_document(conn, doc_id), "document", doc_id)
        return page("document.html", d=doc, body=highlight(doc))

    @app.get("/events", response_class=HTMLResponse)
    def events_page(
        type: str | None = Query(None, max_length=16),
        since: str | None = Query(None, max_length=10),
        until: str | None = Query(None, max_length=10),
        place: str | None = Query(None, max_length=200),
        entity: str | None = Query(None, max_length=200),
        limit: int = Query(100, ge=1, le=Q.MAX_PAGE),
    ):
        """Events filtered by type, date range, place and entity (ids or names), with a timeline and a map."""
        check_date("since", since), check_date("until", until), check_text("place", place), check_text("entity", entity)
        with engine.connect() as conn:
            types = Q.event_types(conn)
            if type and type not in types:
                raise HTTPException(422, f"parameter 'type'={type!r} is not an event type here; choose one of {', '.join(types)}")
            places = resolve_filter(conn, "place", place, "PLACE")
            ents = resolve_filter(conn, "entity", entity)
            evs = Q.list_events(conn, entity_ids=ents, type_=type or None, since=since, until=until, place_ids=places, limit=limit, primary_only=True)
        # The drawings get the same filters, with names resolved to canonical ids (the first member).
        same = {"type": type, "since": since, "until": until, "place": places[0] if places else None, "entity": ents[0] if ents else None}
        qs = urlencode({k: v for k, v in same.items() if v})
        f = {"type": type, "since": since, "until": until, "place_name": place, "entity_name": entity}
        return page("events.html", events=evs, places=Q.event_places(evs), types=types, f=f, qs=qs, limit=limit)

    @app.get("/figures", response_class=HTMLResponse)
    def figures_page(group: str | None = Query(None, max_length=64), limit: int = Query(20, ge=1, le=50), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
        """Each group of figures as a table over as-of dates, conflicts marked with their reasons."""
        check_text("group", group)
        with engine.connect() as conn:
            groups = Q.claim_groups(conn, group=group, limit=limit, offset=offset, per_group=Q.MAX_PAGE if group else 50)
            if group and not groups:
                raise HTTPException(404, f"no group of figures with id {group!r}")
            ungrouped = [] if group else Q.single_claims(conn)
        more = None if group or len(groups) < limit else f"/figures?limit={limit}&offset={offset + limit}"
        return page("figures.html", groups=groups, ungrouped=ungrouped, more=more)

    # --- errors ---------------------------------------------------------------------------
    def error(request: Request, status: int, message: str, headers=None):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status, headers=headers)
        return HTMLResponse(env.get_template("error.html").render(status=status, message=message), status_code=status, headers=headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(fts.SearchUnavailable)
    async def no_index(request: Request, exc: fts.SearchUnavailable):
        return error(request, 503, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return error(request, 422, "; ".join(_explain(e) for e in exc.errors()))

    return app


def _explain(err: dict) -> str:
    """One validation error as "parameter 'limit': must be at most 200 (got 100000)"."""
    loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
    name = ".".join(loc) or "request"
    got = err.get("input")
    shown = f" (got {str(got)[:40]!r})" if got is not None and not isinstance(got, dict) else ""
    return f"parameter {name!r}: {err.get('msg', 'invalid').lower()}{shown}"


def _api_event(ev: dict) -> dict:
    ev = dict(ev)
    ev.pop("place_record", None)
    return ev


def _api_entity(rec: dict) -> dict:
    rec = dict(rec)
    rec["events"] = [_api_event(e) for e in rec["events"]]
    return rec
