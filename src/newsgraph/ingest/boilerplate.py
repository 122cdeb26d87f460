"""Recognising the furniture of a news page, one line at a time.

Each test is a plain function of one stripped line. They only fire on short lines: a long
sentence that happens to mention cookies or a newsletter is body text, never furniture.
"""

from __future__ import annotations

import re

from .pubdate import WEEKDAYS

SHORT_WORDS = 30  # furniture lines are short; prose that mentions "subscribe" is not furniture


def words(line: str) -> int:
    return len(line.split())


_FURNITURE = [re.compile(p, re.I) for p in (
    r"^(?:advertisement|advert|ad|sponsored(?: content)?|promoted|reklama|реклама)\W*$",
    r"\bcookies?\b.*\b(?:agree|accept|consent|policy|settings|use of|ok)\b",
    r"\b(?:agree|accept|consent)\b.*\bcookies?\b",
    r"^share\b|\bshare (?:on|this|via|to)\b|^(?:tweet|email|e-mail|print|comments?|like)\W*$",
    r"\bsubscribe\b|\bnewsletter\b|\bsign up\b|\bfollow us\b|\bjoin us on\b",
    r"\bcopyright\b|\ball rights reserved\b|^\(c\)|^©|©\s*\d{4}|\breprint(?:s|ing)? (?:and|&) permissions\b",
    r"\brepublication\b|\breproduction\b.*\b(?:prohibited|permitted|link)\b",
    r"\bpowered by automated translation\b|\b(?:machine|automated|automatic) translation\b",
    r"^(?:skip to (?:main )?content|back to top|menu|search|log ?in|sign in|register|home|"
    r"close|loading\W*|next|previous|more|show more|load more|view comments)\W*$",
    r"^(?:tags?|topics?|filed under|categories|keywords|темы|теги)\s*:",
    r"^(?:(?:additional )?reporting|editing|writing|compiled|translated|edited) by\b",
    r"^(?:click here|download (?:our|the) app|listen to (?:this|the) article|\d+\s*min(?:ute)?s? read)\b",
    r"^(?:get (?:the|our|daily)|sign up|don'?t miss)\b.*\b(?:news|inbox|updates|email)\b",
    r"^(?:facebook|twitter|x|vk|telegram|whatsapp|linkedin|reddit|pinterest|email|print|"
    r"instagram|youtube|viber|ok|copy link|[|•·,\s])+$",
)]

# A link-list heading: the line itself, and (when nothing follows the colon) the headlines under it.
_LINK_HEADING = re.compile(
    r"^(?:read more|read also|also read|read next|related(?: articles?| coverage| stories| news| content"
    r"| posts| links| reading| topics)?|related article|similar (?:posts|articles|stories)"
    r"|most (?:popular|read|viewed|shared)|see also|more from\b[^:]*|more on (?:this|the) (?:story|topic)"
    r"|you (?:may|might) (?:also )?(?:like|be interested in)|recommended(?: for you)?|trending(?: now)?"
    r"|latest(?: news| stories)?|more stories|more news|further reading|top stories|editor'?s picks"
    r"|what to read next|also interesting|also on [\w ]{2,30}|don'?t miss|читайте также|по теме|смотрите также)\b\s*[:\-–—]?\s*(?P<rest>.*)$",
    re.I,
)

_CAPTION = [re.compile(p, re.I) for p in (
    r"^(?:photo|photos|photograph|picture|pic|image|images|caption|video|credit|file photo|"
    r"photo credit|illustration|фото)\s*(?:caption|copyright|source|credit)?\s*[:/|©-]",
    r"^(?:image|media|photo|video) (?:caption|copyright|source)\b",
    r"\((?:photo|picture|image)\s*[:/]?[^)]*\)\s*$|\((?:afp|ap|reuters|epa|getty|tass|ria)\b[^)]*photo[^)]*\)\s*$",
    r"\bgetty images\b|\bafp photo\b|\bap photo\b|\bepa-efe\b|\bshutterstock\b",
    r"(?:^|\s)(?:photo|picture|image)\s*:\s*[\w .'/-]+\s*$",
    r"^\(?(?:photo|picture|image)s? by\b",
    r"/\s*(?:afp|reuters|ap|epa|getty images|tass|ria novosti)\s*\)?\s*$",
)]

