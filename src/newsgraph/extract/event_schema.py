"""The event schema: per event type its trigger words and phrases, its roles and PLOVER code.

The default lives in `data/events.tsv` (its header explains the format); users pass their own
file to `load_event_schema(path)`. The loaded schema is an index from lemma to triggers, so
finding triggers in a parsed article is one dictionary lookup per token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import NewsgraphError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "events.tsv"
FLAGS = frozenset({"person", "place", "passive", "ergative", "weapon", "traveller", "money", "self"})
_SLOT_KINDS = ("subj", "obj", "poss")


class SchemaError(NewsgraphError):
    """The event schema file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Trigger:
    """One way an event type is written: a lemma (or phrase) with its part of speech and flags."""

    type: str
    words: tuple[frozenset[str], ...]  # phrase words; each a set of alternatives; words[0] is the head
    pos: str  # VERB | NOUN | PHRASE
    flags: frozenset[str] = frozenset()

    @property
    def head(self) -> frozenset[str]:
        return self.words[0]


@dataclass
class EventType:
    name: str
    plover: str | None
    roles: dict[str, str]  # slot ("subj", "obj", "poss", "prep:of") -> role
    triggers: list[Trigger] = field(default_factory=list)


@dataclass
class EventSchema:
    """Event types and the lemma index over their triggers."""

    types: dict[str, EventType]
    verbs: dict[str, list[Trigger]] = field(default_factory=dict)
    nouns: dict[str, list[Trigger]] = field(default_factory=dict)
    phrases: dict[str, list[Trigger]] = field(default_factory=dict)  # keyed by each head alternative
    source: str = ""

    def role(self, type_: str, slot: str) -> str | None:
        return self.types[type_].roles.get(slot)


def load_event_schema(path: str | Path | None = None) -> EventSchema:
    """The schema in `path` (TSV as in data/events.tsv), or the packaged default.

    Raises SchemaError with the file and line number when a row is malformed.
    """
    if path is None:
        return _default_schema()
    return parse_event_schema(Path(path).read_text(encoding="utf-8"), str(path))


@lru_cache(maxsize=1)
def _default_schema() -> EventSchema:
    return parse_event_schema(DEFAULT_PATH.read_text(encoding="utf-8"), str(DEFAULT_PATH))


def parse_event_schema(text: str, source: str = "<string>") -> EventSchema:
    """Parse schema TSV text; see data/events.tsv for the columns."""
    schema = EventSchema(types={}, source=source)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4:
            raise SchemaError(f"{source}:{n}: expected type, plover, roles, verbs[, nouns, phrases] separated by tabs")
        cols += [""] * (6 - len(cols))
        name, plover, roles, verbs, nouns, phrases = (c.strip() for c in cols[:6])
        if name in schema.types:
            raise SchemaError(f"{source}:{n}: event type {name} defined twice")
        et = EventType(name, plover if plover not in ("", "-") else None, _parse_roles(roles, source, n))
        for pos, cell in (("VERB", verbs), ("NOUN", nouns), ("PHRASE", phrases)):
            for item in _split_items(cell):
                et.triggers.append(_parse_trigger(name, pos, item, source, n))
        schema.types[name] = et
        for t in et.triggers:
            index = {"VERB": schema.verbs, "NOUN": schema.nouns, "PHRASE": schema.phrases}[t.pos]
            for lemma in t.head:
                index.setdefault(lemma, []).append(t)
    if not schema.types:
        raise SchemaError(f"{source}: no event types defined")
    return schema


def _split_items(cell: str) -> list[str]:
    """Comma-separated items, commas inside {flags} kept."""
    items, depth, cur = [], 0, []
    for ch in cell:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur).strip())
    return [i for i in items if i]


def _parse_trigger(type_: str, pos: str, item: str, source: str, n: int) -> Trigger:
    flags: frozenset[str] = frozenset()
    if item.endswith("}") and "{" in item:
        item, _, rest = item.partition("{")
        flags = frozenset(f.strip() for f in rest[:-1].split(",") if f.strip())
        unknown = flags - FLAGS
        if unknown:
            raise SchemaError(f"{source}:{n}: unknown flag(s) {sorted(unknown)} on '{item}'; known: {sorted(FLAGS)}")
    words = tuple(frozenset(a.strip().lower() for a in w.split("/") if a.strip()) for w in item.split())
    if not words:
        raise SchemaError(f"{source}:{n}: empty trigger")
    if pos != "PHRASE" and len(words) > 1:
        pos = "PHRASE"
    return Trigger(type_, words, pos, flags)


def _parse_roles(cell: str, source: str, n: int) -> dict[str, str]:
    slots: dict[str, str] = {}
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        role, eq, rest = part.partition("=")
        if not eq:
            raise SchemaError(f"{source}:{n}: role '{part}' should read role=slot,slot")
        for slot in rest.split(","):
            slot = slot.strip().lower()
            if slot not in _SLOT_KINDS and not slot.startswith("prep:"):
                raise SchemaError(f"{source}:{n}: unknown slot '{slot}' (subj, obj, poss or prep:WORD)")
            slots[slot] = role.strip()
    return slots
