"""Who a span of a parsed article refers to: entity mentions by offset, and personal pronouns
resolved to the person they most plausibly refer to, with the reason.

Shared by events (participants, speakers) and quotes (speakers). Only what the text decides is
resolved: the nearest preceding person of compatible gender in the same or previous sentence;
a tie between different people leaves the pronoun unresolved, and the reason says so.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import LocalEntity
from .names import honorific_gender, surname_stem

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                  "she": "f", "her": "f", "hers": "f", "herself": "f"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
_HONORIFIC_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mister|Madam|Madame|Sir|Lady)\.?\s*$")

# First names whose gender is clear, common in news about Russia, the Caucasus, Central Asia
# and the English-speaking world. Lower case.
MALE_NAMES = frozenset("""
ruslan khasan hasan hassan ahmed akhmed ahmad akhmad mohammed muhammad mohammad magomed
magomet abdul ali umar omar islam rustam timur zelimkhan ramzan shamil murad aslan ibragim
ibrahim ilyas ismail yusuf rasul adam alexander alexei alexey sergei sergey vladimir dmitry
dmitri ivan andrei andrey mikhail nikolai oleg igor yevgeny evgeny pavel anzor kamil marat
rinat arslan bakhtiyor sardor jamshid rustem nurlan azamat daniyar yerlan kairat aziz farrukh
bobur otabek jahongir sherzod dilshod abdullah abdulla khalid tarek tariq hamza bilal musa isa
daud suleiman sulaiman jamal karim rahim salim hussein husain abdurakhman said akhmet arsen
beslan doku aslanbek movsar khamzat tamerlan dzhokhar anvar ravshan ulugbek alisher zafar
john james michael david robert william richard thomas peter paul mark george daniel joseph
charles christopher matthew andrew steven kevin brian edward anthony donald
""".split())
FEMALE_NAMES = frozenset("""
maria mariya anna elena olga natalia natalya svetlana irina tatiana tatyana yulia ekaterina
yekaterina madina aminat fatima zarema khadija aisha aysha zaynab zainab maryam mariam amina
asiya leila layla laila diana kheda malika dilnoza gulnara aigul aliya saida zulfiya nigora
shakhnoza raisa luiza elmira zalina patimat jamila karina varvara daria darya alina liliya
lilia lyudmila galina nadezhda valentina zhanna kamila milana seda khava petimat
mary sarah elizabeth jennifer linda susan margaret emma laura julia sophie rebecca hannah
jane anne helen catherine karen nancy lisa
""".split())


@dataclass
class _Mention:
    start: int
    end: int
    key: str
    label: str
    name: str


class MentionIndex:
    """Entity mentions of one article by offset, with what is known of each person's gender."""

    def __init__(self, doc: Doc, entities: list[LocalEntity]):
        self.doc = doc
        ms = [_Mention(m.start, m.end, e.key, e.label, e.name) for e in entities for m in e.mentions]
        ms.sort(key=lambda m: (m.start, -m.end))
        self.mentions = ms
        self._starts = [m.start for m in ms]
        self.by_key = {e.key: e for e in entities}
        self.gender = {e.key: entity_gender(doc.text, e) for e in entities if e.label == "PERSON"}
        self._sents = [(s.start_char, s.end_char) for s in doc.sents]
        self._sent_starts = [s[0] for s in self._sents]

    def overlapping(self, start: int, end: int) -> list[_Mention]:
        """Mentions overlapping [start, end), the longest first."""
        i = bisect_left(self._starts, end)
        found = [m for m in self.mentions[:i] if m.end > start and m.start < end]
        return sorted(found, key=lambda m: m.start - m.end)

    def entity_of(self, span: Span, head: Token | None = None) -> str | None:
        """The key of the entity a span names: the mention over its head, else any inside it."""
        if head is not None:
            hit = self.overlapping(head.idx, head.idx + len(head))
            if hit:
                return hit[0].key
        hit = self.overlapping(span.start_char, span.end_char)
        return hit[0].key if hit else None

    def sentence_index(self, char: int) -> int:
        return max(0, bisect_right(self._sent_starts, char) - 1)

    def resolve(self, tok: Token) -> tuple[str | None, str]:
        """The entity a personal pronoun refers to, and why (or why not)."""
        word = tok.lower_
        if word in PLURAL_PRONOUNS:
            return None, f"plural pronoun '{tok.text}' not resolved to a single entity"
        want = PRONOUN_GENDER.get(word)
        if want is None:
            return None, f"'{tok.text}' is not a personal pronoun"
        si = self.sentence_index(tok.idx)
        lo = self._sents[si - 1][0] if si > 0 else self._sents[si][0]
        cands = [m for m in self.mentions if m.label == "PERSON" and lo <= m.start and m.end <= tok.idx
                 and self.gender.get(m.key) in (want, None)]
        person = "man" if want == "m" else "woman"
        if not cands:
            return None, f"pronoun '{tok.text}': no {person} named in this or the previous sentence"
        same = [m for m in cands if self.sentence_index(m.start) == si]
        pool = same or cands
        known = [m for m in pool if self.gender.get(m.key) == want]
        tier = known or pool
        keys = list(dict.fromkeys(m.key for m in tier))
        if len(keys) > 1:
            names = " and ".join(self.by_key[k].name for k in keys)
            return None, f"pronoun '{tok.text}' ambiguous between {names}"
        name = self.by_key[keys[0]].name
        how = f"the nearest {person} named before" if known else "the nearest person named before (gender unknown)"
        return keys[0], f"pronoun '{tok.text}' resolved to {name}, {how}"


def entity_gender(text: str, entity: LocalEntity) -> str | None:
    """'m', 'f' or None for a person: honorific before a mention, surname ending, first name."""
    for m in entity.mentions:
        hit = _HONORIFIC_BEFORE.search(text[max(0, m.start - 8): m.start])
        g = honorific_gender(hit.group(1)) if hit else None
        if g:
            return g
    words = entity.name.split()
    if len(words) > 1:
        _, g = surname_stem(words[-1])
        if g == "f":
            return "f"
    first = words[0].lower() if words else ""
    if first in FEMALE_NAMES:
        return "f"
    if first in MALE_NAMES:
        return "m"
    if len(words) > 1 and surname_stem(words[-1])[1] == "m":
        return "m"
    return None
