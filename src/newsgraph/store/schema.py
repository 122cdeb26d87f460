"""The knowledge base schema, in one place, for SQLite and PostgreSQL.

Tables have plain names and foreign keys so the SQLite file can be opened as it is in
Datasette, pandas or DuckDB. Offsets are character offsets into `documents.text`.
Schema changes are named, ordered migrations (see `store/db.py`); bump SCHEMA_VERSION with
each one.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 7

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("byline", Text),
    Column("published", String(32)),
    Column("published_basis", String(16)),
    Column("published_reason", Text),
    Column("language", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("duplicate_of", String(40), ForeignKey("documents.id")),
    Column("duplicate_reason", Text),
    Column("nlp_model", String(64)),
    # Order of arrival: among copies of a story published the same day, the one stored first
    # is taken as the original.
    Column("seq", Integer),
)

sentences = Table(
    "sentences",
    metadata,
    Column("doc", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False),  # the resolution key mentions were grouped by
    Column("reason", Text),  # why mentions across documents were taken as this entity
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(2)),
    Column("geo_precision", String(16)),
    Column("geo_reason", Text),
    # Cross-article resolution (resolve/): null for an entity that stands for itself; otherwise
    # the id of the entity it was merged into, with the reason. Mentions, participants, claims
    # and quotes keep pointing at the entity of their own key, so a merge or a split never
    # rewrites them: readers map an id to COALESCE(canonical, id).
    Column("canonical", String(40), ForeignKey("entities.id")),
    Column("merge_reason", Text),
    UniqueConstraint("type", "key", name="uq_entities_type_key"),
    Index("ix_entities_canonical", "canonical"),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("entity", String(40), ForeignKey("entities.id"), primary_key=True),
    Column("alias", Text, primary_key=True),
    Column("reason", Text),
)

mentions = Table(
    "mentions",
    metadata,
    Column("doc", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("entity", String(40), ForeignKey("entities.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("label", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("local_key", String(16)),  # the entity's key within its document
    Column("sentence_start", Integer),
    Column("sentence_end", Integer),
    Column("link_reason", Text),
    Column("label_reason", Text),
    Index("ix_mentions_entity", "entity"),
    # Who is named in a given sentence, read from the index alone (the entity network's join).
    Index("ix_mentions_sentence", "doc", "sentence_start", "entity"),
)

timexes = Table(
    "timexes",
    metadata,
    Column("doc", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("value", String(32)),
    Column("precision", String(16)),
    Column("modifier", String(16)),
    Column("reason", Text),
)

# Events and figures: filled by the extraction stages of issue 3; the shape follows the contract.
events = Table(
    "events",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("doc", String(40), ForeignKey("documents.id"), nullable=False),
    Column("type", String(16), nullable=False),
    Column("plover", String(32)),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("trigger_text", Text, nullable=False),
    Column("sentence_start", Integer, nullable=False),
    Column("sentence_end", Integer, nullable=False),
    Column("date_value", String(32)),
    Column("date_text", Text),
    Column("place", String(40), ForeignKey("entities.id")),
    Column("attributed_entity", String(40), ForeignKey("entities.id")),
    Column("attributed_text", Text),
    Column("modality", String(16), nullable=False),
    Column("reliability", Text),
    Column("reason", Text),
    Column("same_as", String(40), ForeignKey("events.id")),  # one event reported by several articles
    Column("same_as_reason", Text),  # why it is taken as the same event (resolve/events.py)
    Index("ix_events_doc", "doc"),
    Index("ix_events_same_as", "same_as"),
)

event_participants = Table(
    "event_participants",
    metadata,
    Column("event", String(40), ForeignKey("events.id"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("role", String(16), nullable=False),
    Column("entity", String(40), ForeignKey("entities.id")),
    Column("text", Text, nullable=False),
    Column("reason", Text),
    # The event's type and its document's arrival counter (documents.seq), copied here so that
    # "the latest reports of this type naming X" is read from the end of one index
    # (resolve/events.py) instead of from every report naming X.
    Column("type", String(16)),
    Column("seq", Integer),
    Index("ix_event_participants_entity", "entity"),
    Index("ix_event_participants_recent", "entity", "type", "seq"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("doc", String(40), ForeignKey("documents.id"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", Float),
    Column("lower", Float),
    Column("upper", Float),
    Column("approximate", Boolean, nullable=False, default=False),
    Column("unit", String(16)),
    Column("what", Text),
    Column("sentence_start", Integer, nullable=False),
    Column("sentence_end", Integer, nullable=False),
    Column("source_entity", String(40), ForeignKey("entities.id")),
    Column("source_text", Text),
    Column("as_of_value", String(32)),
    Column("as_of_text", Text),
    Column("as_of_reason", Text),  # how the date was found ("the date of the return 'flown' ...")
    Column("reliability", Text),
    Column("group_id", String(40)),
    Column("group_label", Text),  # what the group counts, in words (resolve/claims.py)
    Column("group_reason", Text),  # why this figure is in its group
    Index("ix_claims_doc", "doc"),
    Index("ix_claims_group", "group_id"),
)

claim_conflicts = Table(
    "claim_conflicts",
    metadata,
    Column("claim", String(40), ForeignKey("claims.id"), primary_key=True),
    Column("other", String(40), ForeignKey("claims.id"), primary_key=True),
    Column("reason", Text, nullable=False),
)

quotes = Table(
    "quotes",
    metadata,
    Column("doc", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("speaker_entity", String(40), ForeignKey("entities.id")),
    Column("speaker_text", Text),
)

# MinHash LSH bands of each document, for finding re-published copies (resolve/duplicates.py).
doc_bands = Table(
    "doc_bands",
    metadata,
    Column("doc", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("band", Integer, primary_key=True),  # -1 marks a document too short to shingle
    Column("hash", String(16), nullable=False),
    Index("ix_doc_bands_band_hash", "band", "hash"),
)

# ---------------------------------------------------------------------------------------------
# Entity identity across articles (resolve/coref.py, resolve/corrections.py). Schema version 3.

# Blocking keys of each resolved entity ("PERSON|k:zarema sokolova"): a new entity's candidates
# are the entities sharing one of its keys, found by an indexed lookup whatever the size of the base.
entity_blocks = Table(
    "entity_blocks",
    metadata,
    Column("block", String(255), primary_key=True),
    Column("entity", String(40), ForeignKey("entities.id"), primary_key=True),
)

# Entities the resolver has already looked at; what is not here is new.
entity_resolved = Table(
    "entity_resolved",
    metadata,
    Column("entity", String(40), ForeignKey("entities.id"), primary_key=True),
)

# A user's corrections, in the order given, re-applied after every resolution run. `merge`:
# entity and other are one; `split`: entity must not be one with other (one row per pair).
# Ids are derived from resolution keys, so corrections keep meaning across rebuilds.
entity_corrections = Table(
    "entity_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(8), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("other", String(40), nullable=False),
    Column("note", Text),
    Column("created", String(32), nullable=False),
    Index("ix_entity_corrections_entity", "entity"),
    Index("ix_entity_corrections_other", "other"),
)
