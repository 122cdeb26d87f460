"""Entities within one article: people, organisations, places and groups (NORP), each with its
mentions, one label decided from all of them, and short forms linked to the full name.

Stages, in order (each a plain function below):
1. candidates: spaCy's entities plus alias-table matches spaCy missed (`_candidates`);
2. names: honorifics, titles, leading "the" and possessive "'s" taken off (`_make_mention`);
3. label: a vote over every mention of a name, strong cues outweighing spaCy (`_vote`);
4. linking: surnames and first names to the full name, acronyms to their expansion,
   alias-table forms to the canonical name (`_link`);
5. LocalEntity records, each with the reason for its label and for every non-trivial link.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ..model import LocalEntity, Mention
from .aliases import AliasEntry, AliasMatch, AliasTable, load_aliases
from .names import (
    HONORIFIC_GENDER,
    TITLES,
    has_org_word,
    has_place_word,
    honorific_gender,
    has_surname_ending,
    is_acronym,
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
               "recruiters", "allegiance", "supporters", "supporter", "brides", "bride", "loyal",
               "territory", "leader", "leaders", "commander", "commanders", "wives", "camp", "camps"}
_POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
_STRONG, _CUE, _WEAK = 3, 2, 1


@dataclass
class _Cand:
    """One mention on its way to a LocalEntity."""

    start: int
    end: int
    text: str
    name: str
    prefix: str | None  # honorific or title before the name, inside or just outside the span
    spacy: str | None  # spaCy label mapped to ours, None for alias-table-only matches
    alias: AliasEntry | None
    votes: Counter = field(default_factory=Counter)
    cues: list[str] = field(default_factory=list)
    group: str = ""
    link_reason: str | None = None


def extract_entities(doc: Doc, aliases: AliasTable | None = None) -> list[LocalEntity]:
    """People, organisations, places and NORP groups of one parsed article, with their mentions.

    Pure: reads only `doc` and the alias table (load it once with `load_aliases()`).
    Offsets are character offsets into `doc.text`.
    """
    text = doc.text  # Doc.text joins every token: read it once
    cands = _candidates(doc, text, aliases)
    if not cands:
        return []
    group_label, group_reason = _vote(cands)
    clusters = _link(doc, text, cands, group_label)
    return _entities(doc, clusters, group_label, group_reason)


# --- 1 and 2: candidates ---------------------------------------------------------------------


def _candidates(doc: Doc, text: str, aliases: AliasTable | None) -> list[_Cand]:
    ents = [e for e in doc.ents if e.label_ in LABELS]
    other = [e for e in doc.ents if e.label_ not in LABELS]  # MONEY, DATE ...: "US$ 5 billion"
    spans: list[tuple[Span, AliasEntry | None]] = []
    taken: list[tuple[int, int]] = []
    if aliases is not None:
        for m in _alias_matches(doc, text, aliases):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            if any(e.start <= span.start and e.end >= span.end for e in other):
                continue
            covering = [e for e in ents if e.start <= span.start and e.end >= span.end]
            if m.guarded and not covering and not _guard_cue(doc, text, span):
                continue
            if any(_longer_name(e, span) for e in covering):
                continue  # "US Air Force" is its own organisation, not "US"
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
        cand = _make_mention(doc, text, span, entry)
        if cand is not None:
            cands.append(cand)
    return cands


def _alias_matches(doc: Doc, text: str, aliases: AliasTable) -> list[AliasMatch]:
    """Alias occurrences, overlaps resolved in favour of the longer form."""
    found = sorted(aliases.find(text), key=lambda m: (m.start, -(m.end - m.start)))
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


def _make_mention(doc: Doc, text: str, span: Span, entry: AliasEntry | None) -> _Cand | None:
    """A mention with its name cleaned and its label cues counted; None for junk spans."""
    spacy_label = LABELS.get(span.label_) if span.label_ else None
    label = entry.label if entry else spacy_label or "ORG"
    name, prefix = strip_name(span.text, label)
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
    cand = _Cand(start, end, text[start:end], " ".join(name.split()), prefix, spacy_label, entry)
    _count_cues(doc, text, span, cand, before)
    return cand


def _count_cues(doc: Doc, text: str, span: Span, cand: _Cand, before) -> None:
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
    if org_word:
        v["ORG"] += _STRONG
        cues.append(f"'{org_word}' in '{cand.name}'")
    elif has_place_word(cand.name):
        v["PLACE"] += _CUE
        cues.append(f"'{has_place_word(cand.name)}' in '{cand.name}'")


# --- 3: one label per name -------------------------------------------------------------------


def _vote(cands: list[_Cand]) -> tuple[dict[str, str], dict[str, str]]:
    """The label of every name in the article, decided over all its mentions, and why."""
    by_group: dict[str, list[_Cand]] = defaultdict(list)
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
        if labels[group] == "PERSON" or " " in group or members[0].alias is not None:
            continue
        match = firsts.get(group) or stems.get(surname_stem(group)[0])
        if match:
            cue = f"part of the name {members[0].name!r} of {by_group[match][0].name}"
            labels[group], reasons[group] = _decide(members, bonus=(_CUE, cue))
    return labels, reasons


def _decide(members: list[_Cand], bonus: tuple[int, str] | None = None) -> tuple[str, str]:
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


# --- 4: linking ------------------------------------------------------------------------------


def _link(doc: Doc, text: str, cands: list[_Cand], group_label: dict[str, str]) -> dict[str, list[_Cand]]:
    """Mentions grouped into entities; keys are the group of the entity's full name."""
    clusters: dict[str, list[_Cand]] = defaultdict(list)
    first_pos: dict[str, int] = {}
    for c in cands:
        first_pos.setdefault(c.group, c.start)
    full_people = [g for g in first_pos if group_label[g] == "PERSON" and len(g.split()) >= 2]
    full_names = {c.group: c.name for c in cands}
    people_gender = _genders(cands, full_people)
    acronyms = _parenthesised_acronyms(doc, text, cands)
    for c in cands:
        target = c.group
        words = c.name.split()
        if c.group in acronyms:
            target = acronyms[c.group][1]
            c.link_reason = f"acronym given in parentheses after '{full_names[target]}'"
        elif c.alias is not None and c.text not in (c.alias.canonical,):
            c.link_reason = f"alias table: '{c.text}' is a name of {c.alias.canonical}"
        elif len(words) == 1 and _may_be_person(c, group_label):
            target = _link_short_person(c, full_people, full_names, first_pos, people_gender)
        elif len(words) >= 2 and group_label[c.group] == "PERSON":
            target = _link_longer_form(c, full_people, full_names)
        clusters[target].append(c)
    for target, extra in _bare_acronym_mentions(doc, text, cands, acronyms, full_names).items():
        clusters[target].extend(extra)
    for key in clusters:
        clusters[key].sort(key=lambda c: c.start)
    return clusters


