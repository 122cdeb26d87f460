"""The command line: parse options, call the library, turn its errors into one line and an exit status.

Exit status: 0 on success, 1 when some inputs were rejected (each named on stderr), 2 on
usage errors.
"""

from __future__ import annotations

import json
import sys

import click

from . import __version__
from .errors import NewsgraphError, UsageError

db_option = click.option(
    "--db",
    default=None,
    metavar="PATH|URL",
    help="SQLite file path (default: $NEWSGRAPH_DB or newsgraph.db) or a postgresql:// URL.",
)


def _db(db: str | None) -> str:
    from .store.db import default_db_path

    return db or default_db_path()


def _fail(err: Exception) -> None:
    click.echo(f"newsgraph: {err}", err=True)
    sys.exit(2 if isinstance(err, UsageError) else 1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgraph")
def cli() -> None:
    """Turn news articles into a sourced knowledge base of entities, places, dates, events and figures."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@db_option
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 4096), help="Processes for per-article analysis (with --engine ray: analysis actors).")
@click.option("--model", default=None, help="spaCy model name to load (default: the pinned, measured one).")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False), help="Your alias file (same TSV format as data/aliases.tsv), added to the packaged one.")
@click.option("--events", "event_schema", type=click.Path(exists=True, dir_okay=False), help="An event schema TSV replacing data/events.tsv.")
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1, 10_000), help="Articles per committed batch.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True, help="Where per-article analysis runs: this machine's process pool, or Ray (needs newsgraph[ray]).")
@click.option("--address", default=None, metavar="ADDR", help="With --engine ray: the Ray cluster to join (HOST:PORT or ray://HOST:PORT); default a local Ray instance.")
def build(inputs, db, jobs, model, aliases, event_schema, batch_size, quiet, engine, address) -> None:
    """Ingest files and folders (txt, html, jsonl, warc[.gz]) into the knowledge base.

    Incremental and idempotent: articles already stored are skipped.
    """
    from .build import build as run_build

    try:
        report = run_build(
            list(inputs),
            _db(db),
            jobs=jobs,
            model=model,
            aliases=aliases,
            events=event_schema,
            batch_size=batch_size,
            progress=not quiet,
            engine=engine,
            address=address,
        )
    except NewsgraphError as err:
        _fail(err)
    parts = [f"{report.stored} new article(s) stored", f"{report.already_stored} already stored"]
    if report.repeated_in_input:
        parts.append(f"{report.repeated_in_input} repeated in the input")
    if report.rejected:
        parts.append(f"{len(report.rejected)} input(s) rejected (see above)")
    click.echo("newsgraph: " + ", ".join(parts), err=True)
    sys.exit(1 if report.rejected else 0)


@cli.command()
@db_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write the files into.")
@click.option(
    "--format",
    "formats",
    default="jsonl,csv",
    show_default=True,
    metavar="LIST",
    help="Comma-separated: jsonl (the contract files), csv, geojson (places, events), graphml and gexf (the entity network), parquet (needs pyarrow).",
)
@click.option("--network-types", default="PERSON,ORG", show_default=True, metavar="LIST", help="Entity types that are nodes of the network (add PLACE for places).")
@click.option("--no-csv", is_flag=True, help="Leave CSV out of --format.")
def export(db, out, formats, network_types, no_csv) -> None:
    """Write documents, entities, events and claims as JSON Lines (and CSV, GeoJSON, GraphML, GEXF, Parquet)."""
    from .store.db import open_engine
    from .store.formats import parse_formats, write_exports

    try:
        chosen = [f for f in parse_formats(formats) if not (no_csv and f == "csv")]
        if not chosen:
            raise UsageError("--no-csv left no format to write; add one to --format")
        written = write_exports(open_engine(_db(db), create=False), out, chosen, network_types=network_types)
    except NewsgraphError as err:
        _fail(err)
    click.echo("newsgraph: wrote " + ", ".join(f"{name} ({what})" for name, what in written.items()) + f" to {out}", err=True)


@cli.command()
@db_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; keep the default unless you mean to share it.")
@click.option(
    "--write-token",
    envvar="NEWSGRAPH_WRITE_TOKEN",
    default=None,
    metavar="TOKEN",
    help="Allow corrections (merge/split) from requests sending 'Authorization: Bearer TOKEN'; read-only without it. Also $NEWSGRAPH_WRITE_TOKEN.",
)
def serve(db, port, host, write_token) -> None:
    """Serve the web UI and HTTP API (read-only unless given a write token)."""
    import uvicorn

    from .store.db import open_engine
    from .web.app import create_app

    try:
        engine = open_engine(_db(db), create=False)
    except NewsgraphError as err:
        _fail(err)
    from .store.db import display_url

    click.echo(f"newsgraph: serving {display_url(_db(db))} on http://{host}:{port}/", err=True)
    if write_token is not None and len(write_token) < 16:
        _fail(UsageError("--write-token: use at least 16 characters (e.g. `python -c 'import secrets; print(secrets.token_urlsafe())'`)"))
    click.echo("newsgraph: " + ("corrections and uploads allowed with the write token" if write_token else "read-only (no --write-token)"), err=True)
    uvicorn.run(create_app(engine, write_token=write_token), host=host, port=port, log_level="warning")


@cli.command()
@db_option
def info(db) -> None:
    """Print version, NLP model and counts as JSON."""
    from .extract.nlp import DEFAULT_MODEL
    from .store.db import counts, display_url, get_meta, open_engine

    out = {"version": __version__, "nlp": {"model": DEFAULT_MODEL, "version": model_version(DEFAULT_MODEL)}, "counts": {}}
    path = _db(db)
    try:
        engine = open_engine(path, create=False)
    except UsageError as err:
        engine = None
        if db is not None:
            click.echo(f"newsgraph: {err}", err=True)
            sys.exit(2)
    if engine is not None:
        with engine.connect() as conn:
            used = get_meta(conn, "nlp_model")
        if used:
            out["nlp"] = {"model": used, "version": model_version(used)}
        out["counts"] = counts(engine)
        out["db"] = display_url(path)
    click.echo(json.dumps(out, indent=2))


def _existing_engine(db: str | None):
    """An existing knowledge base (a clear error when there is none), migrated to the current schema."""
    from .store.db import migrate, open_engine

    engine = open_engine(_db(db), create=False)
    migrate(engine)
    return engine


@cli.command()
@click.argument("a_id", metavar="ID")
@click.argument("b_id", metavar="ID")
@db_option
@click.option("--note", default=None, help="Why: kept with the correction and shown as the merge reason.")
def merge(a_id, b_id, db, note) -> None:
    """Record that two entities are one (kept across rebuilds); prints the canonical id."""
    from .resolve.corrections import record_merge

    try:
        root = record_merge(_existing_engine(db), a_id, b_id, note=note)
    except NewsgraphError as err:
        _fail(err)
    click.echo(root)


@cli.command()
@click.argument("entity_id", metavar="ID")
@db_option
@click.option("--note", default=None, help="Why: kept with the correction.")
def split(entity_id, db, note) -> None:
    """Take an entity out of the one it was merged into, for good; prints the affected ids."""
    from .resolve.corrections import record_split

    try:
        affected = record_split(_existing_engine(db), entity_id, note=note)
    except NewsgraphError as err:
        _fail(err)
    click.echo("\n".join(affected))


@cli.command()
@db_option
@click.option("--full", is_flag=True, help="Decide everything again, not only what is new (after an upgrade or an alias change).")
@click.option("--quiet", is_flag=True, help="No summary on stderr.")
def resolve(db, full, quiet) -> None:
    """Resolve across articles again: story copies, entity merges, figure groups, event links.

    A build already does this for what it adds; run it with --full after upgrading newsgraph or
    changing an alias file, so that earlier articles are judged by the same rules. A user's merges
    and splits are kept.
    """
    from .resolve.corpus import resolve_corpus
    from .store.search import refresh

    try:
        engine = _existing_engine(db)
        resolve_corpus(engine, full=full, progress=not quiet, err=sys.stderr)
        refresh(engine, full=full)
    except NewsgraphError as err:
        _fail(err)


def model_version(name: str) -> str | None:
    """The version in an installed spaCy model package's meta.json, without loading it."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    pkg = Path(spec.origin).parent
    for meta in sorted(pkg.glob("*/meta.json")):
        return json.loads(meta.read_text(encoding="utf-8")).get("version")
    return None


def main() -> None:
    cli()
