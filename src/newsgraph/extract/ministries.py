"""Government ministries named by country: "Kyrgyzstan's interior ministry", "the Kazakh
Interior Ministry", "the defence ministry of Tajikistan".

Reporters write these in lower case, so NER misses them, and every country has one: the
country is part of the identity (Kyrgyzstan's interior ministry is not Kazakhstan's). Each
match becomes an alias-table style entry whose canonical name carries the country, e.g.
"Interior Ministry of Kyrgyzstan". A later bare "the interior ministry" (or "the ministry")
in the same article refers to the last one named, and links to it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .aliases import AliasEntry, AliasMatch

_DEPARTMENTS = {
    "interior": "Interior",
    "internal affairs": "Interior",
    "home": "Interior",
    "defence": "Defence",
    "defense": "Defence",
    "foreign": "Foreign",
    "foreign affairs": "Foreign",
    "justice": "Justice",
    "health": "Health",
    "emergencies": "Emergencies",
    "emergency situations": "Emergencies",
    "labour": "Labour",
    "education": "Education",
}
_DEPT = "(?i:" + "|".join(sorted(map(re.escape, _DEPARTMENTS), key=len, reverse=True)) + ")"
_COUNTRY = r"[A-Z][\w\-]+(?: [A-Z][\w\-]+){0,2}"
# "Kyrgyzstan's interior ministry", "the Kazakh Interior Ministry"
_BEFORE = re.compile(rf"\b(?P<country>{_COUNTRY})(?P<poss>['’]s)? (?P<dept>{_DEPT}) [Mm]inistry\b")
# "the interior ministry of Tajikistan", "the Ministry of Internal Affairs of Uzbekistan"
_AFTER = re.compile(
    rf"\b(?:(?P<dept1>{_DEPT}) [Mm]inistry|[Mm]inistry of (?P<dept2>{_DEPT})) (?:of|in) (?P<country>{_COUNTRY})\b"
)
# a later bare reference: "the interior ministry", "the ministry"
_BARE = re.compile(rf"\b[Tt]he (?:(?P<dept>{_DEPT}) )?[Mm]inistry\b(?! of)")


@lru_cache(maxsize=4096)
def _country(word: str) -> str | None:
    """The display name of the country a name or demonym stands for, or None."""
    from .gazetteer import fold, load_gazetteer

    gaz = load_gazetteer()
    key = fold(word)
    cc = gaz.country_names.get(key) or gaz.demonyms.get(key)
    if cc is None or cc not in gaz.country_index:
        return None
    return gaz.places[gaz.country_index[cc]].name


def ministry_matches(text: str) -> list[AliasMatch]:
    """Country ministries in `text` and later bare references to them, as alias matches."""
    found: list[tuple[int, int, str, str]] = []  # start, end, department, country
    for pattern in (_BEFORE, _AFTER):
        for m in pattern.finditer(text):
            # The capitalised run may carry other words: "The Kazakh", "Uzbekistan Foreign".
            words = m.group("country").split()
            first = 1 if words[0] in ("The", "A") else 0
            spans = [(i, len(words)) for i in range(first, len(words))] if pattern is _BEFORE \
                else [(0, j) for j in range(len(words), 0, -1)]
            country, start, end = None, m.start("country"), m.end()
            for i, j in spans:
                country = _country(" ".join(words[i:j]))
                if country:
                    start = m.start("country") + len(" ".join(words[:i])) + (1 if i else 0)
                    end = m.start("country") + len(" ".join(words[:j]))
                    break
            if not country:
                continue
            dept = m.groupdict().get("dept") or m.groupdict().get("dept1") or m.groupdict().get("dept2")
            s, e = (start, m.end()) if pattern is _BEFORE else (m.start(), end)
            found.append((s, e, _DEPARTMENTS[dept.lower()], country))
    found.sort()
    out: list[AliasMatch] = []
    taken_end = -1
    for s, e, dept, country in found:
        if s < taken_end:
            continue
        out.append(AliasMatch(s, e, text[s:e], _entry(dept, country), guarded=False))
        taken_end = e
    if not out:
        return out
    named = [(m.start, m.entry) for m in out]
    for m in _BARE.finditer(text):
        if any(o.start <= m.start() < o.end for o in out):
            continue
        dept = m.group("dept")
        before = [entry for pos, entry in named if pos < m.start()
                  and (dept is None or entry.canonical.startswith(_DEPARTMENTS[dept.lower()] + " "))]
        if before:
            out.append(AliasMatch(m.start(), m.end(), m.group(0), before[-1], guarded=False))
    out.sort(key=lambda a: a.start)
    return out


@lru_cache(maxsize=1024)
def _entry(dept: str, country: str) -> AliasEntry:
    return AliasEntry(canonical=f"{dept} Ministry of {country}", label="ORG")


def country_in(mention_text: str) -> tuple[int, int] | None:
    """Where the country sits inside a ministry mention ("Kyrgyzstan's interior ministry" ->
    the span of "Kyrgyzstan"), so the country is a place mention of its own; None for a bare
    reference or a demonym ("the Kazakh Interior Ministry" names no place)."""
    for pattern in (_BEFORE, _AFTER):
        m = pattern.fullmatch(mention_text) or pattern.search(mention_text)
        if m is None:
            continue
        words = m.group("country").split()
        for i in range(len(words)):
            for j in range(len(words), i, -1):
                phrase = " ".join(words[i:j])
                if _country(phrase) and phrase[:1].isupper() and not _is_demonym(phrase):
                    start = m.start("country") + len(" ".join(words[:i])) + (1 if i else 0)
                    return start, start + len(phrase)
    return None


def _is_demonym(word: str) -> bool:
    from .gazetteer import fold, load_gazetteer

    gaz = load_gazetteer()
    return fold(word) in gaz.demonyms and fold(word) not in gaz.country_names
