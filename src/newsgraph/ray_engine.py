"""`newsgraph build --engine ray`: per-article analysis on a Ray cluster (or a local Ray instance).

The same stages as the local engine, laid out as one Ray Data stream:

    ArticleSource (read tasks: read files, clean)  ──▶  map_batches(AnalyseBatch, actors)  ──▶  driver
        one task per JSONL/WARC shard,                   each actor loads the spaCy model          saves each batch,
        small files grouped                              once, skips stored ids, analyses          then resolves

Memory stays bounded whatever the corpus size: read tasks yield small blocks as they go, and
Ray Data's streaming executor holds only a bounded number of blocks in flight (backpressure).
Order is preserved end to end, so documents are stored in the same order as by the local
engine, and the knowledge base (ids, arrival order, first-seen alias reasons) is the same.

Ray is an optional dependency (`pip install 'newsgraph[ray]'`; `make install` installs it).
"""

from __future__ import annotations

import os
import pickle
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import InputError, UsageError
from .model import Extraction

ROWS_PER_BLOCK = 16  # articles per block read and per actor call (spaCy parses them together)
FILES_PER_TASK = 64  # small .txt/.html files read by one read task
CONTAINERS = {"jsonl", "warc"}  # files holding many articles: one read task each (a crawl shard)


def import_ray(address: str | None = None):
    """The `ray` module, or a UsageError saying how to install it."""
    if address and "RAY_AUTH_MODE" not in os.environ and (
        os.environ.get("RAY_AUTH_TOKEN") or os.environ.get("RAY_AUTH_TOKEN_PATH") or (Path.home() / ".ray" / "auth_token").exists()
    ):
        # A cluster started by `ray start --head` requires its token. Ray 2.60 reads ~/.ray/auth_token
        # by itself only for address="auto", and reads the mode once, at import.
        os.environ["RAY_AUTH_MODE"] = "token"
    # Ray reports usage statistics over the network unless told not to; a build never needs the network.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    # Ray Data logs each dataset's plan and timings at INFO on stderr; a build reports its own progress.
    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")
    try:
        import ray
        import ray.data  # noqa: F401  (Ray Data ships in the ray[data] extra)
    except ImportError as err:
        raise UsageError(
            f"--engine ray needs Ray Data, which is not installed ({err}); run "
            "`pip install 'newsgraph[ray]'` (or `make install`), or build with --engine local"
        ) from err
    return ray


def check_address(address: str | None, timeout: float = 5.0) -> None:
    """Fail fast, with a readable message, when a cluster address does not answer."""
    if address is None or address in ("auto", "local"):
        return
    hostport = address.split("://", 1)[-1].rstrip("/")
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--address {address!r}: expected HOST:PORT (e.g. 10.0.0.5:6379) or ray://HOST:PORT")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except OSError as err:
        raise UsageError(
            f"--address {address}: no Ray cluster answers there ({err.strerror or err}); start one with "
            "`ray start --head` on that machine, check the host and port, or leave out --address "
            "to run on a local Ray instance"
        ) from err


_stopping: threading.Thread | None = None  # the shutdown of a local instance, under way (stop_soon)


def stop_soon() -> None:
    """Disconnect, and shut down the local Ray instance this process started, in the background.

    Ray stops its daemons one after the other, asking each to exit and waiting for it: over a
    second here, none of it this process's CPU. The build resolves its last articles meanwhile,
    then calls `wait_stopped()`.
    """
    global _stopping
    _stopping = threading.Thread(target=import_ray().shutdown, name="newsgraph-ray-shutdown")
    _stopping.start()


def wait_stopped() -> None:
    """Return once a shutdown begun by `stop_soon()` has finished (at once if none is under way)."""
    global _stopping
    if _stopping is not None:
        _stopping.join()
        _stopping = None