def _may_be_person(c: _Cand, group_label: dict[str, str]) -> bool:
    """Single-word names that can be a surname or first name: PERSON by the vote over their
    mentions. An ORG-voted word never links to a person ("Ford" the company is not the surname
    of William Clay Ford Jr.)."""
    return c.alias is None and group_label[c.group] == "PERSON"


def _genders(cands: list[_Cand], full_people: list[str]) -> dict[str, str | None]:
    """Gender of each full name: from an honorific used with it, else a Slavic surname ending."""
    out: dict[str, str | None] = {}
    for g in full_people:
        out[g] = surname_stem(surname(g))[1]
    for c in cands:
        if c.group in out and honorific_gender(c.prefix):
            out[c.group] = honorific_gender(c.prefix)
    return out


def _link_short_person(c, full_people, full_names, first_pos, gender) -> str:
    """The full name a bare surname or first name stands for, or its own group with the reason."""
    stem, own_gender = surname_stem(c.name)
    want = honorific_gender(c.prefix) or (own_gender if own_gender == "f" else None)
    by_surname = [g for g in full_people if surname_stem(surname(g))[0] == stem]
    earlier = [g for g in by_surname if first_pos[g] < c.start]
    pool, when = (earlier, "earlier") if earlier else (by_surname, "later")
    if pool:
        fits = [g for g in pool if want is None or gender[g] in (want, None)]
        if want and any(gender[g] == want for g in fits):
            fits = [g for g in fits if gender[g] == want]
        if len(fits) > 1:
            exact = [g for g in fits if surname(g) == c.name.lower()]
            fits = exact or fits
        names = ", ".join(full_names[g] for g in pool)
        if len(fits) == 1:
            cue = ""
            if want and len(pool) > 1:
                cue = f" ('{c.prefix}')" if c.prefix else " (feminine surname form)"
            c.link_reason = f"surname of {full_names[fits[0]]}, named in full {when}{cue}"
            return fits[0]
        if not fits:
            c.link_reason = f"unlinked: '{c.prefix}' does not fit {names}"
        else:
            c.link_reason = f"ambiguous: {', '.join(full_names[g] for g in fits)} share the surname"
        c.group = f"{c.group}#unlinked"
        return c.group
    by_first = [g for g in full_people if g.split()[0] == c.name.lower() and first_pos[g] < c.start]
    if len(by_first) == 1:
        c.link_reason = f"first name of {full_names[by_first[0]]}, named in full earlier"
        return by_first[0]
    if len(by_first) > 1:
        c.link_reason = f"ambiguous: {', '.join(full_names[g] for g in by_first)} share the first name"
        c.group = f"{c.group}#unlinked"
    return c.group


