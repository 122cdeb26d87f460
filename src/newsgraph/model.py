"""Plain data types passed between stages.

The flow is one way: ingest produces `RawDocument` then `Article`; per-article extraction
returns an `Extraction` of plain dataclasses; resolution and the store work from those.
Every offset is a character offset into `Article.text`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RawDocument:
    """One input article as read from disk, before cleaning.

    Exactly one of `text` (plain text) or `html` is set. Metadata fields are whatever the
    container gave (JSONL keys, WARC headers); None when unknown.
    """

    source: str  # path, path#L<line> for JSONL, path#R<record> for WARC, or the URL
    data: bytes  # the exact bytes the id is computed from
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass
class Article:
    """A cleaned article: the unit every later stage works on."""

    id: str
    source: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date truncated to what the source supports
    published_basis: str | None = None  # metadata | byline | url | inferred | None
    published_reason: str | None = None
    language: str = "en"
    url: str | None = None
    outlet: str | None = None
    byline: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Timex:
    """A time expression with its value normalised against the publication date."""

    start: int
    end: int
    text: str
    type: str  # DATE | DURATION | SET | TIME
    value: str | None  # ISO 8601 truncated ("2014", "2019-03", "2017-08-28", "2014-SU"); None if undetermined
    precision: str | None = None  # year | season | quarter | month | week | day | time
    reason: str | None = None  # how the value was found ("relative to publication date 2019-03-14")
    modifier: str | None = None  # START | MID | END | BEFORE | AFTER | SINCE ... ("mid-October" -> MID)


@dataclass
class PlaceResolution:
    """Where a place name points, and why."""

    geonameid: int | None
    name: str  # canonical gazetteer name
    lat: float
    lon: float
    country: str | None  # ISO 3166 alpha-2
    precision: str  # country | region | city
    reason: str


@dataclass
class Mention:
    """One mention of an entity inside an article."""

    start: int
    end: int
    text: str
    label: str  # PERSON | ORG | PLACE | NORP | ...
    name: str  # the normalised name this mention stands for (honorifics stripped, short form -> full)
    sentence: tuple[int, int] | None = None
    link_reason: str | None = None  # why a short form / acronym / alias points to `name`, or why it stayed unlinked


@dataclass
class LocalEntity:
    """An entity within one article: the mentions that name one thing."""

    key: str  # article-local id ("e0", "e1", ...)
    label: str
    name: str  # canonical name in this article (longest full form)
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    label_reason: str | None = None
    place: PlaceResolution | None = None
    place_unresolved_reason: str | None = None


@dataclass
class Participant:
    """Who takes part in an event, in which role (agent, patient, origin, destination, ...)."""

    role: str
    text: str
    start: int
    end: int
    entity: str | None = None  # LocalEntity.key of the entity it refers to, or None
    reason: str | None = None  # e.g. "pronoun 'he' resolved to Ruslan Aliyev, the nearest man named before"


@dataclass
class Event:
    """One typed event an article reports, traced to its trigger and sentence."""

    type: str  # ARREST, CHARGE, SENTENCE, ... (data/events.tsv)
    trigger_start: int
    trigger_end: int
    trigger_text: str
    sentence: tuple[int, int]
    modality: str = "asserted"  # asserted | reported | alleged | negated | hypothetical
    plover: str | None = None
    participants: list[Participant] = field(default_factory=list)
    date: Timex | None = None  # the clause's time expression; None when the text gives none
    place: str | None = None  # LocalEntity.key of a resolved place
    attributed_text: str | None = None  # who says so, as written
    attributed_entity: str | None = None  # LocalEntity.key of the speaker
    reliability: str | None = None  # a cue like "could not independently verify", as written
    reason: str | None = None


@dataclass
class Claim:
    """One figure an article states: a count, amount or share, with what it counts and who says so."""

    start: int
    end: int
    text: str  # the number phrase as written ("more than 300", "Thirty")
    sentence: tuple[int, int]
    value: float | None
    lower: float | None = None
    upper: float | None = None
    approximate: bool = False
    unit: str | None = None  # None for counts; "USD", "RUB", "percent", "years" ...
    what: str | None = None  # the counted noun phrase with its qualifiers
    source_text: str | None = None
    source_entity: str | None = None  # LocalEntity.key of who gives the figure
    as_of: Timex | None = None
    reliability: str | None = None


@dataclass
class Quote:
    """A direct quotation and its speaker."""

    start: int
    end: int
    text: str
    speaker_text: str | None = None
    speaker_entity: str | None = None  # LocalEntity.key


@dataclass
class Extraction:
    """Everything per-article analysis found in one article. Pure data, no database handles."""

    article: Article
    entities: list[LocalEntity] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
