"""Cleaning plain-text articles: headline, byline and date lines out, furniture out, lines unwrapped.

The cascade, in order:
1. `normalise_text`: NFC, newlines, odd spaces.
2. `classify`: each line is body, blank, or furniture of a known kind (caption, link list,
   share/cookie/copyright line, nav bar, masthead, byline, date line).
3. `mark_link_lists`: a "Read more" / "Most popular" heading takes the headlines under it along.
4. `find_headline`: the headline is the last title-like line in the header region (the lines
   above the first paragraph of prose) that comes before any byline; the other header lines
   are site names, taglines and section labels, and are dropped.
5. `choose_date`: publication date from the byline and date lines, with mastheads set aside.
6. `unwrap`: hard-wrapped lines (PDF, wire copy) joined back into paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import boilerplate as bp
from .pubdate import DateLine, find_date, human_date, parse_date_line, years_mentioned

TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
BULLET = re.compile(r"^[-*•–—·▪►+]\s+")
HEADER_LIMIT = 15  # non-blank lines searched for a headline before giving up on a header region


@dataclass
class Line:
    raw: str  # as written, trailing space removed (leading space kept: it can mark a paragraph)
    text: str  # stripped
    kind: str = "body"  # blank body caption link linkhead furniture byline date masthead header title
    date: DateLine | None = None
    byline: str | None = None

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" "))


@dataclass
class PlainText:
    """What the plain-text cascade found: body, and metadata lifted out of it."""

    body: str
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    published_reason: str | None = None
    url: str | None = None
    notes: list[str] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """NFC, '\\n' newlines, no BOM / zero-width / soft hyphens / control characters, tabs as spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = re.sub("[\ufeff\u200b\u200c\u200d\u2060\u00ad]", "", text)
    text = re.sub("[\u00a0\u2007\u202f\u2009\u200a\u3000]", " ", text)
    text = text.replace("\t", "    ")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


def classify(text: str) -> Line:
    """One line and the kind of furniture it is (or 'body')."""
    raw = text.rstrip()
    line = Line(raw, raw.strip())
    t = line.text
    if not t:
        line.kind = "blank"
    elif t[:1].islower():
        pass  # the rest of a wrapped sentence ("comment."), whatever its words look like
    elif bp.is_caption(t):
        line.kind = "caption"
    elif (rest := bp.link_heading(t)) is not None:
        line.kind = "link" if rest else "linkhead"
    elif bp.is_furniture(t):
        line.kind = "furniture"
    elif (name := bp.byline_name(t)) is not None:
        line.kind, line.byline = "byline", name
        line.date = parse_date_line(t[t.find(name) + len(name):], max_leftover_words=4)
    elif (date := parse_date_line(t)) is not None:
        line.date = date
        if date.kind == "plain" and bp.is_masthead_words(t):
            line.kind = "masthead"
        elif (name := bp.byline_name(date.leftover)) is not None:
            line.kind, line.byline = "byline", name  # "Oct. 17, 2018 - By Yelena Sorokina"
        else:
            line.kind = "date"
    elif bp.is_masthead_words(t):
        line.kind = "masthead"
    elif bp.is_nav(t):
        line.kind = "furniture"
    return line


def read_header_fields(lines: list[Line]) -> tuple[str | None, str | None]:
    """Title and URL written as fields at the top ('TITLE: ... LINK: http...', 'URL: ...')."""
    title = url = None
    seen = 0
    for line in lines:
        if line.kind == "blank":
            continue
        seen += 1
        if seen > 5:
            break
        if m := re.match(r"^title:\s*(?P<t>.+?)\s+(?:link|url):\s*(?P<u>\S+)\s*$", line.text, re.I):
            title, url, line.kind = m["t"], m["u"], "header"
        elif m := re.match(r"^(?:title|headline)\s*:\s*(?P<t>.+)$", line.text, re.I):
            title, line.kind = m["t"], "header"
        elif m := re.match(r"^(?:url|link|source)\s*:\s*(?P<u>https?://\S+)\s*$", line.text, re.I):
            url, line.kind = m["u"], "header"
    return title, url


def _continued(lines: list[Line], i: int) -> bool:
    """Whether line i runs on into the next line (a wrapped sentence, not a one-line headline)."""
    return i + 1 < len(lines) and lines[i + 1].kind == "body" and lines[i + 1].text[:1].islower()


def mark_link_lists(lines: list[Line]) -> None:
    """Under a link-list heading, mark the headlines that follow as links, up to the next prose."""
    i = 0
    while i < len(lines):
        if lines[i].kind != "linkhead":
            i += 1
            continue
        j, blanks = i + 1, 0
        while j < len(lines):
            line = lines[j]
            if line.kind == "blank":
                blanks += 1
                if blanks > 1:
                    break
            elif line.kind in ("link", "linkhead", "caption", "furniture"):
                blanks = 0
            elif line.kind == "body" and bp.is_list_item(line.text) and not _continued(lines, j):
                line.kind, blanks = "link", 0
            else:
                break
            j += 1
        i = j