def _link_longer_form(c, full_people, full_names) -> str:
    """'Ruslan Aliyev' to 'Ruslan Khasanovich Aliyev' when exactly one longer form fits."""
    w = c.group.split()
    fits = [g for g in full_people if g != c.group and len(g.split()) > len(w)
            and g.split()[0] == w[0] and g.split()[-1] == w[-1]]
    if len(fits) == 1:
        c.link_reason = f"short form of {full_names[fits[0]]}"
        return fits[0]
    return c.group


def _parenthesised_acronyms(doc: Doc, text: str, cands: list[_Cand]) -> dict[str, tuple[str, str]]:
    """Acronym group -> (acronym, expansion group) for "Kurdistan Workers' Party (PKK)"."""
    out: dict[str, tuple[str, str]] = {}
    for c in cands:
        if is_acronym(c.name) or c.spacy == "PERSON":
            continue
        m = _PAREN_ACRONYM.match(text, c.end)
        if m and is_acronym(m.group(1)) and m.group(1).lower() != c.group:
            out.setdefault(m.group(1).lower(), (m.group(1), c.group))
    return out


_PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&\-]{1,9})\s*\)")


def _bare_acronym_mentions(doc, text: str, cands, acronyms, full_names) -> dict[str, list[_Cand]]:
    """Occurrences of defined acronyms that spaCy did not tag (case-sensitive, whole words)."""
    out: dict[str, list[_Cand]] = defaultdict(list)
    covered = [(c.start, c.end) for c in cands]
    for acr_group, (acr, target) in acronyms.items():
        for m in re.finditer(rf"(?<![\w\-]){re.escape(acr)}(?![\w\-])", text):
            if any(s < m.end() and m.start() < e for s, e in covered):
                continue
            out[target].append(_Cand(m.start(), m.end(), acr, acr, None, None, None, group=acr_group,
                                     link_reason=f"acronym given in parentheses after '{full_names[target]}'"))
    return out


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


def _canonical(base: str, members: list[_Cand], label: str) -> str:
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
