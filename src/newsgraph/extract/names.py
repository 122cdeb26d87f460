"""Name normalisation inside one article: honorifics, titles, surnames and their gender forms."""

from __future__ import annotations

import re

# Honorifics: stripped from the name; they also say "person" and sometimes the gender.
HONORIFIC_GENDER = {
    "mr": "m", "mr.": "m", "mister": "m", "sir": "m", "lord": "m", "monsieur": "m", "herr": "m",
    "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "madam": "f", "madame": "f",
    "dame": "f", "lady": "f",
    "dr": None, "dr.": None, "prof": None, "prof.": None, "professor": None,
}

# Titles and roles: before a name they say "person"; when inside a spaCy entity they are stripped.
TITLES = {
    "president", "vice-president", "premier", "minister", "chancellor", "king", "queen", "prince",
    "princess", "emir", "sheikh", "shaykh", "imam", "mufti", "mullah", "ayatollah", "pope",
    "cardinal", "archbishop", "bishop", "father", "rev", "rev.", "reverend", "rabbi", "judge",
    "justice", "magistrate", "prosecutor", "senator", "sen.", "rep.", "congressman",
    "congresswoman", "governor", "gov.", "mayor", "ambassador", "general", "gen.", "colonel",
    "col.", "major", "maj.", "captain", "capt.", "lieutenant", "lt.", "sergeant", "sgt.",
    "commander", "admiral", "marshal", "chairman", "chairwoman", "chief", "spokesman",
    "spokeswoman", "spokesperson", "lawyer", "attorney", "advocate", "ceo", "director",
    "secretary", "journalist", "correspondent", "reporter", "editor", "analyst", "researcher",
    "activist", "militant", "fighter", "jihadist", "resident", "leader", "head", "deputy",
    "mother", "father", "brother", "sister", "wife", "husband", "son", "daughter", "widow",
    "cousin", "uncle", "aunt", "grandmother", "grandfather", "dr", "prof", "professor",
    "ombudsman", "ombudswoman", "investigator", "detective", "officer", "agent", "coach",
    "founder", "owner", "executive", "economist", "author", "writer", "scholar", "expert",
}
# Of these, the ones that are also part of ORG names ("General Motors", "Father's Day") are only
# stripped when what follows still looks like a person's name; see strip_name().
_AMBIGUOUS_TITLES = {"general", "major", "chief", "head", "father", "justice", "king", "queen", "prince"}

ORG_WORDS = {
    "ltd", "ltd.", "llc", "inc", "inc.", "corp", "corp.", "corporation", "company", "co.", "plc",
    "group", "ministry", "ministries", "department", "party", "agency", "service", "services",
    "committee", "commission", "council", "court", "tribunal", "office", "bureau", "army",
    "front", "brigade", "brigades", "battalion", "forces", "force", "police", "guard", "university",
    "college", "institute", "bank", "fund", "association", "union", "federation", "organisation",
    "organization", "foundation", "movement", "network", "news", "times", "post", "agency",
    "airlines", "airways", "motors", "board", "administration", "parliament", "assembly", "duma",
    "watch", "church", "herald", "monitor", "review", "gazette", "journal", "tribune",
    "telegraph", "observer", "daily", "weekly", "radio", "tv", "television", "press", "media",
    "channel", "magazine", "newspaper", "broadcasting", "mosque", "school", "hospital",
    "directorate", "authority", "prosecutor's", "jamaat", "katiba", "katibat", "jabhat", "jaish",
    "emirate", "exchange", "reserve", "securities", "holdings", "systems", "observatory",
}
PLACE_WORDS = {
    "republic", "region", "province", "oblast", "krai", "district", "city", "valley", "gorge",
    "river", "mountains", "sea", "island", "islands", "county", "camp", "governorate", "village",
    "airport", "square", "street", "stadium", "bridge", "prison", "checkpoint", "crossing",
}

