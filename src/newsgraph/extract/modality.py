"""How an article states an event: as fact, as someone's report, as an allegation, denied, or as
a possibility; who says so; and whether the article flags it as unverified.

All cues are read from the dependency parse around the trigger (its own modifiers and the words
that govern it), except reliability cues, which are phrases found once per article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

SAY_VERBS = frozenset("""say tell report state announce claim add confirm write explain testify insist
recall admit note describe quote acknowledge declare reveal disclose allege argue assert maintain
stress warn""".split())
NEGATING_VERBS = frozenset("deny refute dismiss reject".split())
ALLEGING_VERBS = frozenset("suspect accuse allege believe charge think".split())
PLANNING_VERBS = frozenset("""plan intend want hope aim seek threaten try attempt prepare consider
expect propose vow promise mean need necessary ready willing""".split())
HYPOTHETICAL_AUX = frozenset("would could may might should must".split())
CONDITIONAL_MARKS = frozenset("if unless whether lest".split())
HYPOTHETICAL_AMOD = frozenset("possible potential planned future would-be likely eventual".split())
ALLEGED_AMOD = frozenset("alleged suspected purported reported".split())
ALLEGED_ADV = frozenset("allegedly purportedly supposedly".split())
REPORTED_ADV = frozenset("reportedly".split())
NEG_WORDS = frozenset("not n't never no".split())
# Nouns whose "that" clause is someone's statement: "reports that ten fighters surrendered".
REPORT_NOUNS = {"report": "reported", "statement": "reported", "rumour": "alleged", "rumor": "alleged",
                "claim": "alleged", "allegation": "alleged", "accusation": "alleged", "suspicion": "alleged"}

# Order of precedence when several cues apply to one event.
_RANK = {"negated": 4, "hypothetical": 3, "alleged": 2, "reported": 1, "asserted": 0}


@dataclass
class ModalityReading:
    modality: str = "asserted"
    cue: str | None = None  # the word that decided it, as written
    speaker: Token | None = None  # head of who says so (subject of the saying verb, "according to" object)


def read_modality(trigger: Token) -> ModalityReading:
    """The modality of the event the trigger states, the cue, and the speaker's head token."""
    best = ModalityReading()

    def offer(modality: str, cue: Token | str, speaker: Token | None = None) -> None:
        nonlocal best
        if speaker is not None and best.speaker is None:
            best.speaker = speaker
        if _RANK[modality] > _RANK[best.modality]:
            best = ModalityReading(modality, cue if isinstance(cue, str) else cue.text, best.speaker or speaker)

    _own_cues(trigger, offer)
    # Walk up the governing words: each link says how the word above frames the one below.
    child = trigger
    for gov in trigger.ancestors:
        lemma = gov.lemma_.lower()
        via = child.dep_
        framed = via in ("ccomp", "xcomp", "pcomp", "pobj", "dobj", "advcl", "conj", "parataxis", "prep", "acl", "relcl")
        if framed and via != "conj":
            if lemma in NEGATING_VERBS:
                offer("negated", gov, _subject(gov))
            elif lemma in SAY_VERBS and gov.pos_ == "VERB" and not _negated(gov):
                offer("reported", gov, _subject(gov))
            elif gov.pos_ == "NOUN" and lemma in REPORT_NOUNS and via in ("acl", "ccomp", "relcl"):
                offer(REPORT_NOUNS[lemma], gov)
            elif lemma in ALLEGING_VERBS and gov.pos_ in ("VERB", "ADJ"):
                offer("alleged", gov, _subject(gov) if not _is_passive(gov) else _by_agent(gov))
            elif lemma in PLANNING_VERBS and via == "xcomp" and gov.pos_ in ("VERB", "ADJ", "AUX"):
                offer("hypothetical", gov)
            elif via == "xcomp" and any(c.dep_ == "acomp" and c.lower_ in PLANNING_VERBS for c in gov.children):
                offer("hypothetical", next(c for c in gov.children if c.dep_ == "acomp"))  # "is necessary to"
            if via == "xcomp" and any(c.dep_ == "neg" for c in gov.children):
                offer("negated", next(c for c in gov.children if c.dep_ == "neg"))
            if via in ("xcomp", "ccomp") and any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in gov.children):
                offer("hypothetical", next(c for c in gov.children if c.lower_ in HYPOTHETICAL_AUX))
        if via == "advcl":
            mark = next((c for c in child.children if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS), None)
            if mark is not None:
                offer("hypothetical", mark)
        for c in gov.children:
            if c.dep_ == "advmod" and c.lower_ in REPORTED_ADV:
                offer("reported", c)
            if c.dep_ == "prep" and c.lower_ == "according":
                obj = _according_object(c)
                if obj is not None:
                    offer("reported", c, obj)
            if c.dep_ in ("parataxis", "ccomp") and c.i != child.i and c.lemma_.lower() in SAY_VERBS and c.i > child.i:
                offer("reported", c, _subject(c))
        child = gov
    return best


