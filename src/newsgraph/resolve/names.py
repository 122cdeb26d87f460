"""Name keys: the folded form of a name that mentions across articles are grouped by."""

from __future__ import annotations

import re

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(name: str) -> str:
    """Lower-case ASCII words of `name`: accents, Cyrillic, punctuation and spacing folded away.

    "Deir ez-Zor" -> "deir ez zor"; "Сокольва" -> "sokol'va" -> "sokolva"; "ISIS" -> "isis".
    """
    ascii_name = unidecode(name).lower().replace("'", "").replace("\u2019", "")
    return _NON_WORD.sub(" ", ascii_name).strip()
