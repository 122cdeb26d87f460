"""Events of one parsed article: typed triggers with participants, place, date, modality,
attribution and reliability.

Stages, in order:
1. triggers: lemma-index lookups of the schema's verbs, event nouns and phrases (`_triggers`),
   each checked against its flags (a person released, a place travelled to);
2. arguments: subject, object, by-phrase, possessor and prepositional objects from the
   dependency parse, the passive and control verbs ("planned to travel") handled, mapped to
   roles by the schema; spans linked to entities, pronouns resolved (`_participants`);
3. place and date: the resolved place and the time expression attached to this trigger in its
   clause, else one in the sentence that no other trigger claims (`_attached`); a definite
   event noun and the event it refers back to complete each other (`_antecedent`); an event
   still without place or date takes them from the nearest earlier event of the same happening
   within two sentences (`_carry_over`), each with the reason;
4. modality and attribution (modality.py), reliability cues, quotations' speakers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..model import Event, LocalEntity, Participant, Quote, Timex
from .event_schema import EventSchema, Trigger, load_event_schema
from .modality import SAY_VERBS, read_modality, reliability_cues
from .pronouns import PLURAL_PRONOUNS, PRONOUN_GENDER, MentionIndex
from .quotes import extract_quotes, link, noun_phrase

__all__ = ["extract_events", "extract_quotes", "load_event_schema"]

PERSON_NOUNS = frozenset("""man woman men women child children boy girl wife wives widow husband son
daughter mother father brother sister family families citizen national resident suspect militant
fighter member prisoner detainee hostage convict inmate journalist activist soldier officer
policeman people person individual civilian teenager youth student recruit jihadist insurgent
rebel guerrilla guerrillas terrorist leader commander worker employee volunteer refugee migrant
orphan minor kid baby infant relative native cleric imam preacher doctor nurse official diplomat
businessman national nationals returnee returnees emir bride brides couple accomplice accomplices
mercenary mercenaries gunman gunmen captive captives mayor governor minister president judge priest
senator deputy councillor councilman prosecutor lawyer bodyguard guard driver farmer peasant peasants
policemen soldiers officers""".split())
_PERSON_PRON = frozenset(PRONOUN_GENDER) | {"who", "whom", "i", "we", "you", "me", "us"}
_RELATIVE = frozenset({"who", "whom", "that", "which"})
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "on", "into", "to"})
_SKIPPABLE = frozenset({"DET", "PRON", "ADJ", "NUM"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
WEAPON_NOUNS = frozenset("""bomb bombs explosive explosives mine mines grenade grenades dynamite device
devices charge charges car-bomb carbomb rocket rockets mortar mortars shell shells ied ieds tnt
missile missiles""".split())
MONEY_NOUNS = frozenset("""money cash fund funds sum payment donation transfer dollar euro rouble ruble pound
lira tenge som somoni lari manat hryvnia dinar riyal rupee yuan yen franc""".split())
_DIRECTIONAL = frozenset({"from", "for", "to", "into", "toward", "towards", "via", "through"})
_QUANTIFIERS = frozenset({"some", "most", "many", "several", "all", "dozens", "hundreds", "thousands",
                          "none", "each", "few", "both", "one"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_ANAPHOR_WINDOW = 3  # sentences back in which "the attack" looks for the attack it names


@dataclass
class _Hit:
    trigger: Trigger
    head: Token  # the token that heads the mention (a phrase's first word)
    tokens: list[Token]  # every word of the trigger


@dataclass
class _Context:
    doc: Doc
    index: MentionIndex
    places: list[tuple[int, int, str]]  # (start, end, key) of resolved place mentions
    timexes: list[Timex]
    trigger_heads: set[int]
    countries: dict[str, tuple[str | None, bool]] = field(default_factory=dict)  # place key -> (country, is a country)


def extract_events(doc: Doc, entities: list[LocalEntity], timexes: list[Timex],
                   schema: EventSchema | None = None, quotes: list[Quote] | None = None) -> list[Event]:
    """The events a parsed article states, in text order. Pure; reads only its arguments.
    `quotes`: the article's quotations when the caller has them already (their speakers are
    the attribution of events inside them)."""
    schema = schema or load_event_schema()
    places = sorted((m.start, m.end, e.key) for e in entities if e.label == "PLACE" and e.place is not None
                    for m in e.mentions)
    hits = _triggers(doc, schema, _place_tokens(doc, places))
    if not hits:
        return []
    index = MentionIndex(doc, entities)
    dated = [t for t in timexes if t.type in ("DATE", "TIME") and t.value and t.value[:1].isdigit()]
    countries = {e.key: (e.place.country, e.place.precision == "country") for e in entities
                 if e.label == "PLACE" and e.place is not None}
    ctx = _Context(doc, index, places, dated, {h.head.i for h in hits}, countries)
    sentences = list(doc.sents)
    cues = reliability_cues(doc, sentences)
    with_events = {index.sentence_index(h.head.idx) for h in hits}
    for cue in cues:
        # "The account could not be verified." on its own points at the sentence before.
        cue.refers_back = cue.refers_back or cue.sentence not in with_events
    quotes = extract_quotes(doc, entities, index) if quotes is None else quotes
    events = []
    for hit in hits:
        ev = _event(ctx, schema, hit)
        if ev is None:
            continue
        _attribution(ctx, hit, ev, quotes)
        _reliability(ctx, ev, cues)
        _antecedent(ctx, hit, ev, events)
        events.append(ev)
    _carry_over(ctx, events)
    return events


# --- 1. triggers -----------------------------------------------------------------------------


def _place_tokens(doc: Doc, places: list[tuple[int, int, str]]) -> frozenset[int]:
    """Indices of the tokens inside resolved place mentions: "flown from Qamishli" is a place
    argument even where the model tagged Qamishli as an organisation."""
    out: set[int] = set()
    for start, end, _ in places:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return frozenset(out)


def _triggers(doc: Doc, schema: EventSchema, place_tokens: frozenset[int] = frozenset()) -> list[_Hit]:
    hits: list[_Hit] = []
    covered: dict[int, set[str]] = {}  # token index -> types already triggered over it
    for tok in doc:
        lemma = tok.lemma_.lower()
        for key in {lemma, tok.lower_}:
            for trig in schema.phrases.get(key, ()):
                toks = _match_phrase(tok, trig)
                if toks and _phrase_pos_ok(toks) and trig.type not in covered.get(tok.i, ()) \
                        and _flags_ok(trig, tok, toks, place_tokens):
                    hits.append(_Hit(trig, tok, toks))
                    for t in toks:
                        covered.setdefault(t.i, set()).add(trig.type)
        if tok.pos_ == "VERB" or (tok.pos_ == "ADJ" and tok.tag_ == "VBN"):
            cands = schema.verbs.get(lemma, ())
        elif tok.pos_ == "NOUN" and tok.dep_ not in ("compound",) and not _idiom(tok):
            cands = schema.nouns.get(lemma, ())
        else:
            cands = ()
        for trig in cands:
            if trig.type in covered.get(tok.i, ()) or not _flags_ok(trig, tok, [tok], place_tokens):
                continue
            if tok.pos_ == "NOUN" and _restates(tok, trig.type, covered):
                continue
            hits.append(_Hit(trig, tok, [tok]))
            covered.setdefault(tok.i, set()).add(trig.type)
    hits.sort(key=lambda h: h.head.i)
    return hits


def _match_phrase(tok: Token, trig: Trigger) -> list[Token] | None:
    toks = _match_words(tok, trig, None)
    if toks is None and tok.pos_ == "VERB" and len(trig.words) == 2:
        # The verb's object may stand before its particle: "flew 79 children home", "brought the
        # women back" (not before a preposition: "left Dagestan for Turkey" is no "leave for").
        obj = next((c for c in tok.children if c.dep_ == "dobj" and c.left_edge.i == tok.i + 1), None)
        if obj is not None:
            toks = _match_words(tok, trig, obj)
            if toks is not None and toks[-1].dep_ not in ("prt", "advmod"):
                return None
    return toks


def _match_words(tok: Token, trig: Trigger, obj: Token | None) -> list[Token] | None:
    doc, toks = tok.doc, [tok]
    j = tok.i + 1 if obj is None else obj.right_edge.i + 1
    for words in trig.words[1:]:
        skipped = 0
        while j < len(doc) and skipped <= 1:
            t = doc[j]
            if t.lemma_.lower() in words or t.lower_ in words:
                toks.append(t)
                j += 1
                break
            if t.pos_ in _SKIPPABLE and not t.is_sent_start and skipped == 0:
                skipped += 1
                j += 1
                continue
            return None
        else:
            return None
    return toks


def _phrase_pos_ok(toks: list[Token]) -> bool:
    """A phrase is headed by a verb ("leave for"), or is a noun compound ("air strike");
    "medical leave for a month" is neither."""
    if toks[0].pos_ == "VERB":
        return True
    return toks[0].pos_ in ("NOUN", "PROPN", "ADJ") and toks[-1].pos_ == "NOUN"


def _idiom(tok: Token) -> bool:
    """Nouns that are no event here: "in charge of", the source in "according to the indictment"."""
    if tok.lower_ == "charge" and tok.head.lower_ == "in":
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"


def _restates(noun: Token, type_: str, covered: dict[int, set[str]]) -> bool:
    """An event noun that is the object of a trigger of the same type ("carried out an attack")."""
    h = noun.head
    if h.dep_ == "prep":
        h = h.head
    return h.i != noun.i and type_ in covered.get(h.i, ())


def _flags_ok(trig: Trigger, head: Token, toks: list[Token], place_tokens: frozenset[int] = frozenset()) -> bool:
    if "passive" in trig.flags:
        if not (_is_passive(head) or any(c.dep_ == "prep" and c.lower_ == "for" for c in head.children)):
            return False
    if "person" in trig.flags:
        theme = _theme(head, trig, toks)
        if theme is None or not _is_person_like(theme):
            return False
    if "place" in trig.flags and not _has_place_arg(head, toks, place_tokens):
        return False
    if "weapon" in trig.flags:
        slots = _verb_slots(head, toks)
        if not any(t.lemma_.lower() in WEAPON_NOUNS or t.lower_ in WEAPON_NOUNS
                   for t in slots.get("subj", []) + slots.get("obj", [])):
            return False
    if "traveller" in trig.flags:
        # "Aliyev left Russia", "students who left for Syria", "left home"; not "the blast left five
        # dead in Lima", "leaves behind a company", "I will leave with satisfaction in ... America"
        slots = _verb_slots(head, toks)
        subj, obj = slots.get("subj"), slots.get("obj")
        if not subj or not _is_person_like(subj[0]) or (obj and obj[0].i not in place_tokens and _is_person_like(obj[0])) \
                or any(c.dep_ == "prt" or c.lower_ == "behind" for c in head.children):
            return False  # no one travelling, or someone taking others ("flew 84 children home")
        if not _has_place_arg(head, toks, place_tokens, preps=_DIRECTIONAL, home=True):
            return False
    if "self" in trig.flags:
        # "handed himself over" is a surrender; "was handed over to Russia" is not his doing
        if not any(t.lower_.endswith(("self", "selves")) for t in _verb_slots(head, toks).get("obj", [])):
            return False
    if "money" in trig.flags:
        # "sent $4,500 to a fighter", "sending 60,000 roubles"; not "sent four men to Syria"
        if not any(t.ent_type_ == "MONEY" or t.lemma_.lower() in MONEY_NOUNS
                   for t in _verb_slots(head, toks).get("obj", [])):
            return False
    return True


def _theme(head: Token, trig: Trigger, toks: list[Token]) -> Token | None:
    """The one the event happens to: object, passive subject, "of"-object, or an ergative subject."""
    if head.pos_ == "NOUN" and trig.pos != "PHRASE":
        for c in head.children:
            if c.dep_ == "poss":
                return c
            if c.dep_ == "prep" and c.lower_ == "of":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        return None
    slots = _verb_slots(head, toks)
    if slots.get("obj"):
        return slots["obj"][0]
    if "ergative" in trig.flags or trig.pos == "PHRASE":
        return (slots.get("subj") or [None])[0]
    return None


def _is_person_like(tok: Token) -> bool:
    if tok.lower_ in _PERSON_PRON or tok.lower_.endswith("self") or tok.lower_.endswith("selves"):
        return True
    of = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
               for g in c.children if g.dep_ == "pobj"), None)
    if of is not None and (tok.tag_ == "CD" or tok.lower_ in _QUANTIFIERS):
        return _is_person_like(of)  # "158 of its citizens", "most of the women"
    if tok.lower_ in PLURAL_PRONOUNS or (tok.ent_type_ in ("ORDINAL", "CARDINAL") and tok.head.i != tok.i
                                         and tok.dep_ in ("nsubj", "nsubjpass", "dobj")):
        # "they"/"them" are people when people were last named: "the women ... They were released";
        # so is a bare number or ordinal: "Two of the students ... A third returned".
        return _people_named_before(tok)
    if tok.ent_type_ in ("PERSON", "NORP"):
        return True
    return tok.lemma_.lower() in PERSON_NOUNS or tok.lower_ in PERSON_NOUNS


def _people_named_before(tok: Token) -> bool:
    """Whether the last plural noun or named group before `tok`, in its sentence or the one
    before, is people."""
    lo = tok.sent.start
    if lo > 0:
        lo = tok.doc[lo - 1].sent.start
    for t in reversed(tok.doc[lo: tok.i]):
        if t.tag_ in ("NNS", "NNPS") or t.ent_type_ in ("PERSON", "NORP", "ORG", "PRODUCT"):
            return t.ent_type_ in ("PERSON", "NORP") or t.lemma_.lower() in PERSON_NOUNS
    return False


def _has_place_arg(head: Token, toks: list[Token], place_tokens: frozenset[int] = frozenset(),
                   preps: frozenset[str] | None = None, home: bool = False) -> bool:
    """A place among the trigger's direct or prepositional objects (only `preps`, when given);
    with `home`, "left (their) home" counts."""
    for t in toks:
        for c in t.children:
            if c.dep_ == "prep" and (preps is None or c.lower_ in preps):
                objs = [g for g in c.children if g.dep_ == "pobj"]
            else:
                objs = [c] if c.dep_ == "dobj" else []
            if home and any(o.lemma_.lower() == "home" for o in objs):
                return True
            if c.dep_ == "advmod" and c.lower_ in ("abroad", "home", "overseas"):
                return True
            for o in objs:
                # With `preps`, the object's own noun phrase only, not a clause inside it.
                words = o.subtree if preps is None else _phrase_words(o)
                if any(t2.ent_type_ in _PLACE_LABELS or t2.i in place_tokens for t2 in words):
                    return True
    return False


def _phrase_words(tok: Token) -> list[Token]:
    """A noun's phrase without its clauses: "a company [that ... America]" is "a company"."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in ("relcl", "acl", "advcl", "ccomp", "appos", "punct"):
            out.extend(_phrase_words(c))
    return out


