"""Names the entity model misses, mislabels or runs together, put right from how the text writes them.

The small spaCy model has rarely seen the towns and people of the Caucasus and Central Asia:
it leaves "Qamishli", "Osh" or "Aigul Osmonova" untagged, tags "The Pankisi Gorge" a work of
art, and runs "Qamishli to Grozny" into one organisation. `entity_spans` returns spaCy's
person, organisation, place and NORP spans with these put right, each correction with the
cue that made it (the entity vote counts it and the label reason shows it):

1. a span that joins two places with "to" ("from Qamishli to Grozny") becomes the two places;
2. a span of another type (a work of art, a product, an event, a law) is kept when it names an
   organisation ("... Observatory"), a place ("... Gorge") or a person after a title or a
   family word ("his sister Patimat");
3. a capitalised run of words the model left out is added when it is a place the gazetteer
   knows written as a place ("from Qamishli", "the Osh and Jalal-Abad regions"), a country,
   a name ending in a place word ("the Pankisi Gorge"), or a given name with a surname form
   ("Aigul Osmonova").
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from .names import TITLES, has_org_word, has_place_word, has_surname_ending

__all__ = ["entity_spans", "Corrected", "PLACE_NOUNS"]

LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
_OTHER_NAMED = {"WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}
# name -> (label, reason) when a gazetteer knows the name as a place or a people, else None
PlaceHint = Callable[[str], "tuple[str, str] | None"]
# (span with our label as spaCy's label_, the cue for that label); cue None for spaCy's own spans
Corrected = tuple[Span, str | None]

_LOCATIVE = {"in", "from", "to", "near", "outside", "into", "through", "via", "across", "towards",
             "toward", "around", "between", "throughout", "inside"}
# lower-case nouns that make the name before them a place: "Mineralnye Vody airports", "Osh region"
PLACE_NOUNS = {"region", "regions", "province", "provinces", "district", "districts", "oblast", "oblasts",
               "governorate", "airport", "airports", "city", "town", "village", "villages", "valley",
               "gorge", "border", "borders", "countryside", "outskirts", "municipality", "county"}
_JOINERS = {"to"}  # "Qamishli to Grozny"; "and" joins names of one organisation too often


def entity_spans(doc: Doc, place_hint: PlaceHint | None) -> list[Corrected]:
    """spaCy's PERSON/ORG/GPE/LOC/FAC/NORP spans with the corrections above, in text order.

    Without `place_hint` (no gazetteer) only the corrections that need none are made.
    """
    out: list[Corrected] = []
    for e in doc.ents:
        if e.label_ in LABELS:
            out.extend(_split_joined(doc, e, place_hint) or [(e, None)])
        elif e.label_ in _OTHER_NAMED:
            fixed = _relabelled(doc, e)
            if fixed:
                out.append(fixed)
    taken = {t.i for e in doc.ents for t in e}
    for start, end in _capitalised_runs(doc, taken):
        found = _untagged(doc, start, end, place_hint)
        if found:
            out.append(found)
    out.sort(key=lambda x: x[0].start)
    return out


def _split_joined(doc: Doc, e: Span, place_hint: PlaceHint | None) -> list[Corrected] | None:
    """"Qamishli to Grozny" tagged as one name: the two places, when the gazetteer knows both."""
    if place_hint is None:
        return None
    joins = [t.i for t in e if t.lower_ in _JOINERS and t.text.islower() and e.start < t.i < e.end - 1]
    if len(joins) != 1:
        return None
    parts = [doc[e.start : joins[0]], doc[joins[0] + 1 : e.end]]
    if not all(p[0].text[:1].isupper() and _hint(place_hint, p.text) for p in parts):
        return None
    why = f"'{e.text}' split at '{doc[joins[0]].text}': both sides are places the gazetteer knows"
    return [(Span(doc, p.start, p.end, label="GPE"), why) for p in parts]


def _relabelled(doc: Doc, e: Span) -> Corrected | None:
    """A work-of-art (product, event, law) span that is an organisation, a place or a person."""
    words = [w for w in e.text.split() if w.lower() != "the"]
    if not words or not all(w[:1].isupper() for w in words):
        return None
    org, place = has_org_word(e.text), has_place_word(e.text)
    before = doc[e.start - 1] if e.start > 0 else None
    if org:
        return Span(doc, e.start, e.end, label="ORG"), f"'{org}' in '{e.text}' (spaCy: {e.label_})"
    if place:
        return Span(doc, e.start, e.end, label="LOC"), f"'{place}' in '{e.text}' (spaCy: {e.label_})"
    if before is not None and before.lower_ in TITLES and len(words) <= 3 and e[0].lower_ != "the":
        return Span(doc, e.start, e.end, label="PERSON"), f"'{before.text} {e.text}' (spaCy: {e.label_})"
    return None


def _capitalised_runs(doc: Doc, taken: set[int]) -> list[tuple[int, int]]:
    """Token ranges of capitalised words (joined by in-word hyphens) outside every entity,
    in sentences that are not written in title case (headlines)."""
    runs: list[tuple[int, int]] = []
    try:
        sents = list(doc.sents)
    except ValueError:  # a Doc without sentence boundaries: one sentence
        sents = [doc[:]]
    for sent in sents:
        words = [t for t in sent if t.is_alpha]
        if words and sum(t.text[:1].isupper() for t in words) * 2 > len(words):
            continue  # a headline or a list of names: capitals say nothing there
        i = sent.start
        while i < sent.end:
            if i in taken or not _cap(doc[i]):
                i += 1
                continue
            j = i + 1
            while j < sent.end and j not in taken:
                if _cap(doc[j]):
                    j += 1
                elif doc[j].text == "-" and not doc[j - 1].whitespace_ and j + 1 < sent.end \
                        and not doc[j].whitespace_ and _cap(doc[j + 1]) and j + 1 not in taken:
                    j += 2
                else:
                    break
            if j < sent.end and j in taken:
                i = j  # runs into an entity: part of a longer name the model did tag
                continue
            if doc[i].lower_ == "the":
                i += 1  # "The Pankisi Gorge": the name without its article
            if i < j:
                runs.append((i, j))
            i = j
    return runs


def _cap(t) -> bool:
    return t.is_alpha and t.text[:1].isupper() and not t.is_upper and len(t.text) > 1


def _untagged(doc: Doc, start: int, end: int, place_hint: PlaceHint | None) -> Corrected | None:
    """A capitalised run the model left out, with its label and cue, or None."""
    span = doc[start:end]
    name = span.text
    initial = start == 0 or bool(doc[start].is_sent_start) or doc[start - 1].text in {"\"", "\u201c", "(", "'"}
    n_words = len(name.replace("-", " ").split())
    if initial and n_words == 1 and (doc[start].is_stop or doc[start].lower_ in TITLES):
        return None
    place = has_place_word(name)
    if place and n_words > 1 and name.split()[-1].lower() == place.lower():
        return Span(doc, start, end, label="LOC"), f"'{name}' ends in the place word '{place}'"
    hint = _hint(place_hint, name) if place_hint is not None else None
    if hint is not None:
        # the gazetteer's own word on the name joins the vote as a cue of its own (entities.py)
        if " is a country " in f" {hint} ":
            return Span(doc, start, end, label="GPE"), "not tagged by the model; the name of a country"
        where = _written_as_place(doc, start, end)
        if where:
            return Span(doc, start, end, label="GPE"), f"not tagged by the model; written as a place, {where}"
        return None
    if n_words in (2, 3) and " " in name and "-" not in name and has_surname_ending(name) \
            and not has_org_word(name) and doc[start].lower_ not in TITLES:
        return Span(doc, start, end, label="PERSON"), f"not tagged by the model; a given name and a surname form '{name}'"
    return None


def _hint(place_hint: PlaceHint, name: str) -> str | None:
    found = place_hint(name)
    return found[1] if found and found[0] == "PLACE" else None


def _written_as_place(doc: Doc, start: int, end: int) -> str | None:
    """How the text writes the run as a place: after "from", "in" ...; before "region(s)",
    "airport" ...; or joined by "and" to a name before such a noun ("the Osh and Jalal-Abad regions")."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i >= 0 and doc[i].lower_ in _LOCATIVE:
        return f"'{doc[i].text} {doc[start:end].text}'"
    for k in range(end, min(len(doc), end + 6)):
        t = doc[k]
        if t.lower_ in PLACE_NOUNS:
            return f"'{doc[start:end].text} ... {t.text}'" if k > end else f"'{doc[start:end].text} {t.text}'"
        if k == end and t.lower_ not in ("and", "or"):
            return None
        if t.is_punct and t.text != "-":
            return None
    return None
