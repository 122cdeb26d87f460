"""What a figure counts, who gives it and the date it refers to, from the dependency parse.

Each function takes the parsed Doc, the figure phrase found by `numbers.figure_phrase_at`
(a dict with token indices "start", "core_start", "end", the `Number` and its "unit") and
the sentence, and returns plain strings, entity keys or a `Timex`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..model import Timex

SPEECH = {"say", "tell", "estimate", "report", "claim", "announce", "state", "add", "note",
          "count", "put", "show", "suggest", "indicate", "reveal", "confirm", "cite", "record",
          "write", "explain", "calculate", "quote", "believe", "tally", "register", "assert",
          "disclose", "testify", "inform"}
ASOF_CUE = re.compile(r"\b(as of|as at|by the end of|at the end of|by|since|until|till|through)\s+$", re.I)
LEVEL_VERBS = {"be", "rise", "fall", "reach", "total", "stand", "number", "increase", "decrease",
               "grow", "drop", "climb", "exceed", "double", "top", "hit", "jump", "surge",
               "decline", "amount", "remain", "account", "cost", "tally", "soar", "plunge"}
QUALIFIER_DEPS = {"prep", "relcl", "acl"}
MAX_WHAT_RIGHT = 10


def counted_noun(doc: Doc, ph: dict) -> Token | None:
    """The noun the number counts: the next noun after it, or the object of "of"."""
    j = ph["end"]
    n = len(doc)
    if j + 1 < n and doc[j].lower_ == "of" and doc[j + 1].pos_ == "PRON":
        return None  # "40 of them": the figure before says who
    last = doc[j - 1]
    if last.head.i >= j and last.head.pos_ in ("NOUN", "PROPN") and last.head.i - j < 6:
        head = last.head
        while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ in ("NOUN", "PROPN"):
            head = head.head
        return head
    k = j
    while k < n and k - j < 5 and doc[k].pos_ in ("ADJ", "NOUN", "PROPN", "VERB") and doc[k].tag_ not in ("VBD", "VBZ", "VBP", "MD"):
        if doc[k].pos_ in ("NOUN", "PROPN") and not (k + 1 < n and doc[k + 1].pos_ in ("NOUN", "PROPN")):
            return doc[k]
        k += 1
    if j < n and doc[j].lower_ == "of":
        pobj = [c for c in doc[j].children if c.dep_ == "pobj"]
        if pobj:
            return None if pobj[0].pos_ == "PRON" else pobj[0]
        for t in doc[j + 1:min(n, j + 6)]:
            if t.pos_ in ("NOUN", "PROPN", "PRON"):
                if t.pos_ == "PRON":
                    return None
                while t.i + 1 < n and doc[t.i + 1].pos_ in ("NOUN", "PROPN") and t.dep_ == "compound":
                    t = doc[t.i + 1]
                return t
    return None


def what_phrase(doc: Doc, ph: dict, sent: Span) -> str | None:
    head = ph.get("duration_head") or counted_noun(doc, ph)
    duration = ph.get("duration_head") is not None
    if head is None or (head.i < ph["end"] and not duration):
        what = _subject_what(doc, ph, sent)
        if what is None and ph["unit"] is not None and ph["unit"].isupper():
            what = _money_what(doc, ph)
        return what
    left = head.i if duration else ph["end"]
    if doc[left].lower_ == "of":
        left += 1
    while left < head.i and doc[left].pos_ in ("DET", "PUNCT", "CCONJ", "ADP", "NUM"):
        left += 1
    right = head.i + 1
    for child in head.rights:
        if child.left_edge.i != right:
            break
        if child.dep_ == "cc" or (child.dep_ == "conj" and child.pos_ == "NOUN"
                                  and not any(c.dep_ == "nummod" for c in child.children)):
            right = child.i + 1 if child.dep_ == "cc" else child.right_edge.i + 1
            continue  # "women and children" is what is counted
        if child.dep_ not in QUALIFIER_DEPS or (child.dep_ == "acl" and child.tag_ not in ("VBG", "VBN")):
            break
        right = child.right_edge.i + 1
    right = min(right, head.i + 1 + MAX_WHAT_RIGHT, sent.end)
    cut = [t.i for t in doc[head.i + 1:right] if t.text in (",", ";", "(", ":", "—", "\"", "“")
           or t.i >= sent.end or (t.is_space and t.text.count("\n") >= 2)]
    if cut:
        right = cut[0]
    while right > head.i + 1 and doc[right - 1].pos_ in ("ADP", "DET", "CCONJ", "PUNCT", "PART", "SCONJ"):
        right -= 1
    text = doc[left:right].text if left < right else head.text
    if duration and right == head.i + 1:
        near = {t.lemma_ for t in doc[max(sent.start, ph["start"] - 6):min(sent.end, ph["end"] + 8)]}
        return "ban" if "ban" in near else "prison term"
    return text or None


def _money_what(doc: Doc, ph: dict) -> str | None:
    """For an amount with no noun: the verb that moves it and where to ("sent to her son")."""
    verb = governor(doc[ph["core_start"]])
    if verb.pos_ != "VERB":
        return None
    parts = [verb.text]
    for c in verb.rights:
        if c.dep_ == "prep" and c.i >= ph["end"] and c.right_edge.i - c.i < 6:
            parts.append(doc[c.i:c.right_edge.i + 1].text)
            break
    return " ".join(parts)


def _subject_what(doc: Doc, ph: dict, sent: Span) -> str | None:
    """For "the number of X rose to 850": the subject of the verb that governs the number."""
    tok = doc[ph["core_start"]]
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.lemma_ not in LEVEL_VERBS:
        return None
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN") and not (
                c.left_edge.i <= tok.i <= c.right_edge.i):
            s, e = c.left_edge.i, min(c.right_edge.i + 1, c.i + 1 + MAX_WHAT_RIGHT)
            while s < c.i and doc[s].pos_ in ("DET", "PUNCT"):
                s += 1
            return doc[s:e].text
    return None


def source_of(doc: Doc, ph: dict, sent: Span, mentions) -> tuple[str | None, str | None]:
    tok = doc[ph["core_start"]]
    span = None
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < sent.end and doc[t.i + 1].lower_ == "to":
            to = doc[t.i + 1]
            e = max([to.right_edge.i] + [c.right_edge.i for c in to.children]) + 1
            e = min(e, t.i + 14, sent.end)
            stop = [x.i for x in doc[t.i + 2:e] if x.text in (",", ";", ".")]
            e = stop[0] if stop else e
            if not (t.i <= tok.i < e):
                span = (t.i, e, None)
                break
    if span is None:
        node = tok
        while node.head.i != node.i:
            node = node.head
            if node.lemma_ in SPEECH and node.pos_ == "VERB":
                subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
                if not subj or subj[0].left_edge.i <= tok.i <= subj[0].right_edge.i:
                    continue
                s = subj[0]
                lo = s.left_edge.i if s.right_edge.i - s.left_edge.i < 15 else min(
                    [c.left_edge.i for c in s.lefts] + [s.i])
                hi = max(node.i, s.right_edge.i) + 1
                objs = [c for c in node.children if c.dep_ in ("dobj", "dative") and c.i > node.i
                        and c.right_edge.i - node.i < 4 and not (c.left_edge.i <= tok.i <= c.right_edge.i)]
                if objs:
                    hi = max(hi, objs[0].right_edge.i + 1)
                if lo <= tok.i < hi or lo < sent.start or hi > sent.end:
                    continue
                span = (lo, hi, s)
                break
    if span is None:
        return None, None
    s_i, e_i, subj = span
    a, b = doc[s_i].idx, doc[e_i - 1].idx + len(doc[e_i - 1])
    inside = [m for m in mentions if a <= m[0] and m[1] <= b]
    key = None
    if inside:
        if subj is not None:
            hits = [m for m in inside if m[0] <= subj.idx < m[1]]
            if hits:
                inside = hits
        key = inside[0][2]
    return ph["text"][a:b], key


def as_of(doc: Doc, ph: dict, sent: Span, timexes: list[Timex]) -> Timex | None:
    a, b = doc[ph["start"]].idx, doc[ph["end"] - 1].idx + len(doc[ph["end"] - 1])
    s, e = sent.start_char, sent.end_char
    cands = [t for t in timexes if s <= t.start and t.end <= e and (t.end <= a or t.start >= b)]
    if not cands:
        return None
    cued = []
    for t in cands:
        m = ASOF_CUE.search(ph["text"], max(s, t.start - 20), t.start)
        if m and t.type != "DURATION" or (m and m.group(1).lower() == "since"):
            cued.append((abs(t.start - a), t, m))
    if cued:
        _, t, m = min(cued, key=lambda x: x[0])
        mod = "SINCE" if m.group(1).lower() == "since" else t.modifier
        return replace(t, start=m.start(), text=ph["text"][m.start():t.end], modifier=mod)
    verb = governor(doc[ph["core_start"]])
    for t in cands:
        if t.type not in ("DATE", "TIME"):
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and governor(span.root).i == verb.i:
            return t
    return None


def governor(tok: Token) -> Token:
    node = tok
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node