# --- 2. arguments ----------------------------------------------------------------------------


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    # A bare participle clause is passive: "a man detained in ...", "if convicted, ...".
    bare = verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in verb.children)
    if bare and verb.dep_ == "conj" and verb.head.i != verb.i:
        # A participle joined to a passive one shares its passive: "was handed over ... and flown".
        return verb.head.tag_ == "VBN" and any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.head.children)
    return bare and verb.dep_ in ("acl", "advcl")


def _verb_slots(verb: Token, toks: list[Token]) -> dict[str, list[Token]]:
    """Syntactic slots of a verb trigger, in active terms (the passive subject is "obj")."""
    slots: dict[str, list[Token]] = {}
    passive = _is_passive(verb)

    def put(slot: str, tok: Token | None) -> None:
        if tok is not None:
            slots.setdefault(slot, []).append(tok)

    for c in verb.children:
        if c.dep_ == "nsubj":
            put("subj", c)
        elif c.dep_ == "nsubjpass":
            put("obj", c)
        elif c.dep_ == "dobj" and c not in toks:
            put("obj", c)
        elif c.dep_ == "agent":
            put("subj", next((g for g in c.children if g.dep_ == "pobj"), None))
    for t in toks:
        for c in t.children:
            if c.dep_ == "prep" and c not in toks[:1]:
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None and obj not in toks:
                    put(f"prep:{c.lower_}", obj)
        if t.i != verb.i and t.dep_ == "prep":
            obj = next((g for g in t.children if g.dep_ == "pobj"), None)
            if obj is not None and obj not in toks:
                put(f"prep:{t.lower_}", obj)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON") \
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children):
        put("obj" if passive else "subj", verb.head)
    elif verb.dep_ == "relcl":
        for slot in ("subj", "obj"):
            slots[slot] = [verb.head if t.lower_ in _RELATIVE else t for t in slots.get(slot, [])]
    # A participle that shares its passive with the verb before it ("was planted and detonated")
    # shares that verb's subject too, whatever the parse hung on it as an object.
    shared = verb.dep_ == "conj" and not any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    if "subj" not in slots and not (passive and "obj" in slots and not shared):
        inherited = _inherited_subject(verb)
        if inherited is not None:
            tok, head_passive = inherited
            if (verb.dep_ == "conj" and head_passive and verb.tag_ == "VBN") or passive:
                put("obj", tok)
            else:
                put("subj", tok)
    return slots


