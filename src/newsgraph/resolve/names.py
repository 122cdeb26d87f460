"""Name keys: the folded forms of a name that mentions across articles are grouped and matched by.

Two levels:
- `fold` is the store's key (resolve/entities.py): accents, Cyrillic, case and punctuation
  folded away; names equal under `fold` are one entity from the start.
- `match_key` also folds the spelling variants that transliteration from Russian, Arabic or
  Central Asian languages produces, so that "Sokolova" meets "Sokolowa" and "Khasan" meets
  "Hasan". Names equal under `match_key` are only *candidates* for one entity: resolve/coref.py
  decides with the entity type, the first names and the context.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u02bc\u02bb]")
# Arabic article prefixes written with a hyphen: al-Hol, el-Sisi, ad-Dawla, ash-Sham, ez-Zor.
_ARTICLE_PREFIX = re.compile(r"\b(?:al|el|ul|ad|ar|as|ash|at|az|ez|ed|es|an|en|adh|ath)-")
# A detached article before another word: "al Hol", "El Sisi".
_ARTICLE_WORD = re.compile(r"\b(?:al|el)\s+(?=[a-z])")
# Spelling variants, applied in this order inside each word. Each pair is (written, folded).
_VARIANTS: tuple[tuple[str, str], ...] = (
    ("dzh", "j"),  # Dzhabrailova / Jabrailova
    ("dj", "j"),  # Djamal / Jamal
    ("zh", "j"),  # Zhumabaev / Jumabaev
    ("kh", "h"),  # Khasan / Hasan, Makhachkala / Mahachkala
    ("tz", "ts"),  # Tzarnaev / Tsarnaev
    ("ph", "f"),
    ("q", "k"),  # Qamishli / Kamishli
    ("iy", "i"),  # Aliyev / Aliev, Groznyy / Grozny
    ("y", "i"),  # Yusuf / Iusuf, Dadayev / Dadaiev
    ("ou", "u"),  # Yousef / Yusef, Zour / Zur
    ("w", "v"),  # Sokolowa / Sokolova, Magomedow / Magomedov
)
_DOUBLED = re.compile(r"(.)\1+")


def fold(name: str) -> str:
    """Lower-case ASCII words of `name`: accents, Cyrillic, punctuation and spacing folded away.

    "Deir ez-Zor" -> "deir ez zor"; "Сокольва" -> "sokol'va" -> "sokolva"; "ISIS" -> "isis".
    """
    ascii_name = unidecode(name).lower().replace("'", "").replace("\u2019", "")
    return _NON_WORD.sub(" ", ascii_name).strip()


def fold_word(word: str) -> str:
    """One lower-case ASCII word with its transliteration variants folded.

    "sokolowa" -> "sokolova"; "khasan" -> "hasan"; "aliyev" -> "aliev"; "groznyy" -> "grozni".
    """
    for written, folded in _VARIANTS:
        word = word.replace(written, folded)
    return _DOUBLED.sub(r"\1", word)


@lru_cache(maxsize=65536)
def match_key(name: str) -> str:
    """The transliteration-folded key of `name`: variants of one name give one key.

    Folds, in order: accents and Cyrillic (unidecode: "Сокольва" -> "sokolva"), case,
    apostrophes ("Mu'min" -> "mumin"), Arabic article prefixes ("Deir al-Zour" and
    "Deir ez-Zour" -> "deir zur"; a detached "al"/"el" before another word too), hyphens
    (joined: "Jalal-Abad" -> "jalalabad" like "Jalalabad"), then inside each word dzh/dj/zh -> j,
    kh -> h, tz -> ts, ph -> f, q -> k, iy/y -> i, ou -> u, w -> v, and doubled letters single:

    >>> match_key("Zarema Sokolowa") == match_key("Zarema Sokolova") == "zarema sokolova"
    True
    >>> match_key("Khasan Magomedov") == match_key("Hasan Magomedow") == "hasan magomedov"
    True
    >>> match_key("Ruslan Aliyev") == match_key("Руслан Алиев")
    True
    """
    text = _APOSTROPHES.sub("", unidecode(name).lower())
    text = _ARTICLE_PREFIX.sub("", text)
    text = _ARTICLE_WORD.sub("", text)
    text = re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", "", text)
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(fold_word(w) for w in words)


def person_parts(name: str) -> tuple[list[str], str]:
    """The match-keyed given names and the surname of a person's name (the last word).

    "Zarema Sokolowa" -> (["zarema"], "sokolova"); "R. Aliyev" -> (["r"], "aliev").
    """
    words = match_key(name).split()
    if not words:
        return [], ""
    return words[:-1], words[-1]


def given_names_compatible(a: list[str], b: list[str]) -> tuple[bool, str]:
    """Whether two lists of match-keyed given names can belong to one person, and why.

    Equal first names are compatible; an initial is compatible with a name it begins ("r" and
    "ruslan"); anything else is not: "ruslan" and "timur" are brothers, not one man. A missing
    given name never counts as compatible here (a bare surname identifies nobody across articles).
    """
    if not a or not b:
        return False, "a given name is missing"
    x, y = a[0], b[0]
    if x == y:
        return True, f"same given name ({x})"
    short, long_ = sorted((x, y), key=len)
    if len(short) == 1 and long_.startswith(short):
        return True, f"initial {short.upper()}. of {long_}"
    return False, f"different given names ({x} / {y})"
