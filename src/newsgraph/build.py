"""`newsgraph build`: ingest, analyse per article, store, then resolve across articles.

Streaming throughout: inputs are read lazily, analysed in batches and committed batch by
batch, so memory stays flat whatever the corpus size and a killed build loses at most the
batch in flight. Documents already stored (same id, i.e. same input bytes) are skipped, so
rerunning a build adds nothing new.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from .errors import InputError, UsageError
from .extract.nlp import DEFAULT_MODEL
from .ingest import clean, iter_raw_documents
from .model import Article
from .resolve.corpus import Resolved, resolve_corpus
from .store.db import existing_document_ids, open_engine, set_meta
from .store.search import refresh as refresh_search
from .store.write import save_batch

if TYPE_CHECKING:
    from .extract.pipeline import Analyser


RESOLVE_EVERY = 256  # articles stored between resolutions while other processes analyse


@dataclass
class BuildReport:
    stored: int = 0
    already_stored: int = 0
    repeated_in_input: int = 0
    rejected: list[InputError] = field(default_factory=list)


def _chunked(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build(
    inputs: list[str],
    db: str,
    *,
    jobs: int = 1,
    model: str | None = None,
    aliases: str | None = None,
    events: str | None = None,
    batch_size: int = 32,
    progress: bool = True,
    err: TextIO = sys.stderr,
    analyser: Analyser | None = None,
    engine: str = "local",
    address: str | None = None,
    resolve_every: int = RESOLVE_EVERY,
) -> BuildReport:
    """Add the articles in `inputs` to the knowledge base at `db`; report what happened.

    `aliases` adds a user's alias file to the packaged one; `events` replaces the packaged event
    schema. `analyser` lets a caller that builds many times (tests, benchmarks) load the model once.
    `engine="ray"` analyses on Ray (ray_engine.py) with `jobs` actors, on the cluster at `address`
    or on a local Ray instance; the knowledge base is the same as with the local engine.

    With analysis in other processes (`jobs` > 1, or Ray), what is stored is resolved across
    articles every `resolve_every` articles while the workers go on, so that the resolution
    left after the last batch is that of the tail only. Resolution is incremental and ends
    where one resolution at the end would (tests/test_jobs.py), so this changes no answer.
    """
    if engine not in ("local", "ray"):
        raise UsageError(f"engine {engine!r}: expected 'local' or 'ray'")
    if engine == "ray":  # before touching the store: say so at once if Ray or the cluster is missing
        from .ray_engine import check_address, import_ray

        import_ray(address)
        check_address(address)
    kb = open_engine(db)
    model_name = analyser.model_name if analyser is not None else (model or DEFAULT_MODEL)
    report = BuildReport()

    def reject(error: InputError) -> None:
        report.rejected.append(error)
        if bar is not None:
            bar.clear()
        print(f"newsgraph: skipped {error}", file=err, flush=True)

    def articles() -> Iterator[Article]:
        for item in iter_raw_documents(inputs):
            if isinstance(item, InputError):
                reject(item)
                continue
            try:
                yield clean(item)
            except InputError as error:
                reject(error)

    def new_batches() -> Iterator[list[Article]]:
        seen: set[str] = set()
        for batch in _chunked(articles(), batch_size):
            fresh = []
            for a in batch:
                if a.id in seen:
                    report.repeated_in_input += 1
                else:
                    seen.add(a.id)
                    fresh.append(a)
            stored = existing_document_ids(kb, [a.id for a in fresh])
            report.already_stored += len(stored)
            if bar is not None:
                bar.update(len(stored))
            new = [a for a in fresh if a.id not in stored]
            if new:
                yield new

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit=" articles", desc="analysing", file=err, dynamic_ncols=True, mininterval=0.5)
    if engine == "ray":
        from .ray_engine import analyse_on_ray

        def skipped(what: str, n: int) -> None:
            setattr(report, what, getattr(report, what) + n)
            if bar is not None:
                bar.update(n)

        analysed = analyse_on_ray(
            inputs, db, workers=jobs, address=address, model=model, aliases=aliases, events=events,
            batch_size=batch_size, reject=reject, skipped=skipped,
        )
    else:
        from .extract.pipeline import analyse_batches  # spaCy: the Ray engine's driver does without

        analysed = analyse_batches(
            new_batches(), jobs=jobs, model=model, aliases=aliases, events=events, analyser=analyser,
            ahead=resolve_every,  # the workers go on through one resolution (below)
        )
    resolved = Resolved()
    overlap = jobs > 1 or engine == "ray"
    since_resolved = 0
    try:
        for extractions in analysed:
            if engine == "ray":  # workers may not see the store (or another build wrote meanwhile)
                stored = existing_document_ids(kb, [ex.article.id for ex in extractions])
                if stored:
                    skipped("already_stored", len(stored))
                    extractions = [ex for ex in extractions if ex.article.id not in stored]
            save_batch(kb, extractions, model_name)
            report.stored += len(extractions)
            if bar is not None:
                bar.update(len(extractions))
            since_resolved += len(extractions)
            if overlap and since_resolved >= resolve_every:
                resolved += resolve_corpus(kb, progress=False)
                since_resolved = 0
        if bar is not None:
            bar.close()
        with kb.begin() as conn:
            set_meta(conn, "nlp_model", model_name)
        resolved += resolve_corpus(kb, progress=False)  # (a local Ray instance stops meanwhile)
        if progress:
            resolved.print(err)
        refresh_search(kb)  # index only what this build added (store/search.py)
    finally:
        if bar is not None:
            bar.close()  # (does nothing the second time)
        analysed.close()  # on an error: stop the pool or the Ray stream now, not when collected
        if engine == "ray":
            from .ray_engine import wait_stopped

            wait_stopped()
        kb.dispose()
    return report
