"""Cross-article resolution, run after each build over what is new."""

from __future__ import annotations

import sys
from typing import TextIO

from sqlalchemy import Engine

from .duplicates import find_duplicates


def resolve_corpus(engine: Engine, *, progress: bool = True, err: TextIO = sys.stderr) -> None:
    """Everything that needs more than one article: for now, re-published copies of a story."""
    marked = find_duplicates(engine)
    if progress and marked:
        print(f"newsgraph: {marked} document(s) marked as copies of an earlier story", file=err)
