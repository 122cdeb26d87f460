"""Read-side queries shared by the HTML pages and the JSON API, one module per subject:
`entities` (an entity, its page, the most mentioned), `documents` (articles and counts),
`events`, `claims` (figures and their groups) and `fulltext` (search across all of them), on
shared helpers in `_common`. Parameterised SQLAlchemy Core only, portable between SQLite and
PostgreSQL. Every list is bounded (MAX_PAGE). Entity identity: a row with `canonical` set was
merged into that entity, so a reader works on the *members* of an entity (itself and everything
merged into it) and shows each id as its canonical one. Import this package (`from . import
queries as Q`), not its modules: the names below are its interface.
"""

from __future__ import annotations

from ._common import MAX_PAGE, canonical_id, members, places_add
from .claims import claim_groups, grouped_claims, list_claims, single_claims
from .documents import counts, documents_by_month, get_document, list_documents
from .entities import COOCCUR_MENTIONS, cooccurring, entity_claims, find_entity, get_entity, top_entities
from .events import event_places, event_types, latest_events, list_events, next_period
from .fulltext import search

__all__ = [
    "COOCCUR_MENTIONS",
    "MAX_PAGE",
    "canonical_id",
    "claim_groups",
    "cooccurring",
    "counts",
    "documents_by_month",
    "entity_claims",
    "event_places",
    "event_types",
    "find_entity",
    "get_document",
    "get_entity",
    "grouped_claims",
    "latest_events",
    "list_claims",
    "list_documents",
    "list_events",
    "members",
    "next_period",
    "places_add",
    "search",
    "single_claims",
    "top_entities",
]
