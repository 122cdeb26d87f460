"""Direct quotations and who speaks them.

A quotation is text between straight or curly double quotes (one paragraph for straight quotes;
curly quotes may run over several sentences). Scare quotes (a few words without sentence
punctuation) are not quotations. The speaker is the subject of a saying verb just after the
quotation ('"...," said Rustam, the detainee's younger brother' / '"..." she said') or just
before it ('X said: "..."'); pronouns are resolved as for event participants. A quotation
that goes on in the same paragraph right after its speaker is named keeps that speaker.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..model import LocalEntity, Quote
from .modality import SAY_VERBS
from .pronouns import PLURAL_PRONOUNS, PRONOUN_GENDER, MentionIndex

# Straight quotes carry no direction: an opening one follows a space, bracket or dash (or starts
# the text), a closing one is not followed by a letter; this keeps a quotation that runs on into
# the next paragraph from pairing its closing mark with the next opening one.
# A paragraph that opens a quotation without closing it continues in the next paragraph, which
# opens with a quotation mark again (news convention); the speaker is named at the very end.
_QUOTED = re.compile(r"“([^”]{2,4000}?)”|(?<![^\s(\[{\u2014\u2013-])\"(?:([^\"\n]{2,2000}?)\"(?![A-Za-z0-9])"
                     r"|([^\"\n]{2,2000})(?=\n\s*\"))")
_SPEECH = SAY_VERBS | {"ask", "reply", "continue", "shout", "scream", "cry", "whisper", "complain", "respond"}
_WINDOW = 14  # tokens after or before a quotation searched for its saying verb


def extract_quotes(doc: Doc, entities: list[LocalEntity], index: MentionIndex | None = None) -> list[Quote]:
    """Direct quotations in the article, each with its speaker as written and its entity key."""
    index = index or MentionIndex(doc, entities)
    quotes: list[Quote] = []
    running: list[Quote] = []  # paragraphs of a quotation still open
    for m in _QUOTED.finditer(doc.text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        start, end = m.start(g), m.end(g)
        body = m.group(g)
        if g == 3:
            running.append(Quote(start=start, end=end, text=body))
            continue
        if not _is_quotation(body) and not running:
            continue
        q = Quote(start=start, end=end, text=body)
        verb = _saying_verb(doc, m.start(), m.end())
        if verb is not None:
            head = _speaker_head(verb, m.start(), m.end())
            if head is not None:
                span = speaker_span(head)
                q.speaker_text = span.text
                q.speaker_entity = link(index, head, span)[0]
        if q.speaker_text is None and not running and quotes and _continues(doc.text, quotes[-1], m.start()):
            q.speaker_text, q.speaker_entity = quotes[-1].speaker_text, quotes[-1].speaker_entity
        for part in running:
            part.speaker_text, part.speaker_entity = q.speaker_text, q.speaker_entity
        quotes.extend(running)
        running = []
        quotes.append(q)
    return quotes


def _continues(text: str, prev: Quote, opening: int) -> bool:
    """A quotation that goes on after its speaker is named, in the same paragraph:
    '"...," said Rustam, the detainee's younger brother. "He is not a commander."' Between the
    two there is only that attribution: the speaker, perhaps after one word ("said"), opens it,
    and it is at most one sentence; not '"...," he said. Wilson said he was shocked. "..."'."""
    gap = text[prev.end:opening]
    if prev.speaker_text is None or len(gap) > 200 or "\n" in gap or len(re.findall(r"[.!?](?=\s)", gap)) > 1:
        return False
    attribution = gap.lstrip(",.!?\"”’ \t")
    return attribution.startswith(prev.speaker_text) or \
        re.sub(r"^\w+\s+", "", attribution, count=1).startswith(prev.speaker_text)


def _is_quotation(body: str) -> bool:
    words = body.split()
    if len(words) >= 6:
        return True
    return len(words) >= 2 and body.rstrip()[-1:] in ",.?!…"


def _saying_verb(doc: Doc, qstart: int, qend: int) -> Token | None:
    """The saying verb right after the quotation (same sentence), else right before it."""
    after = doc.char_span(qend, min(len(doc.text), qend + 1), alignment_mode="expand")
    if after is not None:
        i = after.start
        for tok in doc[i: min(len(doc), i + _WINDOW)]:
            if tok.idx >= qend and tok.text in ("“", '"') :
                break
            if tok.idx >= qend and tok.lemma_.lower() in _SPEECH and tok.pos_ in ("VERB", "AUX"):
                return tok
            if tok.idx > qend and tok.is_sent_end and tok.text in (".", "!", "?"):
                break
    before = doc.char_span(max(0, qstart - 1), qstart, alignment_mode="expand")
    if before is not None:
        j = before.end
        lo = max(0, j - _WINDOW)
        for tok in reversed(doc[lo:j]):
            if tok.idx + len(tok) > qstart:
                continue
            if tok.text in ("”", '"') or (tok.is_sent_end and tok.text in (".", "!", "?")):
                break
            if tok.lemma_.lower() in _SPEECH and tok.pos_ in ("VERB", "AUX"):
                return tok
    return None


def _speaker_head(verb: Token, qstart: int, qend: int) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and not (qstart <= c.idx < qend):
            return c
    # "... , said Rustam": the parser sometimes hangs the name off the verb as an object.
    for c in verb.rights:
        if c.dep_ in ("dobj", "attr", "npadvmod", "appos", "dep") and c.pos_ in ("PROPN", "NOUN", "PRON") and c.idx >= qend:
            return c
    return None


def speaker_span(head: Token) -> Span:
    """The speaker's noun phrase with an appositive ("Rustam, the detainee's younger brother")."""
    span = noun_phrase(head)
    for c in head.children:
        if c.dep_ == "appos" and c.i > head.i:
            sub = noun_phrase(c)
            span = head.doc[span.start: max(span.end, sub.end)]
    return span


def noun_phrase(head: Token) -> Span:
    """The noun phrase a head stands for, without relative clauses or trailing prepositions."""
    left = head.i
    for c in head.lefts:
        if c.dep_ not in ("punct", "cc", "prep", "relcl", "acl", "appos", "mark", "advmod", "case") or c.dep_ == "case":
            left = min(left, c.left_edge.i)
    right = head.i
    for c in head.rights:
        if c.dep_ in ("compound", "flat", "case", "nummod"):
            right = max(right, c.right_edge.i)
        elif c.dep_ == "prep" and c.lower_ == "of" and c.right_edge.i - left < 10:
            right = max(right, c.right_edge.i)
    return head.doc[left: right + 1]


def link(index: MentionIndex, head: Token, span: Span) -> tuple[str | None, str | None]:
    """The entity key a noun phrase refers to (pronouns resolved), and the reason when it matters."""
    low = head.lower_
    if head.pos_ == "PRON" and (low in PRONOUN_GENDER or low in PLURAL_PRONOUNS):
        return index.resolve(head)
    return index.entity_of(span, head), None
