"""Cross-article resolution, run after each build over what is new."""

from __future__ import annotations

import sys
from typing import TextIO

from sqlalchemy import Engine

from ..store.db import resolution_lock
from .coref import resolve_entities
from .claims import resolve_claims
from .duplicates import find_duplicates, forget_duplicates
from .events import resolve_events


def resolve_corpus(engine: Engine, *, full: bool = False, progress: bool = True, err: TextIO = sys.stderr) -> None:
    """Everything that needs more than one article, over what is new (over everything when
    `full`: after an upgrade changed the rules, or an alias file changed): copies of a story, one
    entity per real-world thing, figures grouped by quantity, one event per set of reports.
    A user's merges and splits (`newsgraph merge`/`split`) are applied again either way."""
    # One resolution at a time per base: two builds finishing together must not interleave.
    with resolution_lock(engine):
        if full:
            forget_duplicates(engine)
        marked = find_duplicates(engine)
        merged = resolve_entities(engine, rebuild=full)
        # Figures and events compare entities through COALESCE(canonical, id): after the merges.
        _grouped, conflicts = resolve_claims(engine, full=full)
        linked = resolve_events(engine, full=full)
    if progress and marked:
        print(f"newsgraph: {marked} document(s) marked as copies of an earlier story", file=err)
    if progress and merged:
        print(f"newsgraph: {merged} entit{'y' if merged == 1 else 'ies'} merged with one named in other articles", file=err)
    if progress and conflicts:
        print(f"newsgraph: {conflicts} pair(s) of figures for the same quantity and period disagree", file=err)
    if progress and linked:
        print(f"newsgraph: {linked} event report(s) matched with a report of the same event", file=err)
