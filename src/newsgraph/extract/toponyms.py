"""Place names the named-entity model misses or mislabels, found by how the text writes them.

Wire copy from Latin America, the Caucasus or Central Asia names small places the model has
rarely seen: "El Tomate, Canaletes Municipality, Cordoba Department", "the small town of
Pallanchacra", "Galera Quemada Canton, Ilobasco jurisdiction", a dateline "Rancagua --". The
model tags many of them ORG or NORP. Two steps, both from the text alone, each with a reason:

1. `mark_toponyms` (before place resolution): a name becomes a PLACE when the text writes it as
   one: a name ending in an administrative division ("Cordoba Department", when "Cordoba" is a
   place name), followed by a lower-case division word ("Ilobasco jurisdiction"), after "the town
   of", "mayor of", "residents of" ..., written before a division or a place ("in Cano Colorada,
   Arauca Department"), or opening the text as a dateline ("Rancagua -- ...");
2. `place_by_container` (after resolution): a place the gazetteer lacks, written with the
   division or place it lies in ("El Tomate, Canaletes Municipality, Cordoba Department",
   "Cape Peron in Rockingham", "Brooklyn's Barclays Center"), is put at that container, at the
   container's precision, and the reason says so; a division the
   gazetteer lacks that bears the name of a place in it ("Chalatenango Department") is put at
   that place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from spacy.tokens import Doc

from ..model import LocalEntity, Mention, PlaceResolution
from .gazetteer import fold, load_gazetteer

__all__ = ["mark_toponyms", "place_by_container", "container_at"]

DIVISIONS = ("department", "province", "municipality", "canton", "jurisdiction", "district", "region",
             "governorate", "oblast", "parish", "county", "prefecture")
_DIVISION_ALT = "|".join(DIVISIONS)
# "Justice Department", "Police District": a division word after these names an office
_OFFICE_WORDS = frozenset("""justice state police fire defense defence treasury health education interior
labor labour water sheriff transport transportation sanitation parks park school housing energy commerce
agriculture army military naval electoral judicial federal special congressional law legal finance foreign
public personnel planning building highway revenue immigration homeland veterans war navy trade research
sales marketing history science art music english human security intelligence postal customs""".split())
_NAME = r"(?:[A-Z][\w'’\-]+|de|del|la|las|los|el|y)(?: (?:[A-Z][\w'’\-]+|de|del|la|las|los|el|y))*"
_AFTER_DIVISION = re.compile(rf"^ (?:{_DIVISION_ALT})\b")
_PLACE_NOUN_OF = re.compile(r"\b(?:town|city|village|hamlet|municipality|port|province|department|canton|"
                            r"jurisdiction|district|region|outskirts|residents|inhabitants|mayor|"
                            r"neighborhood|neighbourhood|suburb|settlement|township) of (?:the )?$", re.I)
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|from)$")
_DATELINE = re.compile(rf"\A\s*({_NAME}) (?:--|—)\s")
_RELABEL = frozenset({"ORG", "NORP", "MISC", "FAC", "LOC", "GPE"})
_COMMA = re.compile(r", ")
_IN = re.compile(r" in |,? near |,? outside ")  # "Rathbeggan, near Dunshaughlin": a few km off at most
_BRACKETED = re.compile(r" \([A-Z][A-Za-z.]{1,9}\)")  # "(NBP)": the short form of the name before it
_POSSESSIVE = re.compile(r"['’]s ")
T = TypeVar("T")


def mark_toponyms(doc: Doc, entities: list[LocalEntity], text: str) -> None:
    """Relabel as PLACE the entities the text writes as places, and add a dateline place; in place."""
    gaz = load_gazetteer()
    for e in entities:
        if e.label == "PLACE" or e.label not in _RELABEL:
            continue
        why = next(filter(None, (_place_cue(gaz, text, e.name, m) for m in e.mentions)), None)
        if why:
            e.label, e.label_reason = "PLACE", f"PLACE: {why}"
            for m in e.mentions:
                m.label = "PLACE"
    m = _DATELINE.match(text)
    if m and not any(x.start < m.end(1) and m.start(1) < x.end for e in entities for x in e.mentions):
        name = m.group(1)
        mentions = [Mention(m.start(1), m.end(1), name, "PLACE", name, _sentence(doc, m.start(1)),
                            link_reason="the dateline: where the report was filed")]
        entities.append(LocalEntity(key=f"t{len(entities)}", label="PLACE", name=name, mentions=mentions,
                                    label_reason=f"PLACE: '{name} --' opens the text as a dateline"))


def _place_cue(gaz, text: str, name: str, m: Mention) -> str | None:
    """Why this mention is written as a place, or None."""
    if ", " in name and re.search(rf" (?:{_DIVISION_ALT})$", name, re.I):
        return f"'{name}' is a place written with the division it lies in"
    words = name.split()
    if len(words) > 1 and words[-1].lower() in DIVISIONS and words[-1][:1].isupper():
        bare = " ".join(words[:-1])
        if bare.lower() not in _OFFICE_WORDS and all(w[:1].isupper() or w in ("de", "del", "la", "el") for w in words[:-1]) \
                and any(gaz.candidates(fold(bare))):
            return f"'{name}' is the {words[-1].lower()} of a place name ({bare})"
    after, before = text[m.end: m.end + 40], text[max(0, m.start - 60): m.start]
    if _AFTER_DIVISION.match(after):
        return f"'{m.text}' is followed by '{after.split()[0]}'"
    cue = _PLACE_NOUN_OF.search(before)
    if cue:
        return f"'{cue.group().strip()} {m.text}'"
    if _LOCATIVE.search(before.rstrip()) and re.match(rf", {_NAME} (?:{_DIVISION_ALT})\b", after, re.I):
        return f"'{m.text}' is written with the division it lies in ('{m.text}{after.split(' ', 3)[0]}...')"
    return None


def place_by_container(entities: list[LocalEntity], text: str) -> None:
    """Give unresolved places the point of the place the text says they lie in; in place."""
    from .places import resolve_places

    located = [(m.start, m.end, e) for e in entities if e.label == "PLACE" for m in e.mentions]
    spans = {s: (en, e) for s, en, e in located}
    for e in entities:
        if e.label != "PLACE" or e.place is not None:
            continue
        container = None
        for m in e.mentions:
            container = container_at(text, m.start, m.end, spans, lambda other: other.place)
            if container:
                break
        if container is not None:
            p, written = container
            _put_at(e, p, f"not in the gazetteer; put at {p.name} ({p.precision}, {p.country}), which the text "
                          f"names as where it lies or lies near: '{written}'")
            continue
        if ", " in e.name:  # one name for "Cano Colorada, Arauca Department": put at the division
            outer = written = e.name.rsplit(", ", 1)[1]
            r = resolve_places([outer], context_text=text).get(outer)
            if (r is None or isinstance(r, str)) and outer.split()[-1].lower() in DIVISIONS:
                outer = outer.rsplit(" ", 1)[0]
                r = resolve_places([outer], context_text=text).get(outer)
            if r is not None and not isinstance(r, str):
                _put_at(e, r, f"not in the gazetteer; put at {r.name} ({r.precision}, {r.country}) for '{written}', "
                              f"the division it is written with ({r.reason})")
            continue
        words = e.name.split()
        if len(words) > 1 and words[-1].lower() in DIVISIONS:
            bare = " ".join(words[:-1])
            r = resolve_places([bare], context_text=text).get(bare)
            if r is not None and not isinstance(r, str):
                _put_at(e, r, f"the {words[-1].lower()} is not in the gazetteer; put at {r.name} whose name it bears "
                              f"({r.reason})")


def _put_at(e: LocalEntity, r: PlaceResolution, reason: str) -> None:
    """Place `e`, which the gazetteer lacks, at the point of the place `r` it is written with."""
    e.place = PlaceResolution(geonameid=None, name=e.name, lat=r.lat, lon=r.lon, country=r.country,
                              precision=r.precision, reason=reason)
    e.place_unresolved_reason = None


def container_at(text: str, start: int, end: int, spans: dict[int, tuple[int, T]],
                 place_of: Callable[[T], PlaceResolution | None]) -> tuple[PlaceResolution, str] | None:
    """The resolved place the text writes as holding the place at [start, end), with the words
    that say so: the place after it through a chain of commas ("El Tomate, Canaletes
    Municipality, Cordoba Department"), the place after "in" ("Cape Peron in Rockingham", a
    bracketed short form between: "New Bilibid Prison (NBP) in Muntinlupa") or "near" or
    "outside" ("Rathbeggan, near Dunshaughlin"), or the place
    before it in the possessive ("Brooklyn's Barclays Center"). `spans` maps the start of every
    place mention of the text to its end and its item; `place_of` gives an item's resolution."""
    pos = end
    for _ in range(3):
        short = _BRACKETED.match(text, pos)
        link = _IN.match(text, short.end() if short else pos) or (None if short else _COMMA.match(text, pos))
        if link is None or link.end() not in spans:
            break
        nend, other = spans[link.end()]
        if place_of(other) is not None:
            return place_of(other), text[start:nend]
        if link.group().strip() != ",":
            break
        pos = nend
    before = _POSSESSIVE.search(text, max(0, start - 3), start)
    if before is not None and before.end() == start:
        for s, (en, other) in spans.items():
            if en == before.start() and place_of(other) is not None:
                return place_of(other), text[s:end]
    return None


def _sentence(doc: Doc, char: int) -> tuple[int, int] | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return None
    s = span[0].sent
    return s.start_char, s.end_char
