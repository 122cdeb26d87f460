"""What every time-expression rule shares: the publication anchor, cue detection, and
how a `Timex` is built."""

from __future__ import annotations

from newsgraph.model import Timex

from . import timex_patterns as P
from .timex_normalise import Anchor

ABSOLUTE = "absolute date in text"
NO_PUB = "no publication date: relative expression left unresolved"
MODS = {"early": "START", "earlier": None, "late": "END", "later": None, "mid": "MID",
        "end": "END", "beginning": "START", "start": "START", "middle": "MID", "rest": None}


class Ctx:
    """What every handler needs: the text and the publication anchor."""

    __slots__ = ("text", "anchor", "pub")

    def __init__(self, text: str, anchor: Anchor):
        self.text = text
        self.anchor = anchor
        self.pub = anchor.iso

    def unresolved(self, need: str) -> str:
        """Reason for a relative expression the anchor cannot resolve."""
        if self.pub is None:
            return NO_PUB
        return f"publication date {self.pub} lacks the {need}: relative expression left unresolved"

    def rel(self, what: str = "") -> str:
        return f"relative to publication date {self.pub}" + (f" ({what})" if what else "")

    def future(self, start: int, end: int) -> bool:
        """Does the clause around the span point to the future ("will", "expected to", "by June")?"""
        text = self.text
        prev = text[max(0, start - 12):start].split()
        deadline = bool(prev) and prev[-1].lower() in P.FUTURE_PREP
        lo = max(0, start - 90)
        ends = [m.end() for m in P.SENTENCE_END.finditer(text, lo, start)]
        if ends:
            lo = ends[-1]
        hi = min(len(text), end + 40)
        m = P.SENTENCE_END.search(text, end, hi)
        if m:
            hi = m.start()
        if deadline:  # "by June", "until October": a deadline ahead unless the verb is past
            # the clause's past auxiliary may sit well before the deadline ("had joined ISIL or
            # other groups in Syria and Iraq by the end of August"); a future cue after it wins
            past = list(P.PAST_AUX.finditer(text, lo, start))
            return not past or bool(P.FUTURE_CUE.search(text, past[-1].end(), start))
        if not P.FUTURE_CUE.search(text, lo, hi):
            return False
        # "admitted Thursday night that the loss could swell": a past verb right before wins,
        # but not a passive one ("is due to be published in May")
        words = [w.strip(",;:\"'()") for w in text[max(lo, start - 40):start].lower().split()]
        if words and words[-1] in ("on", "in", "at", "during", "late", "early"):
            words.pop()
        if not words or not P.PAST_CUE.fullmatch(words[-1]):
            return True
        return len(words) > 1 and words[-2] in ("be", "been", "being", "to", "will")


def tx(ctx: Ctx, start: int, end: int, type_: str, value: str | None, precision: str | None,
       reason: str, modifier: str | None = None) -> Timex:
    """The `Timex` for text[start:end]."""
    return Timex(start=start, end=end, text=ctx.text[start:end], type=type_, value=value,
                 precision=precision, reason=reason, modifier=modifier)


def modifier_of(word: str | None) -> str | None:
    return MODS.get(word.lower()) if word else None


def number_of(word: str) -> float | None:
    """Number from digits or words; None for vague amounts ("several", "a few")."""
    w = word.lower().replace("-", " ").replace(",", "")
    half = w.endswith(" and a half")
    if half:
        w = w[: -len(" and a half")]
    if w[:1].isdigit():
        n = float(w)
    elif w in P.NUMBER_WORDS:
        n = P.NUMBER_WORDS[w]
    else:
        parts = w.split()
        if len(parts) == 2 and parts[0] in P.NUMBER_WORDS and parts[1] in P.NUMBER_WORDS:
            n = P.NUMBER_WORDS[parts[0]] + P.NUMBER_WORDS[parts[1]]
        else:
            return None
    return n + 0.5 if half else n


def month_of(word: str) -> int:
    return P.MONTHS[word.rstrip(".").lower()]


def expand_year2(y: str, ref: int | None) -> int:
    """Expand a two-digit year: the century that puts it nearest the reference year."""
    n = int(y.lstrip("'"))
    ref = ref or 2000
    best = min((c + n for c in (1900, 2000, 2100)), key=lambda v: abs(v - ref))
    return best
