"""Entity identity across articles: which local entities are the same real-world thing.

A local entity (one name within one article) is given a resolution key; local entities with
the same type and key are one entity in the knowledge base. The entity id is derived from the
key, so building articles in any order, in any number of runs, gives the same ids.

The rules here are deliberately conservative (a wrong merge is worse than a missed one):
- a place resolved to the gazetteer is keyed by its gazetteer id, so "Groznyy" and "Grozny"
  meet there;
- other names are keyed by their folded full name (accents, Cyrillic, case, punctuation);
- a one-word person name ("Aliyev", "Ruslan") does not identify anyone across articles, so it
  stays an entity of its own article.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..model import Article, LocalEntity
from .names import fold


@dataclass(frozen=True)
class EntityKey:
    type: str
    key: str
    name: str
    reason: str

    @property
    def id(self) -> str:
        return "e" + hashlib.sha1(f"{self.type}|{self.key}".encode()).hexdigest()[:16]


def entity_key(article: Article, entity: LocalEntity) -> EntityKey:
    """The cross-article key of one local entity, with the reason a user can read."""
    if entity.label == "PLACE" and entity.place is not None:
        p = entity.place
        if p.geonameid is not None:
            return EntityKey("PLACE", f"geonames:{p.geonameid}", p.name, f"same gazetteer place ({p.name}, GeoNames {p.geonameid})")
        return EntityKey("PLACE", f"place:{p.country}:{fold(p.name)}", p.name, f"same gazetteer place ({p.name}, {p.country})")
    folded = fold(entity.name) or entity.name
    if entity.label == "PERSON" and len(folded.split()) < 2:
        return EntityKey(
            entity.label,
            f"{article.id}:{entity.key}:{folded}",
            entity.name,
            "a single name does not identify a person across articles; kept to its article",
        )
    return EntityKey(entity.label, folded, entity.name, f"same name once accents, case and punctuation are folded ({folded!r})")