def _own_cues(trigger: Token, offer) -> None:
    """Cues on the trigger itself: negation, modal auxiliaries, conditional marks, adverbs, adjectives."""
    heads = [trigger]
    # A verb coordinated with an earlier one shares its auxiliaries ("would be arrested and tried").
    if trigger.dep_ == "conj" and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in trigger.children):
        heads.append(trigger.head)
    for h in heads:
        for c in h.children:
            low = c.lower_
            if c.dep_ == "neg" or (c.dep_ == "det" and low == "no") or (c.dep_ == "advmod" and low == "never"):
                offer("negated", c)
            elif c.dep_ in ("aux", "auxpass") and low in HYPOTHETICAL_AUX:
                offer("hypothetical", c)
            elif c.dep_ == "mark" and low in CONDITIONAL_MARKS:
                offer("hypothetical", c)
            elif c.dep_ == "advmod" and low in ALLEGED_ADV:
                offer("alleged", c)
            elif c.dep_ == "advmod" and low in REPORTED_ADV:
                offer("reported", c)
            elif c.dep_ == "amod" and low in ALLEGED_AMOD:
                offer("alleged", c)
            elif c.dep_ == "amod" and low in HYPOTHETICAL_AMOD:
                offer("hypothetical", c)
            elif c.dep_ == "prep" and low == "according":
                obj = _according_object(c)
                if obj is not None:
                    offer("reported", c, obj)
    # "If convicted, he could face ..." : a bare participle clause with "if".
    if trigger.dep_ == "advcl" and any(c.lower_ in CONDITIONAL_MARKS for c in trigger.children):
        offer("hypothetical", next(c for c in trigger.children if c.lower_ in CONDITIONAL_MARKS))


def _negated(verb: Token) -> bool:
    """"could not confirm", "did not say": the verb's subject does not vouch for the clause."""
    return any(c.dep_ == "neg" for c in verb.children)


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    return None


def _by_agent(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _according_object(prep: Token) -> Token | None:
    for c in prep.children:
        if c.dep_ == "prep" and c.lower_ == "to":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
        if c.dep_ == "pobj":
            return c
    return None


# --- reliability: phrases flagging that a claim could not be checked ------------------------

_RELIABILITY = re.compile(
    r"\b(?:could\s*not|couldn['’]t|cannot|can['’]t|can\s+not|was\s+unable\s+to|were\s+unable\s+to|"
    r"is\s+unable\s+to|are\s+unable\s+to|has\s+not\s+been|have\s+not\s+been|had\s+not\s+been|"
    r"was\s+not|were\s+not|could\s+not\s+be|not\s+possible\s+to|impossible\s+to|no\s+way\s+to)"
    r"\s+(?:be\s+)?(?:independently\s+|immediately\s+|yet\s+|otherwise\s+)?"
    r"(?:be\s+)?(?:confirm|verif|check|corroborat|authenticat)\w*"
    r"|\b(?:unverified|unconfirmed|uncorroborated|not\s+independently\s+(?:verified|confirmed))\b",
    re.IGNORECASE,
)
# Subjects that make a reliability sentence point back at the previous one.
_BACK_SUBJECTS = frozenset("""account accounts claim claims story stories report reports information
allegation allegations statement statements figure figures it this that these those details
testimony version video footage""".split())


@dataclass
class ReliabilityCue:
    start: int
    end: int
    text: str
    sentence: int  # index of the sentence it is in
    refers_back: bool  # its subject points at what the previous sentence said


def reliability_cues(doc: Doc, sentences: list[Span]) -> list[ReliabilityCue]:
    """Phrases like "could not independently verify" in the article, each with its sentence."""
    cues = []
    starts = [s.start_char for s in sentences]
    for m in _RELIABILITY.finditer(doc.text):
        si = max(0, _bisect(starts, m.start()))
        sent = sentences[si]
        # "Her story could not be verified", "Reuters could not verify the report": the subject
        # or object points back, unless a clause of its own says what it is ("the report that ...").
        back = any(t.dep_ in ("nsubj", "nsubjpass", "dobj") and t.head.dep_ == "ROOT" and t.lower_ in _BACK_SUBJECTS
                   and not any(c.dep_ in ("acl", "ccomp", "relcl") for c in t.children) for t in sent)
        cues.append(ReliabilityCue(m.start(), m.end(), m.group(0), si, back))
    return cues


def _bisect(starts: list[int], x: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, x) - 1