def _inherited_subject(verb: Token) -> tuple[Token, bool] | None:
    """The subject a verb without one shares: "planned to travel", "arrested and charged"."""
    cur = verb
    for _ in range(3):
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep":
            cur = cur.head
        if cur.dep_ not in ("xcomp", "conj", "advcl", "prep", "acomp") or cur.head.i == cur.i:
            return None
        gov = cur.head
        # "sentenced X for joining": the one sentenced did the joining.
        if cur.dep_ == "prep" and cur.lower_ in ("for", "over") and not _is_passive(gov):
            obj = next((c for c in gov.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj, False
        for c in gov.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("it", "there"):
                if cur.dep_ == "xcomp" and _is_passive(gov) and gov.lemma_.lower() in ("suspect", "accuse", "believe", "charge"):
                    pass
                return c, c.dep_ == "nsubjpass"
        cur = gov
    return None


def _noun_slots(noun: Token) -> dict[str, list[Token]]:
    slots: dict[str, list[Token]] = {}
    for c in noun.children:
        if c.dep_ == "poss":
            slots.setdefault("poss", []).append(c)
        elif c.dep_ == "prep":
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                slots.setdefault(f"prep:{c.lower_}", []).append(obj)
    return slots


def _participants(ctx: _Context, schema: EventSchema, hit: _Hit) -> list[Participant]:
    trig, head = hit.trigger, hit.head
    nominal = head.pos_ == "NOUN" and trig.pos != "PHRASE"
    slots = _noun_slots(head) if nominal else _verb_slots(head, hit.tokens)
    if "ergative" in trig.flags and "subj" in slots and "obj" not in slots:
        slots["obj"] = slots.pop("subj")
    out: list[Participant] = []
    seen: set[tuple[int, int]] = set()
    for slot, toks in slots.items():
        role = schema.role(trig.type, slot)
        if role is None:
            continue
        for tok in toks:
            for arg in [tok, *tok.conjuncts]:
                if _is_time(ctx, arg) or arg.pos_ in ("ADV", "SCONJ", "CCONJ", "PUNCT"):
                    continue
                span = _arg_span(ctx, arg)
                if (span.start_char, span.end_char) in seen:
                    continue
                seen.add((span.start_char, span.end_char))
                key, reason = link(ctx.index, arg, span)
                out.append(Participant(role=role, text=span.text, start=span.start_char, end=span.end_char,
                                       entity=key, reason=reason))
    return out


def _arg_span(ctx: _Context, head: Token) -> Span:
    """The entity mention over the head when it lies inside the head's noun phrase, else the phrase."""
    phrase = noun_phrase(head)
    hit = ctx.index.overlapping(head.idx, head.idx + len(head))
    if hit and phrase.start_char <= hit[0].start and hit[0].end <= phrase.end_char:
        span = ctx.doc.char_span(hit[0].start, hit[0].end, alignment_mode="expand")
        if span is not None:
            return span
    return phrase


def _is_time(ctx: _Context, tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or any(t.start <= tok.idx < t.end for t in ctx.timexes)


# --- 3. place and date -----------------------------------------------------------------------


def _event(ctx: _Context, schema: EventSchema, hit: _Hit) -> Event | None:
    head = hit.head
    sent = head.sent
    first, last = hit.tokens[0], hit.tokens[-1]
    ev = Event(
        type=hit.trigger.type,
        trigger_start=first.idx,
        trigger_end=last.idx + len(last),
        trigger_text=ctx.doc.text[first.idx: last.idx + len(last)],
        sentence=(sent.start_char, sent.end_char),
        plover=schema.types[hit.trigger.type].plover,
    )
    ev.participants = _participants(ctx, schema, hit)
    in_sentence = [(s, e, k) for s, e, k in ctx.places if sent.start_char <= s < sent.end_char]
    # "Lima -- A bomb exploded in Ica": the dateline is where the report was filed, not where
    # the bomb exploded, unless the sentence names no other place ("Lima -- ... in this city")
    in_sentence = [p for p in in_sentence if not _is_dateline(ctx.doc.text, p[0], p[1])] or in_sentence
    if ev.type in _PLACE_IS_DESTINATION:
        # "brought home 158 citizens from camps in Syria": Syria is where they came from
        origins = [_subtree_chars(ctx.doc, p.start, p.end) for p in ev.participants if p.role == "origin"]
        in_sentence = [p for p in in_sentence if not any(s <= p[0] < e for s, e in origins)]
    place = _attached(ctx, hit, in_sentence)
    ev.place = place[2] if place else None
    date = _attached(ctx, hit, [(t.start, t.end, t) for t in ctx.timexes if sent.start_char <= t.start < sent.end_char])
    ev.date = date[2] if date else None
    reasons = [p.reason for p in ev.participants if p.reason]
    ev.reason = "; ".join(reasons) or None
    return ev


def _subtree_chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The characters of a participant's whole phrase: "camps" stands for "camps in Syria"."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return start, end
    root = span.root
    return min(start, root.left_edge.idx), max(end, root.right_edge.idx + len(root.right_edge))


def _is_dateline(text: str, start: int, end: int) -> bool:
    return not text[:start].strip() and text[end:end + 4].lstrip().startswith(("--", "—"))


def _attached(ctx: _Context, hit: _Hit, items: list[tuple]) -> tuple | None:
    """The item (place mention or timex) this trigger governs, nearest first; else one in the
    sentence that no trigger governs; else one governed by a trigger of the same happening
    (a coordinated verb: "ambushed and killed 68 peasants in Balcon"; or a trigger this one is an
    argument of: "killed in an explosion in Lima"). None when all belong to other events."""
    if not items:
        return None
    own = {t.i for t in hit.tokens}
    head = hit.head
    related = {c.i for c in head.conjuncts} | _governing_verb(head)
    related |= {i for i in ctx.trigger_heads if head.i in _governing_verb(ctx.doc[i])}
    tiers: tuple[list, list, list] = ([], [], [])
    for item in items:
        span = ctx.doc.char_span(item[0], item[1], alignment_mode="expand")
        if span is None:
            continue
        gov = _governing_trigger(ctx, span.root, own)
        root = span.root
        direct = root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head.i in own \
            and root.head.lower_ in _PLACE_PREPS
        dist = (not direct, abs(root.i - head.i))
        if gov == -1:
            tiers[0].append((dist, item))
        elif gov is None and not (head.pos_ == "NOUN" and _of_the_telling(root)):
            tiers[1].append((dist, item))
        elif gov in related:
            tiers[2].append((dist, item))
    pool = tiers[0] or tiers[1] or tiers[2]
    return min(pool, key=lambda x: x[0])[1] if pool else None


def _of_the_telling(tok: Token) -> bool:
    """Whether a word belongs to the telling, not the told: "The press today reported that the
    police blamed the attack on ..." (today is when it was reported). Asked for event nouns
    only: "the attack" names an event told before, with its own date; a verb reported ("has
    been charged, his lawyer said on Tuesday") happened by the day of the telling."""
    cur = tok
    while cur.head.i != cur.i and cur.pos_ not in ("VERB", "AUX"):
        cur = cur.head
    return cur.pos_ == "VERB" and cur.lemma_.lower() in SAY_VERBS


def _governing_verb(noun: Token) -> set[int]:
    """For an event noun that is an argument of a verb ("killed in an explosion"), that verb."""
    if noun.pos_ != "NOUN":
        return set()
    cur = noun
    for _ in range(2):
        if cur.dep_ in ("pobj", "prep", "dobj", "nsubj", "nsubjpass", "agent"):
            cur = cur.head
            if cur.pos_ == "VERB":
                return {cur.i}
    return set()


def _governing_trigger(ctx: _Context, tok: Token, own: set[int]) -> int | None:
    """-1 if the first trigger above `tok` is this one, that trigger's index if another, None if none."""
    cur = tok
    while True:
        if cur.i in own:
            return -1
        if cur.i in ctx.trigger_heads:
            return cur.i
        if cur.head.i == cur.i:
            return None
        cur = cur.head


# Types whose place is where the person ends up, never where they came from.
_PLACE_IS_DESTINATION = frozenset({"RETURN"})
# Types one happening may be named by in turn: "gunmen murdered the mayor ... The attack ...".
_SAME_HAPPENING = {"ATTACK": {"ATTACK", "KILL"}, "KILL": {"ATTACK", "KILL"}}


def _antecedent(ctx: _Context, hit: _Hit, ev: Event, earlier: list[Event]) -> None:
    """A definite event noun ("the attack", "this explosion") names an event told shortly
    before; the two mentions complete each other's place and date where their own sentences
    give none ("The attack was carried out on 13 December" dates the murder told before)."""
    head = hit.head
    if head.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.children):
        return
    si = ctx.index.sentence_index(ev.trigger_start)
    compatible = _SAME_HAPPENING.get(ev.type, {ev.type})
    for prev in reversed(earlier):
        if prev.sentence == ev.sentence or prev.type not in compatible:
            continue
        if si - ctx.index.sentence_index(prev.trigger_start) > _ANAPHOR_WINDOW:
            return
        _complete(ev, prev, f"the earlier mention '{prev.trigger_text}' it refers back to")
        _complete(prev, ev, f"the later mention '{ev.trigger_text}' that refers back to it")
        return


def _complete(ev: Event, other: Event, how: str) -> None:
    took = []
    if ev.place is None and other.place:
        ev.place = other.place
        took.append("place")
    if ev.date is None and other.date:
        ev.date = other.date
        took.append("date")
    if took:
        ev.reason = "; ".join(filter(None, [ev.reason, f"{' and '.join(took)} from {how}"]))


_CARRY_WINDOW = 2  # sentences back in which an event looks for the one it continues


def _same_ground(ctx: _Context, a: str, b: str) -> bool:
    """Two places that do not tell apart two happenings: the same, or a country and a place in
    it ("brought home ... to Kazakhstan" and "flown to Almaty")."""
    if a == b:
        return True
    (ca, a_country), (cb, b_country) = ctx.countries.get(a, (None, False)), ctx.countries.get(b, (None, False))
    return ca is not None and ca == cb and (a_country or b_country)


def _carry_over(ctx: _Context, events: list[Event]) -> None:
    """An event whose own sentence gives no place (or date) takes it from the nearest earlier
    event of the same happening told at most two sentences before ("A bomb exploded in Lima on
    3 May. Two people were killed."); wire copy puts each sentence in a paragraph of its own,
    so paragraphs are no boundary. Only the nearest such event is asked, and not when the two
    disagree on what both state: another place, another day is another incident."""
    for i, ev in enumerate(events):
        if ev.place is not None and ev.date is not None:
            continue
        si = ctx.index.sentence_index(ev.trigger_start)
        compatible = _SAME_HAPPENING.get(ev.type, {ev.type})
        prev = next((p for p in reversed(events[:i]) if p.sentence[1] <= ev.sentence[0]
                     and p.type in compatible), None)
        if prev is None or si - ctx.index.sentence_index(prev.trigger_start) > _CARRY_WINDOW:
            continue
        if ev.place and prev.place and not _same_ground(ctx, ev.place, prev.place):
            continue
        if ev.date and prev.date and ev.date.value != prev.date.value:
            continue
        noun = "attack" if ev.type in ("ATTACK", "KILL") else ev.type.lower()
        _complete(ev, prev, f"the previous sentence about the same {noun} ('{prev.trigger_text}')")


# --- 4. modality, attribution, reliability ---------------------------------------------------


def _attribution(ctx: _Context, hit: _Hit, ev: Event, quotes) -> None:
    reading = read_modality(hit.head)
    ev.modality = reading.modality
    if reading.cue:
        ev.reason = "; ".join(filter(None, [ev.reason, f"{reading.modality}: '{reading.cue}'"]))
    speaker = reading.speaker
    if speaker is not None:
        span = noun_phrase(speaker)
        ev.attributed_text = span.text
        key, reason = link(ctx.index, speaker, span)
        ev.attributed_entity = key
        if reason:
            ev.reason = "; ".join(filter(None, [ev.reason, f"speaker: {reason}"]))
        return
    for q in quotes:
        if q.start <= ev.trigger_start < q.end and q.speaker_text:
            ev.attributed_text, ev.attributed_entity = q.speaker_text, q.speaker_entity
            if ev.modality == "asserted":
                ev.modality = "reported"
            return


def _reliability(ctx: _Context, ev: Event, cues) -> None:
    si = ctx.index.sentence_index(ev.sentence[0])
    for cue in cues:
        if cue.sentence == si or (cue.refers_back and cue.sentence == si + 1):
            ev.reliability = cue.text
            return