def _is_prose(block: list[Line]) -> bool:
    text = " ".join(line.text for line in block)
    n = bp.words(text)
    if n >= 40:
        return True
    if len(block) >= 2 and n >= 15:
        return True
    return bool(TERMINAL.search(text)) and n >= 10


def _title_like(text: str) -> bool:
    n = bp.words(text)
    if not (2 <= n <= 30) or len(text) > 250 or text.endswith((":", ",", ";")):
        return False
    if BULLET.match(text):
        return False
    # Site names in capitals ("KARTLI REVIEW") are short; an all-caps headline has more words.
    return bool(re.search(r"[a-zа-яё]", text)) or n >= 5


def _blocks(lines: list[Line]) -> list[list[int]]:
    blocks, cur = [], []
    for i, line in enumerate(lines):
        if line.kind == "body":
            cur.append(i)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def find_headline(lines: list[Line]) -> int | None:
    """Index of the headline line, marking the rest of the header region as 'header'."""
    blocks = _blocks(lines)
    header: list[int] = []
    first_prose = None
    for block in blocks:
        if _is_prose([lines[i] for i in block]):
            first_prose = block
            break
        header.extend(block)
    if first_prose is not None and len(first_prose) >= 2:
        # A headline set directly above the first paragraph, with no blank line between: it is
        # shorter than the wrapped line under it and does not end a sentence.
        first, second = lines[first_prose[0]], lines[first_prose[1]]
        if (_title_like(first.text) and not TERMINAL.search(first.text)
                and len(first.text) < 0.75 * len(second.text) and second.text[:1].isupper()
                and first.indent <= second.indent):
            header.append(first_prose[0])
    nonblank_before = sum(1 for line in lines[: header[-1] + 1] if line.kind != "blank") if header else 0
    if not header or nonblank_before > HEADER_LIMIT:
        return None
    first_byline = next((i for i, line in enumerate(lines) if line.kind == "byline"), len(lines))
    candidates = [i for i in header if _title_like(lines[i].text)]
    before_byline = [i for i in candidates if i < first_byline]
    pool = before_byline or candidates
    if not pool:
        return None
    chosen = pool[-1]
    for i in header:
        lines[i].kind = "title" if i == chosen else "header"
    return chosen


def _dateline(lines: list[Line]) -> tuple[str, str] | None:
    """A date in the dateline opening the first paragraph ('GUATEMALA CITY, 4 FEB 90 (ACAN-EFE) --')."""
    first = next((line for line in lines if line.kind == "body"), None)
    if first is None:
        return None
    m = re.match(r"^([A-ZА-ЯЁ][A-ZА-ЯЁ .'’-]+,\s+[^()\-–—]{4,30}?)\s*(?:\(|--|—|–|-\s)", first.text)
    if not m:
        return None
    found = find_date(m.group(1))
    if not found or "-" not in found.value:
        return None
    return found.value, m.group(1).strip()


MASTHEAD_YEARS = 5


def _followed_by_site_line(lines: list[Line], i: int, headline: int) -> bool:
    nxt = next((j for j in range(i + 1, len(lines)) if lines[j].kind != "blank"), None)
    return nxt is not None and nxt < headline and lines[nxt].kind in ("header", "furniture", "masthead")


def choose_date(lines: list[Line], headline: int | None, body_text: str) -> tuple[str | None, str | None]:
    """Publication date and the reason for it, from byline and date lines; mastheads set aside.

    A date above the headline is often the day the page was saved (a site masthead such as
    'Monday, 23 November 2026 | The Herald'), not the day the story ran. It is set aside when
    it shares its line with other words or sits above the site name or a nav bar, when the
    article has a date of its own, or when it is more than MASTHEAD_YEARS later than every
    year the story mentions (stories name the current or recent years; a page saved years
    later does not). A lone date above the headline is otherwise taken as the article's.
    """
    explicit, bylined, plain_after, plain_before, updated, masthead = [], [], [], [], [], []
    top = headline if headline is not None else next(
        (i for i, line in enumerate(lines) if line.kind == "body"), len(lines))
    for i, line in enumerate(lines):
        if line.date is None:
            continue
        entry = (line.date, line.text, "byline" if line.kind == "byline" else "date line")
        if line.kind == "byline":
            bylined.append(entry)
        elif line.kind == "masthead":
            masthead.append(entry)
        elif line.date.kind == "published":
            explicit.append(entry)
        elif line.date.kind == "updated":
            updated.append(entry)
        elif i < top:
            site = bool(line.date.leftover) or _followed_by_site_line(lines, i, top)
            plain_before.append(entry + (site,))
        else:
            plain_after.append(entry)
    own = explicit + bylined + plain_after
    body_years = years_mentioned(body_text)
    for *entry, site_below in plain_before:
        too_late = body_years and int(entry[0].value[:4]) > max(body_years) + MASTHEAD_YEARS
        (masthead if own or too_late or site_below else own).append(tuple(entry))
    ignored = "; ".join(
        f"masthead date {human_date(d.value)} ignored: shows the day the page was saved" for d, _, _ in masthead[:1]
    )
    reason = None
    if own:
        date, text, label = own[0]
        reason = f"{label} '{text}'"
    elif dl := _dateline(lines):
        value, text = dl
        date, reason = DateLine(value, "plain", ""), f"dateline '{text}'"
    elif updated:
        date, text, _ = updated[0]
        reason = f"only an update date is given: '{text}'"
    else:
        return None, ignored or None
    if date.note:
        reason += f" ({date.note})"
    return date.value, "; ".join(r for r in (reason, ignored) if r)