_FEMININE = (("skaya", "sky"), ("tskaya", "tsky"), ("ova", "ov"), ("eva", "ev"), ("yova", "yov"),
             ("ina", "in"), ("yna", "yn"), ("aya", "y"))
_MASCULINE = ("ov", "ev", "yov", "in", "yn", "sky", "skiy", "skii", "ski")

_TRAILING_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
_EDGE_JUNK = " \t\n\r,;:!?\"'\u2018\u2019\u201c\u201d()[]{}-\u2013\u2014/"


def strip_name(text: str, label: str) -> tuple[str, str | None]:
    """The name in an entity's surface text, and the honorific or title taken off its front.

    "Mr Aliyev" -> ("Aliyev", "Mr"); "the Interior Ministry's" -> ("Interior Ministry", None);
    "President Vladimir Putin" -> ("Vladimir Putin", "President").
    """
    name = _TRAILING_POSSESSIVE.sub("", text.strip()).strip(_EDGE_JUNK)
    words = name.split()
    prefix: list[str] = []
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    if label == "PERSON" or (len(words) > 1 and words[0].lower() in HONORIFIC_GENDER):
        while len(words) > 1:
            w = words[0].lower()
            if w in HONORIFIC_GENDER or (w in TITLES and w not in _AMBIGUOUS_TITLES):
                prefix.append(words.pop(0))
            elif w in _AMBIGUOUS_TITLES and words[1][:1].isupper():
                prefix.append(words.pop(0))
            elif w == "prime" and len(words) > 2 and words[1].lower() == "minister":
                prefix += words[:2]
                words = words[2:]
            else:
                break
    return " ".join(words), (" ".join(prefix) or None)


def honorific_gender(word: str | None) -> str | None:
    """'m', 'f' or None for an honorific ("Mrs" -> 'f'); None for titles that say nothing."""
    if not word:
        return None
    return HONORIFIC_GENDER.get(word.split()[-1].lower())


def surname_stem(surname: str) -> tuple[str, str | None]:
    """The surname with a Slavic gender ending folded, and the gender that ending shows.

    "Aliyeva" -> ("aliyev", 'f'); "Aliyev" -> ("aliyev", 'm'); "Dudayeva" -> ("dudayev", 'f');
    "Smith" -> ("smith", None).
    """
    s = surname.lower()
    for fem, masc in _FEMININE:
        if s.endswith(fem) and len(s) > len(fem) + 2:
            return s[: -len(fem)] + masc, "f"
    for masc in _MASCULINE:
        if s.endswith(masc) and len(s) > len(masc) + 2:
            return s, "m"
    return s, None


_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# Surname endings common in Russia, the Caucasus and Central Asia: a weak sign of a person
# (weak because towns share some: Rostov, Saratov).
_SURNAME_ENDINGS = ("ov", "ova", "ev", "eva", "yev", "yeva", "enko", "shvili", "dze", "skiy", "sky",
                    "skaya", "ovich", "evich", "uly", "kyzy")


def surname(name: str) -> str:
    """The last word of a person's name, generational suffixes skipped ("Ford" in "W. C. Ford Jr.")."""
    words = name.split()
    while len(words) > 1 and words[-1].lower() in _NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else name


def has_surname_ending(name: str) -> bool:
    last = surname(name).lower()
    return len(last) > 4 and last.endswith(_SURNAME_ENDINGS)


def has_org_word(name: str) -> str | None:
    """The word in `name` that marks an organisation ("Interior Ministry" -> "Ministry"), or None."""
    for w in name.split():
        if w.lower().strip(".,") in ORG_WORDS:
            return w
    return None


def has_place_word(name: str) -> str | None:
    for w in name.split():
        if w.lower() in PLACE_WORDS:
            return w
    return None


def initials(name: str) -> str:
    """Upper-case initials of the capitalised words: "Federal Security Service" -> "FSS"."""
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w[:1].isupper())


def is_acronym(text: str) -> bool:
    """A short all-capitals token such as "PKK", "FSB", "U.N."."""
    letters = text.replace(".", "").replace("-", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()
