"""The alias table: well-known groups and agencies under all the names the press gives them.

The packaged `data/aliases.tsv` is read once (plus an optional user file in the same format)
and compiled into two regular expressions over the article text: one case-sensitive for
all-capitals forms ("IS", "FSB", "U.N."), one case-insensitive for the rest. Matching the
text, not the pipeline, keeps the table independent of the spaCy model and lets a user file
extend it without rebuilding the pipeline; a C-level regex scan costs well under a
millisecond per article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import UsageError

_TYPES = {"ORG", "PLACE", "PERSON", "NORP"}


@dataclass
class AliasEntry:
    canonical: str
    label: str
    aliases: list[str] = field(default_factory=list)
    guarded: set[str] = field(default_factory=set)  # forms that need an entity tag or a cue word


@dataclass
class AliasMatch:
    start: int
    end: int
    text: str
    entry: AliasEntry
    guarded: bool


class AliasTable:
    """All forms of every entry, compiled for one pass over an article's text."""

    def __init__(self, entries: list[AliasEntry]):
        self.entries = entries
        self._exact: dict[str, AliasEntry] = {}  # case-sensitive (all-capitals) forms
        self._folded: dict[str, AliasEntry] = {}  # lower-cased forms
        for entry in entries:
            for form in [entry.canonical, *entry.aliases, *entry.guarded]:
                if _is_exact_case(form):
                    self._exact[form] = entry
                else:
                    self._folded[form.lower()] = entry
        self._exact_re = _alternation(self._exact, 0)
        self._folded_re = _alternation(self._folded, re.IGNORECASE)

    def lookup(self, surface: str) -> AliasEntry | None:
        """The entry a name belongs to, or None ("ISIL" -> Islamic State)."""
        return self._exact.get(surface) or (
            None if _is_exact_case(surface) else self._folded.get(surface.lower())
        )

    def find(self, text: str) -> Iterator[AliasMatch]:
        """Every non-overlapping alias occurrence in `text`, longest form first at each place."""
        for rx, table in ((self._exact_re, self._exact), (self._folded_re, None)):
            if rx is None:
                continue
            for m in rx.finditer(text):
                s = m.group()
                if table is not None:
                    entry = table[s]
                else:
                    entry = self._folded[s.lower()]
                    # "al qaeda" in lower case, or a sentence-initial common word, is no name.
                    if s.islower() or not (s[0].isupper() or s in entry.aliases or s == entry.canonical):
                        continue
                yield AliasMatch(m.start(), m.end(), s, entry, s in entry.guarded)

    def __len__(self) -> int:
        return len(self.entries)


def _is_exact_case(form: str) -> bool:
    return not any(c.islower() for c in form)


def _alternation(forms: dict[str, AliasEntry], flags: int) -> re.Pattern | None:
    if not forms:
        return None
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form.lower() if flags & re.IGNORECASE else form:
            node = node.setdefault(ch, {})
        node[""] = True
    return re.compile(rf"(?<![\w\-])(?:{_trie_regex(trie)})(?![\w$])", flags)


def _trie_regex(node: dict) -> str:
    """A regex with shared prefixes factored out: many alternatives cost one pass (longest first)."""
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    ends_here = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends_here else "(?:" + "|".join(branches) + ")"
    return body + "?" if ends_here else body


def parse_aliases(lines: list[str], source: str) -> list[AliasEntry]:
    """Entries from the lines of an alias TSV; raises UsageError naming the bad line."""
    entries = []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or cols[1].strip() not in _TYPES:
            raise UsageError(
                f"{source}:{n}: expected 'canonical<TAB>TYPE<TAB>alias|alias[<TAB>guarded|...]' "
                f"with TYPE one of {sorted(_TYPES)}"
            )
        split = lambda i: [a.strip() for a in cols[i].split("|") if a.strip()] if len(cols) > i else []
        entries.append(AliasEntry(cols[0].strip(), cols[1].strip(), split(2), set(split(3))))
    return entries


def load_aliases(extra_path: str | Path | None = None) -> AliasTable:
    """The packaged alias table, extended by a user file in the same format when given.

    A user entry with the same canonical name as a packaged one adds its aliases to it.
    """
    text = resources.files("newsgraph").joinpath("data", "aliases.tsv").read_text(encoding="utf-8")
    entries = parse_aliases(text.splitlines(), "aliases.tsv")
    if extra_path is not None:
        path = Path(extra_path)
        if not path.is_file():
            raise UsageError(f"alias file {path} not found")
        by_name = {e.canonical: e for e in entries}
        for extra in parse_aliases(path.read_text(encoding="utf-8").splitlines(), str(path)):
            if extra.canonical in by_name:
                base = by_name[extra.canonical]
                base.aliases += [a for a in extra.aliases if a not in base.aliases]
                base.guarded |= extra.guarded
            else:
                entries.append(extra)
                by_name[extra.canonical] = extra
    return AliasTable(entries)
