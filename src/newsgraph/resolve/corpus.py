"""Cross-article resolution, run after each build over what is new."""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields
from typing import TextIO

from sqlalchemy import Engine

from ..store.db import resolution_lock
from .coref import resolve_entities
from .claims import resolve_claims
from .duplicates import find_duplicates, forget_duplicates
from .events import resolve_events


@dataclass
class Resolved:
    """What a resolution run changed, for the summary a build prints."""

    copies: int = 0
    merged: int = 0
    conflicts: int = 0
    linked: int = 0

    def __iadd__(self, other: "Resolved") -> "Resolved":
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    def print(self, err: TextIO) -> None:
        if self.copies:
            print(f"newsgraph: {self.copies} document(s) marked as copies of an earlier story", file=err)
        if self.merged:
            n = self.merged
            print(f"newsgraph: {n} entit{'y' if n == 1 else 'ies'} merged with one named in other articles", file=err)
        if self.conflicts:
            print(f"newsgraph: {self.conflicts} pair(s) of figures for the same quantity and period disagree", file=err)
        if self.linked:
            print(f"newsgraph: {self.linked} event report(s) matched with a report of the same event", file=err)


def resolve_corpus(engine: Engine, *, full: bool = False, progress: bool = True, err: TextIO = sys.stderr) -> Resolved:
    """Everything that needs more than one article, over what is new (over everything when
    `full`: after an upgrade changed the rules, or an alias file changed): copies of a story, one
    entity per real-world thing, figures grouped by quantity, one event per set of reports.
    A user's merges and splits (`newsgraph merge`/`split`) are applied again either way.
    Prints what it changed when `progress`; returns it."""
    # One resolution at a time per base: two builds finishing together must not interleave.
    with resolution_lock(engine):
        if full:
            forget_duplicates(engine)
        done = Resolved(copies=find_duplicates(engine))
        done.merged = resolve_entities(engine, rebuild=full)
        # Figures and events compare entities through COALESCE(canonical, id): after the merges.
        _grouped, done.conflicts = resolve_claims(engine, full=full)
        done.linked = resolve_events(engine, full=full)
    if progress:
        done.print(err)
    return done
