"""Entities within one article: people, organisations, places and groups (NORP), each with its
mentions, one label decided from all of them, and short forms linked to the full name.

Stages, in order (each a plain function below):
1. candidates: spaCy's entities plus alias-table matches spaCy missed, and ministries named by
   country ("Kyrgyzstan's interior ministry", see ministries.py) (`_candidates`);
2. names: honorifics, titles, leading "the" and possessive "'s" taken off (`_make_mention`);
3. label: a vote over every mention of a name, strong cues outweighing spaCy (`_vote`);
4. linking: surnames and first names to the full name, acronyms to their expansion,
   alias-table forms to the canonical name (`linking.link_mentions`);
5. LocalEntity records, each with the reason for its label and for every non-trivial link.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable

from spacy.tokens import Doc, Span

from ..model import LocalEntity, Mention
from .aliases import AliasEntry, AliasMatch, AliasTable, load_aliases
from .linking import Candidate, link_mentions
from .ministries import ministry_matches
from .missed_names import PLACE_NOUNS, entity_spans
from .names import (
    HONORIFIC_GENDER,
    TITLES,
    has_org_word,
    has_place_word,
    has_surname_ending,
    strip_name,
    surname,
    surname_stem,
)

__all__ = ["AliasTable", "extract_entities", "load_aliases"]

LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "NORP": "NORP"}

_SAY = {"said", "says", "told", "tells", "added", "adds", "stated", "explained", "wrote", "argued",
        "insisted", "claimed", "recalled", "testified", "admitted", "denied", "asked", "replied"}
_PLACE_PREPS = {"in", "near", "outside", "across", "throughout"}
# Words that license a guarded alias such as "IS" ("IS fighters", "joined IS", "the IS group").
_GUARD_CUES = {"militant", "militants", "fighter", "fighters", "group", "jihadist", "jihadists",
               "joined", "join", "joining", "joins", "member", "members", "ranks", "caliphate",
               "held", "controlled", "linked", "affiliated", "recruit", "recruits", "recruited",
               "recruiter", "recruiters", "allegiance", "supporters", "supporter", "brides", "bride", "loyal",
               "territory", "fought", "fight", "fighting", "militia", "leader", "leaders", "commander", "commanders", "wives", "camp", "camps"}
_POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
# "who gave her name only as Luiza", "a man identified only as Timur": what follows is a person's name
_NAMED_AS = re.compile(r"\b(?:(?:his|her|their) (?:first |full |real )?name (?:only |simply |just )?as|"
                       r"identified only as|known only as)\s+$", re.I)
_STRONG, _CUE, _WEAK = 3, 2, 1

# name -> (label, reason) when a gazetteer knows the name as a place or a people, else None
PlaceHint = Callable[[str], "tuple[str, str] | None"]


def extract_entities(doc: Doc, aliases: AliasTable | None = None, place_hint: PlaceHint | None = None) -> list[LocalEntity]:
    """People, organisations, places and NORP groups of one parsed article, with their mentions.

    Pure: reads only `doc`, the alias table (load it once with `load_aliases()`) and
    `place_hint`, which says whether a name is a well-known place or a people's name
    (a gazetteer lookup; see `pipeline.gazetteer_hint`). Offsets are character offsets into
    `doc.text`.
    """
    text = doc.text  # Doc.text joins every token: read it once
    cands = _candidates(doc, text, aliases, place_hint)
    if not cands:
        return []
    if place_hint is not None:
        _hint_votes(cands, place_hint)
    group_label, group_reason = _vote(cands)
    clusters = link_mentions(doc, text, cands, group_label)
    return _entities(doc, clusters, group_label, group_reason)


# --- 1 and 2: candidates ---------------------------------------------------------------------


def _candidates(doc: Doc, text: str, aliases: AliasTable | None, place_hint: PlaceHint | None = None) -> list[Candidate]:
    corrected = entity_spans(doc, place_hint)  # spaCy's, put right where the text shows it wrong
    ents = [e for e, _ in corrected]
    fixed_cue = {(e.start, e.end): cue for e, cue in corrected if cue}
    other = [e for e in doc.ents if e.label_ not in LABELS and (e.start, e.end) not in fixed_cue]  # MONEY, DATE ...
    spans: list[tuple[Span, AliasEntry | None]] = []
    taken: list[tuple[int, int]] = []
    if aliases is not None:
        matches = _alias_matches(doc, text, aliases)
        # A short form that is also a word ("IS") is safe once the article names the group
        # in an unambiguous form too ("Islamic State", "ISIS").
        named = {m.entry.canonical for m in matches if not m.guarded}
        for m in matches:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            if any(e.start <= span.start and e.end >= span.end for e in other):
                continue
            covering = [e for e in ents if e.start <= span.start and e.end >= span.end]
            if m.guarded and not covering and m.entry.canonical not in named and not _guard_cue(doc, text, span):
                continue
            if any(_longer_name(e, span) and e.label_ != "PERSON" for e in covering):
                continue  # "US Air Force" is its own organisation, not "US"; "Chechen ISIS" is no person
            if covering and all(t.lower_ == "the" for t in covering[0] if t.i < span.start) \
                    and covering[0].end == span.end:
                span = covering[0]  # keep "the United States" as written
            spans.append((span, m.entry))
            taken.append((span.start, span.end))
    for e in ents:
        if not any(e.start < t_end and t_start < e.end for t_start, t_end in taken):
            spans.append((e, aliases.lookup(_bare(e.text)) if aliases is not None else None))
    spans.sort(key=lambda x: x[0].start)
    cands = []
    for span, entry in spans:
        cand = _make_mention(doc, text, span, entry, fixed_cue.get((span.start, span.end)) if entry is None else None)
        if cand is not None:
            cands.append(cand)
    return cands


def _alias_matches(doc: Doc, text: str, aliases: AliasTable) -> list[AliasMatch]:
    """Alias occurrences, overlaps resolved in favour of the longer form."""
    found = sorted([*aliases.find(text), *ministry_matches(text)], key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[AliasMatch] = []
    for m in found:
        if kept and m.start < kept[-1].end:
            if m.end - m.start > kept[-1].end - kept[-1].start:
                kept[-1] = m
            continue
        kept.append(m)
    return kept


def _longer_name(ent: Span, alias_span: Span) -> bool:
    """True when a spaCy entity around an alias adds capitalised words: a different, longer name."""
    extra = [t for t in ent if t.i < alias_span.start or t.i >= alias_span.end]
    return any(t.text[:1].isupper() and t.lower_ != "the" for t in extra)


def _guard_cue(doc: Doc, text: str, span: Span) -> bool:
    """Whether a guarded short alias ("IS") sits among cue words, outside an all-capitals headline."""
    window = [t for t in doc[max(0, span.start - 3) : span.end + 3] if t.i < span.start or t.i >= span.end]
    words = [t for t in window if t.is_alpha]
    if words and sum(t.is_upper for t in words) * 2 > len(words):
        return False
    text_after = text[span.end_char : span.end_char + 12].lower()
    return any(t.lower_ in _GUARD_CUES for t in window) or text_after.startswith(("-held", "-controlled", "-linked", "'s", "\u2019s"))


def _bare(text: str) -> str:
    return strip_name(text, "ORG")[0]


def _make_mention(doc: Doc, text: str, span: Span, entry: AliasEntry | None,
                  fixed: str | None = None) -> Candidate | None:
    """A mention with its name cleaned and its label cues counted; None for junk spans.
    `fixed`: the cue for the label of a span missed_names.py corrected (not spaCy's own label)."""
    spacy_label = LABELS.get(span.label_) if span.label_ else None
    label = entry.label if entry else spacy_label or "ORG"
    name, prefix = strip_name(span.text, label)
    if entry is not None and name and not any(c.isupper() for c in name):
        name = entry.canonical  # "the interior ministry", linked by the ministries pass
    if not name or not any(c.isupper() for c in name) or len(name) < 2:
        return None
    # The mention keeps the span as written ("the United States", "Mr Aliyev"), less a
    # possessive and stray punctuation at its edges; the name is the normalised form.
    first, last = span.start, span.end
    while last - first > 1 and (doc[last - 1].text in _POSSESSIVE or doc[last - 1].is_punct and doc[last - 1].text != "."):
        last -= 1
    while last - first > 1 and doc[first].is_punct:
        first += 1
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    before = doc[span.start - 1] if span.start > 0 else None
    if prefix is None and before is not None:
        low = before.lower_
        if low in HONORIFIC_GENDER or (low in TITLES and name[:1].isupper()):
            prefix = before.text
    cand = Candidate(start, end, text[start:end], " ".join(name.split()), prefix, None if fixed else spacy_label, entry)
    if fixed:
        cand.votes[spacy_label] += _CUE
        cand.cues.append(fixed)
    _count_cues(doc, text, span, cand, before)
    return cand


def _count_cues(doc: Doc, text: str, span: Span, cand: Candidate, before) -> None:
    v, cues = cand.votes, cand.cues
    if cand.alias is not None:
        v[cand.alias.label] += 10
        cues.append(f"alias table: {cand.alias.canonical} is {cand.alias.label}")
        return
    if cand.spacy:
        v[cand.spacy] += _WEAK
    if cand.spacy == "NORP":
        return
    org_word = has_org_word(cand.name)
    if cand.prefix:
        v["PERSON"] += _STRONG
        cues.append(f"'{cand.prefix}' before '{cand.name}'")
    nxt = doc[span.end : span.end + 3]
    if len(nxt) >= 3 and nxt[0].text == "," and nxt[1].like_num and nxt[1].text.isdigit() \
            and 0 < int(nxt[1].text) < 120 and nxt[2].text in {",", ")", "."}:
        v["PERSON"] += _STRONG
        cues.append(f"age after '{cand.name}'")
    elif not org_word and ((len(nxt) and nxt[0].lower_ in _SAY) or (before is not None and before.lower_ in _SAY)):
        # Weak: organisations say things too ("Ryanair said"); it decides only with another cue.
        v["PERSON"] += _WEAK
        cues.append(f"'{cand.name} said'")
    if not org_word and has_surname_ending(cand.name):
        # "Nino Beridze": a given name and a surname form is a good sign; a lone "-ov" word is
        # weak (towns share the endings: Rostov, Saratov).
        several = len(cand.name.split()) > 1 and cand.name.split()[0][:1].isupper()
        if several or cand.spacy != "PLACE":
            v["PERSON"] += _CUE if several else _WEAK
            cues.append(f"surname form '{surname(cand.name)}'")
    if not cand.prefix and (span[0].lower_ == "the" or (before is not None and before.lower_ == "the")):
        # People rarely take the article: "the Caspian Herald said" is not a person.
        v["PLACE" if cand.spacy == "PLACE" else "ORG"] += _WEAK
        cues.append(f"'the {cand.name}'")
    if text[span.end_char : span.end_char + 6].lower() == "-based":
        v["PLACE"] += _CUE
        cues.append(f"'{cand.name}-based'")
    elif before is not None and before.lower_ in _PLACE_PREPS and not cand.prefix:
        v["PLACE"] += _WEAK
        cues.append(f"'{before.lower_} {cand.name}'")
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and not org_word and after.text.islower() and after.lower_ in PLACE_NOUNS:
        v["PLACE"] += _CUE  # "Mineralnye Vody airports", "the Osh region"
        cues.append(f"'{cand.name} {after.text}'")
    named = None if cand.prefix else _NAMED_AS.search(text, max(0, span.start_char - 40), span.start_char)
    if named:
        v["PERSON"] += _STRONG
        cues.append(f"'{named.group(0).strip()} {cand.name}'")
    if org_word:
        v["ORG"] += _STRONG
        cues.append(f"'{org_word}' in '{cand.name}'")
    elif has_place_word(cand.name):
        v["PLACE"] += _CUE
        cues.append(f"'{has_place_word(cand.name)}' in '{cand.name}'")


def _hint_votes(cands: list[Candidate], place_hint: PlaceHint) -> None:
    """A cue from the gazetteer: "Grozny" is a city whatever spaCy's tag; "Chechens" a people."""
    for c in cands:
        if c.alias is not None or c.prefix or has_org_word(c.name):
            continue
        hint = place_hint(c.name)
        if hint is None or hint[0] == c.spacy:
            continue
        label, why = hint
        c.votes[label] += _CUE
        c.cues.append(f"gazetteer: {why}")


# --- 3: one label per name -------------------------------------------------------------------


def _vote(cands: list[Candidate]) -> tuple[dict[str, str], dict[str, str]]:
    """The label of every name in the article, decided over all its mentions, and why."""
    by_group: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        c.group = c.alias.canonical if c.alias else c.name.lower()
        by_group[c.group].append(c)
    labels, reasons = {}, {}
    for group, members in by_group.items():
        labels[group], reasons[group] = _decide(members)
    # A lone word that is the first name or surname of a person named in full here leans to
    # PERSON ("Timur said" tagged ORG); once per name, so a company named "Ford" in ten
    # mentions is not outvoted by the one William Clay Ford Jr.
    people = [g for g, lab in labels.items() if lab == "PERSON" and len(g.split()) > 1]
    firsts = {g.split()[0]: g for g in people}
    stems = {surname_stem(surname(g))[0]: g for g in people}
    for group, members in by_group.items():
        if labels[group] != "ORG" or " " in group \
                or members[0].alias is not None:
            continue
        match = firsts.get(group) or stems.get(surname_stem(group)[0])
        if match:
            cue = f"part of the name {members[0].name!r} of {by_group[match][0].name}"
            labels[group], reasons[group] = _decide(members, bonus=(_CUE, cue))
    return labels, reasons


def _decide(members: list[Candidate], bonus: tuple[int, str] | None = None) -> tuple[str, str]:
    votes: Counter = Counter()
    spacy_counts: Counter = Counter()
    cues: list[str] = []
    for c in members:
        votes.update(c.votes)
        if c.spacy and not c.alias:
            spacy_counts[c.spacy] += 1
        cues.extend(x for x in c.cues if x not in cues)
    if bonus:
        votes["PERSON"] += bonus[0]
        cues.insert(0, bonus[1])
    order = {"PERSON": 0, "ORG": 1, "PLACE": 2, "NORP": 3}
    label = max(votes, key=lambda k: (votes[k], spacy_counts[k], -order.get(k, 9))) if votes else "ORG"
    parts = []
    if cues:
        parts.append("; ".join(cues[:3]))
    if spacy_counts:
        parts.append("spaCy " + ", ".join(f"{k} x{n}" for k, n in spacy_counts.most_common()))
    return label, f"{label} by vote over {len(members)} mention(s): " + "; ".join(parts)


# --- 5: records ------------------------------------------------------------------------------


def _entities(doc, clusters, group_label, group_reason) -> list[LocalEntity]:
    sentences = _sentence_bounds(doc)
    out = []
    ordered = sorted(clusters.items(), key=lambda kv: kv[1][0].start)
    for n, (key, members) in enumerate(ordered):
        base = key.split("#")[0]
        label, reason = _cluster_label(key, members, group_label, group_reason)
        name = _canonical(base, members, label)
        mentions = [
            Mention(c.start, c.end, c.text, label, name, _sentence(sentences, c.start), c.link_reason)
            for c in members
        ]
        aliases = sorted(({c.text for c in members} | {c.name for c in members}) - {name})
        if key.endswith("#unlinked"):
            reason = f"{reason}; short form left unlinked ({members[0].link_reason})"
        out.append(LocalEntity(f"e{n}", label, name, aliases, mentions, reason))
    return out


def _cluster_label(key, members, group_label, group_reason) -> tuple[str, str]:
    base = key.split("#")[0]
    groups = {c.group.split("#")[0] for c in members}
    if len(groups) == 1 or base not in group_label:
        g = next(iter(groups)) if base not in group_label else base
        return group_label.get(g, "ORG"), group_reason.get(g, "")
    linked = sorted(g for g in groups if g != base and g in group_label and group_label[g] != group_label[base])
    reason = group_reason[base]
    if linked:
        reason += f"; linked short form(s) {', '.join(repr(g) for g in linked)} take this label"
    return group_label[base], reason


def _canonical(base: str, members: list[Candidate], label: str) -> str:
    for c in members:
        if c.alias is not None:
            return c.alias.canonical
    same = [c.name for c in members if c.group.split("#")[0] == base] or [c.name for c in members]
    return max(same, key=lambda s: (len(s.split()), same.count(s), len(s)))


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]] | None:
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return None
    return [(s.start_char, s.end_char) for s in doc.sents]


def _sentence(bounds: list[tuple[int, int]] | None, start: int) -> tuple[int, int] | None:
    if not bounds:
        return None
    i = bisect_right(bounds, (start, float("inf"))) - 1
    return bounds[i] if i >= 0 else None
