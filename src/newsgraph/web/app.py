"""The web UI and HTTP API: a thin layer over the read-side queries.

Read-only; article text is untrusted, so every page is rendered through Jinja2 with
autoescaping and served with a Content-Security-Policy that forbids inline script.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine

from .. import __version__
from . import queries as Q
from . import viz
from .render import highlight

HERE = Path(__file__).parent
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"


def create_app(engine: Engine) -> FastAPI:
    app = FastAPI(title="newsgraph", version=__version__, description="A sourced knowledge base built from news articles.")
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(viz.make_router(engine))
    from . import downloads  # GeoJSON, GraphML, GEXF, CSV, Parquet under /download/

    app.include_router(downloads.make_router(engine))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def page(name: str, **ctx) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx))

    def found(rec, what: str, ident: str):
        if rec is None:
            raise HTTPException(status_code=404, detail=f"no {what} with id {ident!r}")
        return rec

    # --- JSON API -------------------------------------------------------------------------
    @app.get("/api/search")
    def api_search(q: str = Query(..., min_length=1, max_length=200), limit: int = Query(50, ge=1, le=Q.MAX_PAGE)):
        with engine.connect() as conn:
            return Q.search(conn, q, limit)

    @app.get("/api/entities/{entity_id}")
    def api_entity(entity_id: str):
        with engine.connect() as conn:
            return found(Q.get_entity(conn, entity_id), "entity", entity_id)

    @app.get("/api/events")
    def api_events(
        entity: str | None = None,
        type: str | None = Query(None, max_length=16),
        since: str | None = Query(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
        until: str | None = Query(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
        place: str | None = None,
        limit: int = Query(Q.MAX_PAGE, ge=1, le=Q.MAX_PAGE),
    ):
        with engine.connect() as conn:
            return Q.list_events(conn, entity=entity, type_=type, since=since, until=until, place=place, limit=limit)

    @app.get("/api/claims")
    def api_claims(group: str | None = None, q: str | None = Query(None, max_length=200), limit: int = Query(Q.MAX_PAGE, ge=1, le=Q.MAX_PAGE)):
        with engine.connect() as conn:
            return Q.list_claims(conn, group=group, q=q, limit=limit)

    @app.get("/api/documents/{doc_id}")
    def api_document(doc_id: str):
        with engine.connect() as conn:
            return found(Q.get_document(conn, doc_id), "document", doc_id)

    # --- HTML pages -----------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def home():
        with engine.connect() as conn:
            return page("home.html", documents=Q.list_documents(conn, limit=100), entities=Q.top_entities(conn, limit=60))

    @app.get("/search", response_class=HTMLResponse)
    def search_page(q: str = Query("", max_length=200)):
        with engine.connect() as conn:
            results = Q.search(conn, q) if q.strip() else None
        return page("search.html", q=q, results=results)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse)
    def entity_page(entity_id: str):
        with engine.connect() as conn:
            return page("entity.html", e=found(Q.get_entity(conn, entity_id), "entity", entity_id))

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(doc_id: str):
        with engine.connect() as conn:
            doc = found(Q.get_document(conn, doc_id), "document", doc_id)
        return page("document.html", d=doc, body=highlight(doc["text"], doc["mentions"], doc["timexes"]))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return HTMLResponse(env.get_template("error.html").render(status=exc.status_code, message=exc.detail), status_code=exc.status_code)

    return app