def connect(address: str | None, workers: int) -> bool:
    """Make sure this process is connected to Ray; return True when this call started the connection.

    With no address and no Ray already running in this process, a private local instance is
    started with room for `workers` analysis actors plus the reading (no dashboard, no network).
    """
    wait_stopped()  # an earlier build's instance is gone before a new one starts
    ray = import_ray(address)
    if ray.is_initialized():
        return False
    import logging

    if address:
        check_address(address)
        try:
            ray.init(address=address, logging_level=logging.ERROR)
        except (ConnectionError, RuntimeError, ValueError) as err:
            raise UsageError(
                f"--address {address}: could not join the Ray cluster ({err}); if it uses token authentication "
                "(the default), copy the head's ~/.ray/auth_token here or set RAY_AUTH_TOKEN"
            ) from err
    else:
        # Logical CPUs: one per actor and one for the driver and the reading, which also run here.
        ray.init(num_cpus=workers + 1, include_dashboard=False, logging_level=logging.ERROR)
    return True


# --- reading: one Ray Data datasource over the input paths ------------------------------------


def _input_groups(inputs: list[str]) -> list[list[str]]:
    """The inputs as groups of paths, one read task each, in input order.

    A path that is missing, or a folder with no supported file, is a group of its own, so that
    its read task yields the same InputError (same message) as the local engine.
    """
    from .ingest.readers import file_kind, walk_folder  # the local engine's own folder walk and kinds

    groups: list[list[str]] = []
    small: list[str] = []

    def flush() -> None:
        if small:
            groups.append(small.copy())
            small.clear()

    for path in inputs:
        p = Path(path)
        files = list(walk_folder(p)) if p.is_dir() else [p]
        if not p.exists() or not files:
            flush()
            groups.append([path])
            continue
        for f in files:
            if file_kind(f) in CONTAINERS:
                flush()
                groups.append([str(f)])
            else:
                small.append(str(f))
                if len(small) >= FILES_PER_TASK:
                    flush()
    flush()
    return groups


def _block(rows: list[tuple[str, str, bytes]]):
    import pyarrow as pa

    kinds, ids, payloads = zip(*rows) if rows else ((), (), ())
    return pa.table(
        {"kind": pa.array(kinds, pa.string()), "id": pa.array(ids, pa.string()), "payload": pa.array(payloads, pa.binary())}
    )


def _error_payload(error: InputError) -> bytes:
    # Its fields, not the exception: an exception whose __init__ takes two arguments does not unpickle.
    return pickle.dumps((error.source, error.reason))


def read_group(paths: list[str]) -> Iterator:
    """Read and clean the articles of `paths`; blocks of rows (kind, id, pickled Article or InputError)."""
    from .ingest import clean, iter_raw_documents

    rows: list[tuple[str, str, bytes]] = []
    for item in iter_raw_documents(paths):
        if isinstance(item, InputError):
            rows.append(("error", "", _error_payload(item)))
        else:
            try:
                article = clean(item)
                rows.append(("article", article.id, pickle.dumps(article)))
            except InputError as error:
                rows.append(("error", "", _error_payload(error)))
        if len(rows) >= ROWS_PER_BLOCK:
            yield _block(rows)
            rows = []
    if rows:
        yield _block(rows)


def article_source(inputs: list[str]):
    """A Ray Data datasource reading `inputs` (files, folders, JSONL, WARC) as cleaned articles."""
    from ray.data import Datasource, ReadTask
    from ray.data.block import BlockMetadata

    class ArticleSource(Datasource):
        def __init__(self, groups: list[list[str]]):
            super().__init__()
            self.groups = groups

        def estimate_inmemory_data_size(self):
            return None

        def get_read_tasks(self, parallelism, per_task_row_limit=None, data_context=None):
            # One task per group whatever `parallelism` asks: a shard is the unit of work.
            return [
                ReadTask(lambda g=g: read_group(g), BlockMetadata(num_rows=None, size_bytes=None, input_files=g, exec_stats=None))
                for g in self.groups
            ]

        def get_name(self) -> str:
            return "NewsArticles"

    return ArticleSource(_input_groups(inputs))


# --- analysis: one actor per worker, the model loaded once ------------------------------------