_BYLINE = re.compile(
    r"^(?i:by|written by|words by|author|authors|reporter|автор)\s*:?\s+"
    r"(?P<name>[A-ZА-ЯЁ][\w.'’\-]*(?:\s+(?:[A-ZА-ЯЁ][\w.'’\-]*|and|&|de|da|van|von|al|el|bin|ibn|le|la))*"
    r"(?:\s*(?:,|and|&)\s*[A-ZА-ЯЁ][\w.'’\-]*(?:\s+[A-ZА-ЯЁ][\w.'’\-]*)*)*)",
)
_NOT_NAMES = re.compile(r"^(?:" + WEEKDAYS + r"|the end|then|now|this|that|law|far|contrast|comparison)\b", re.I)

_NAV_SPLIT = re.compile(r"\s*(?:\||•|·|»|›|/|\s-\s|\s–\s)\s*")


def is_furniture(line: str) -> bool:
    """Share, subscribe, cookie, copyright, ad, translation-notice and similar lines."""
    if words(line) > SHORT_WORDS:
        return False
    return any(p.search(line) for p in _FURNITURE)


def link_heading(line: str) -> str | None:
    """For a 'Read more' / 'Related' / 'Most popular' line: the text after it ('' if none).

    None when the line is not a link-list heading.
    """
    if words(line) > 25:
        return None
    m = _LINK_HEADING.match(line)
    if not m:
        return None
    rest = m["rest"].strip()
    # "Related coverage" heads a list; "More from Moscow police said..." is prose.
    if rest and not re.match(r"^[:\-–—]|^[A-ZА-Я0-9\"'«“]", line[m.start("rest"):].lstrip(" ")):
        return None
    if rest and rest[-1] in ".!" and words(rest) > 14:
        return None
    return rest


def is_list_item(line: str) -> bool:
    """A line under a link-list heading: a bullet, or a headline (short, no closing full stop)."""
    if re.match(r"^[-*•–—·▪►>+]\s+", line):
        return True
    return words(line) <= 18 and not line.rstrip().endswith((".", ":", ";", ","))


def is_caption(line: str) -> bool:
    """Photo captions and credits ('Photo: Reuters', '(AFP Photo / ...)', 'Image caption ...')."""
    if words(line) > 45:
        return False
    return any(p.search(line) for p in _CAPTION)


def byline_name(line: str) -> str | None:
    """The author part of a byline ('By Anna Petrova, Moscow'), or None if `line` is no byline."""
    if words(line) > 16:
        return None
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    name = m["name"].strip(" ,")
    if _NOT_NAMES.match(name):
        return None
    rest = line.strip()[m.end():].strip()
    # "By Tuesday, the army had withdrawn." is a sentence, not a byline.
    if rest and not re.match(r"^(?:[,|•·/\-–—(]|\d|on\b|in\b|at\b|for\b|$)", rest, re.I):
        return None
    if re.search(r"[a-zа-я]\.$", line.strip()) and words(line) > 6:
        return None
    return name


def is_nav(line: str) -> bool:
    """A navigation bar: three or more short labels separated by '|', '•', '»' and the like."""
    parts = [p for p in _NAV_SPLIT.split(line) if p.strip()]
    if len(parts) < 3:
        return False
    return all(words(p) <= 4 for p in parts) and not line.rstrip().endswith((".", "?", "!"))


def is_masthead_words(line: str) -> bool:
    """Lines that name the page, not the story: 'Today is ...', 'Print edition - Page 6'."""
    return words(line) <= 12 and bool(re.search(
        r"^today is\b|^today:|^сегодня\b|\bprint edition\b|\bpage \d+\b|\bissue (?:no\.?\s*)?\d+\b"
        r"|\bvol(?:ume)?\.? \d+\b|\bno\. \d+\b",
        line, re.I,
    ))