def date_from_lines(texts: list[str], title: str | None, body: str) -> tuple[str | None, str | None]:
    """Publication date from loose lines around a headline (an HTML page's header area)."""
    lines = [classify(text) for text in texts]
    key = " ".join((title or "").split()).casefold()
    headline = next((i for i, line in enumerate(lines) if key and line.text.casefold() == key), None)
    if headline is not None:
        lines[headline].kind = "title"
    return choose_date(lines, headline, body)


def _wrap_width(lines: list[Line]) -> float | None:
    """The width lines were hard-wrapped at, or None when lines are whole paragraphs."""
    lengths = [len(line.text) for line in lines if line.kind == "body"]
    if len(lengths) < 3:
        return None
    lengths.sort()
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > 180:
        return None
    long = [line for line in lines if line.kind == "body" and len(line.text) >= 0.7 * width]
    if len(long) < 0.5 * len(lengths):
        return None
    mid_sentence = sum(1 for line in long if not TERMINAL.search(line.text))
    return float(width) if mid_sentence >= 0.4 * len(long) else None


def _dehyphenate(left: str, right: str, whole_text: str) -> str:
    """'detain-' + 'ed ...' -> 'detained ...', keeping the hyphen when the document spells it so."""
    word_left = re.search(r"(\w+)-$", left).group(1)
    word_right = re.match(r"\w+", right).group(0)
    if f"{word_left}-{word_right}" in whole_text.replace("-\n", "\n"):
        return left + right
    return left[:-1] + right


def unwrap(lines: list[Line], whole_text: str, may_be_wrapped: bool = True) -> list[str]:
    """Paragraphs from the body lines: hard wraps joined, paragraph breaks kept.

    A paragraph ends at a blank line, an indented line, a bullet, or a line that stops short
    of the wrap width after a full stop (or so short that the next word would have fitted).
    """
    width = _wrap_width(lines) if may_be_wrapped else None
    paragraphs: list[str] = []
    cur: str | None = None
    prev: Line | None = None
    removed_between = False
    for line in lines:
        if line.kind == "blank":
            if cur is not None:
                paragraphs.append(cur)
            cur, prev, removed_between = None, None, False
            continue
        if line.kind != "body":
            removed_between = prev is not None
            continue
        if cur is None or prev is None:
            cur, prev, removed_between = line.text, line, False
            continue
        p, n = prev.text, line.text
        starts_lower = n[:1].islower()
        if re.search(r"[^\W\d_]-$", p) and starts_lower and re.match(r"\w", n):
            cur = _dehyphenate(cur, n, whole_text)
        elif _breaks(prev, line, width, removed_between, starts_lower):
            paragraphs.append(cur)
            cur = n
        else:
            cur = cur + " " + n
        prev, removed_between = line, False
    if cur is not None:
        paragraphs.append(cur)
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


def _breaks(prev: Line, line: Line, width: float | None, removed_between: bool, starts_lower: bool) -> bool:
    p, n = prev.text, line.text
    ends_sentence = bool(TERMINAL.search(p)) or p.endswith(":")
    if removed_between or width is None:
        return ends_sentence or not starts_lower
    if BULLET.match(n) or line.indent > prev.indent:
        return True
    next_word = len(n.split()[0])
    if ends_sentence and len(p) < 0.85 * width:
        return True
    return len(p) + 1 + next_word < 0.7 * width and not starts_lower


def clean_plaintext(text: str, known_title: str | None = None, from_html: bool = False) -> PlainText:
    """Run the plain-text cascade over `text`; `known_title` (from a container) skips the search.

    `from_html` says the lines are already paragraphs (an HTML extractor's output): no
    headline search and no hard-wrap joining, only the furniture filter and date lines.
    """
    text = normalise_text(text)
    lines = [classify(raw) for raw in text.split("\n")]
    field_title, field_url = read_header_fields(lines)
    mark_link_lists(lines)
    title = known_title or field_title
    headline = None
    if title:
        key = " ".join(title.split()).casefold()
        for i, line in enumerate(lines[:40]):
            if line.kind == "body" and " ".join(line.text.split()).casefold() == key:
                line.kind, headline = "title", i
                break
    elif not from_html:
        headline = find_headline(lines)
        if headline is not None:
            title = lines[headline].text
    body_lines = [line.text for line in lines if line.kind == "body"]
    published, reason = choose_date(lines, headline, "\n".join(body_lines))
    bylines = [line.byline for line in lines if line.kind == "byline" and line.byline]
    paragraphs = unwrap(lines, text, may_be_wrapped=not from_html)
    return PlainText(
        body="\n\n".join(paragraphs),
        title=" ".join(title.split()) if title else None,
        byline=bylines[0] if bylines else None,
        published=published,
        published_reason=reason,
        url=field_url,
    )