class AnalyseBatch:
    """A Ray Data actor: loads the NLP model once, then analyses blocks of cleaned articles.

    With `db` (a knowledge base this worker can open: a PostgreSQL URL, or a SQLite file on a
    local Ray instance) articles already stored are not analysed again.
    """

    def __init__(self, model: str | None, aliases: str | None, events: str | None, db: str | None):
        from .extract.pipeline import Analyser

        from .extract.gazetteer import load_gazetteer

        self.analyser = Analyser.load(model, aliases, events)
        load_gazetteer()  # now, with the model, rather than inside the first batch
        self.store = None
        if db is not None:
            from .store.db import open_engine

            self.store = open_engine(db, create=False)

    def __call__(self, batch):
        from .store.db import existing_document_ids

        rows = batch.to_pydict()
        kinds, ids, payloads = rows["kind"], rows["id"], rows["payload"]
        todo = [i for i, k in enumerate(kinds) if k == "article"]
        stored = existing_document_ids(self.store, [ids[i] for i in todo]) if self.store and todo else set()
        fresh = [i for i in todo if ids[i] not in stored]
        extractions = self.analyser.analyse([pickle.loads(payloads[i]) for i in fresh])
        out = list(zip(kinds, ids, payloads))
        for i in todo:
            if ids[i] in stored:
                out[i] = ("stored", ids[i], b"")
        for i, ex in zip(fresh, extractions):
            out[i] = ("extraction", ids[i], pickle.dumps(ex))
        return _block(out)


def _db_reachable_from_workers(db: str, address: str | None) -> str | None:
    """The store address the actors may open to skip stored articles, or None when they cannot."""
    if "://" in db and not db.startswith("sqlite"):
        return db  # a database server: every worker can reach it
    if address or not Path(db).exists():
        return None  # a SQLite file on this machine: a remote worker cannot open it (nothing stored yet, if new)
    return str(Path(db).resolve())  # a local Ray instance: same machine, maybe another working directory


def analyse_on_ray(
    inputs: list[str],
    db: str,
    *,
    workers: int,
    address: str | None,
    model: str | None,
    aliases: str | None,
    events: str | None,
    batch_size: int,
    reject: Callable[[InputError], None],
    skipped: Callable[[str, int], None],
) -> Iterator[list[Extraction]]:
    """Analyse every new article in `inputs` on Ray; yield batches of extractions in input order.

    Rejected inputs go to `reject`; articles not analysed are counted through
    `skipped("already_stored" | "repeated_in_input", n)`. The caller stores each batch (after
    checking, as the local engine does, which ids are already stored). A local Ray instance
    started here is shut down in the background when the last batch has been yielded: the
    caller calls `wait_stopped()` when it has finished with the results.
    """
    started = connect(address, workers)
    ray = import_ray()
    import warnings

    # Ray Data warns when an input has fewer blocks than actors (a small build): nothing to act on.
    warnings.filterwarnings("ignore", message="The minimum number of concurrent actors", category=UserWarning)
    try:
        from ray.data import ActorPoolStrategy, DataContext

        ctx = DataContext.get_current()
        ctx.execution_options.preserve_order = True  # same arrival order as the local engine
        ctx.enable_progress_bars = False  # the build shows its own
        ds = ray.data.read_datasource(
            article_source(inputs),
            # Reading is light next to analysis: it takes no CPU slot, so it never waits behind
            # the actors holding them all; one reader per four actors keeps them fed.
            num_cpus=0,
            concurrency=max(1, workers // 4),
        )
        ds = ds.map_batches(
            AnalyseBatch,
            fn_constructor_args=(model, aliases, events, _db_reachable_from_workers(db, address)),
            batch_size=ROWS_PER_BLOCK,
            batch_format="pyarrow",
            compute=ActorPoolStrategy(size=workers),
            num_cpus=1,
        )
        seen: set[str] = set()
        pending: list[Extraction] = []
        for block in ds.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1):
            rows = block.to_pydict()
            for kind, doc_id, payload in zip(rows["kind"], rows["id"], rows["payload"]):
                if kind == "error":
                    reject(InputError(*pickle.loads(payload)))
                elif doc_id in seen:
                    skipped("repeated_in_input", 1)
                else:
                    seen.add(doc_id)
                    if kind == "stored":
                        skipped("already_stored", 1)
                    else:
                        pending.append(pickle.loads(payload))
                if len(pending) >= batch_size:
                    yield pending
                    pending = []
        if pending:
            yield pending
    finally:
        if started:
            stop_soon()


__all__ = [
    "AnalyseBatch", "analyse_on_ray", "article_source", "check_address", "connect", "import_ray", "stop_soon", "wait_stopped",
]
