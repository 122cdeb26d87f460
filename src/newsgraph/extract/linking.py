"""Linking inside one article: which mentions name the same thing.

Surnames and first names go to the full name they stand for (nearest earlier, with gender
cues from honorifics and Slavic surname forms; left unlinked, with the reason, when family
members share the surname), longer and shorter forms of a full name go together, and an
acronym defined in parentheses takes every later bare use to its expansion.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc

from .aliases import AliasEntry
from .names import honorific_gender, is_acronym, surname, surname_stem


@dataclass
class Candidate:
    """One mention on its way to a LocalEntity."""

    start: int
    end: int
    text: str
    name: str
    prefix: str | None  # honorific or title before the name, inside or just outside the span
    spacy: str | None  # spaCy label mapped to ours, None for alias-table-only matches
    alias: AliasEntry | None
    votes: Counter = field(default_factory=Counter)
    cues: list[str] = field(default_factory=list)
    group: str = ""
    link_reason: str | None = None


def link_mentions(
    doc: Doc, text: str, cands: list[Candidate], group_label: dict[str, str]
) -> dict[str, list[Candidate]]:
    """Mentions grouped into entities; keys are the group of the entity's full name."""
    clusters: dict[str, list[Candidate]] = defaultdict(list)
    first_pos: dict[str, int] = {}
    for c in cands:
        first_pos.setdefault(c.group, c.start)
    full_people = [g for g in first_pos if group_label[g] == "PERSON" and len(g.split()) >= 2]
    full_names = {c.group: c.name for c in cands}
    people_gender = _genders(cands, full_people)
    acronyms = _parenthesised_acronyms(doc, text, cands)
    for c in cands:
        target = c.group
        words = c.name.split()
        if c.group in acronyms:
            target = acronyms[c.group][1]
            c.link_reason = f"acronym given in parentheses after '{full_names[target]}'"
        elif c.alias is not None and c.text not in (c.alias.canonical,):
            c.link_reason = f"alias table: '{c.text}' is a name of {c.alias.canonical}"
        elif len(words) == 1 and _may_be_person(c, group_label):
            target = _link_short_person(c, full_people, full_names, first_pos, people_gender)
        elif len(words) >= 2 and group_label[c.group] == "PERSON":
            target = _link_longer_form(c, full_people, full_names)
        clusters[target].append(c)
    for target, extra in _bare_acronym_mentions(doc, text, cands, acronyms, full_names).items():
        clusters[target].extend(extra)
    for key in clusters:
        clusters[key].sort(key=lambda c: c.start)
    return clusters


def _may_be_person(c: Candidate, group_label: dict[str, str]) -> bool:
    """Single-word names that can be a surname or first name: PERSON by the vote over their
    mentions. An ORG-voted word never links to a person ("Ford" the company is not the surname
    of William Clay Ford Jr.)."""
    return c.alias is None and group_label[c.group] == "PERSON"


def _genders(cands: list[Candidate], full_people: list[str]) -> dict[str, str | None]:
    """Gender of each full name: from an honorific used with it, else a Slavic surname ending."""
    out: dict[str, str | None] = {}
    for g in full_people:
        out[g] = surname_stem(surname(g))[1]
    for c in cands:
        if c.group in out and honorific_gender(c.prefix):
            out[c.group] = honorific_gender(c.prefix)
    return out


def _link_short_person(c, full_people, full_names, first_pos, gender) -> str:
    """The full name a bare surname or first name stands for, or its own group with the reason."""
    stem, own_gender = surname_stem(c.name)
    want = honorific_gender(c.prefix) or (own_gender if own_gender == "f" else None)
    by_surname = [g for g in full_people if surname_stem(surname(g))[0] == stem]
    earlier = [g for g in by_surname if first_pos[g] < c.start]
    pool, when = (earlier, "earlier") if earlier else (by_surname, "later")
    if pool:
        fits = [g for g in pool if want is None or gender[g] in (want, None)]
        if want and any(gender[g] == want for g in fits):
            fits = [g for g in fits if gender[g] == want]
        if len(fits) > 1:
            exact = [g for g in fits if surname(g) == c.name.lower()]
            fits = exact or fits
        names = ", ".join(full_names[g] for g in pool)
        if len(fits) == 1:
            cue = ""
            if want and len(pool) > 1:
                cue = f" ('{c.prefix}')" if c.prefix else " (feminine surname form)"
            c.link_reason = f"surname of {full_names[fits[0]]}, named in full {when}{cue}"
            return fits[0]
        if not fits:
            c.link_reason = f"unlinked: '{c.prefix}' does not fit {names}"
        else:
            c.link_reason = f"ambiguous: {', '.join(full_names[g] for g in fits)} share the surname"
        c.group = f"{c.group}#unlinked"
        return c.group
    by_first = [g for g in full_people if g.split()[0] == c.name.lower() and first_pos[g] < c.start]
    if len(by_first) == 1:
        c.link_reason = f"first name of {full_names[by_first[0]]}, named in full earlier"
        return by_first[0]
    if len(by_first) > 1:
        c.link_reason = f"ambiguous: {', '.join(full_names[g] for g in by_first)} share the first name"
        c.group = f"{c.group}#unlinked"
    return c.group


def _link_longer_form(c, full_people, full_names) -> str:
    """'Ruslan Aliyev' to 'Ruslan Khasanovich Aliyev' when exactly one longer form fits."""
    w = c.group.split()
    fits = [g for g in full_people if g != c.group and len(g.split()) > len(w)
            and g.split()[0] == w[0] and g.split()[-1] == w[-1]]
    if len(fits) == 1:
        c.link_reason = f"short form of {full_names[fits[0]]}"
        return fits[0]
    return c.group


def _parenthesised_acronyms(doc: Doc, text: str, cands: list[Candidate]) -> dict[str, tuple[str, str]]:
    """Acronym group -> (acronym, expansion group) for "Kurdistan Workers' Party (PKK)"."""
    out: dict[str, tuple[str, str]] = {}
    for c in cands:
        if is_acronym(c.name) or c.spacy == "PERSON":
            continue
        m = _PAREN_ACRONYM.match(text, c.end)
        if m and is_acronym(m.group(1)) and m.group(1).lower() != c.group:
            out.setdefault(m.group(1).lower(), (m.group(1), c.group))
    return out


_PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&\-]{1,9})\s*\)")


def _bare_acronym_mentions(doc, text: str, cands, acronyms, full_names) -> dict[str, list[Candidate]]:
    """Occurrences of defined acronyms that spaCy did not tag (case-sensitive, whole words)."""
    out: dict[str, list[Candidate]] = defaultdict(list)
    covered = [(c.start, c.end) for c in cands]
    for acr_group, (acr, target) in acronyms.items():
        for m in re.finditer(rf"(?<![\w\-]){re.escape(acr)}(?![\w\-])", text):
            if any(s < m.end() and m.start() < e for s, e in covered):
                continue
            out[target].append(Candidate(m.start(), m.end(), acr, acr, None, None, None, group=acr_group,
                                     link_reason=f"acronym given in parentheses after '{full_names[target]}'"))
    return out
