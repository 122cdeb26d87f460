"""Per-article analysis: one cleaned `Article` in, one `Extraction` of plain data out.

This reads like the list of stages in the README: parse with spaCy, find entities, resolve
places against the gazetteer, find and normalise time expressions, then the events (with
their participants, place, date and modality), the figures and direct quotes. Nothing here touches the
database, so the same functions run in-process, in a process pool, or on Ray.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Article, Extraction, LocalEntity, Mention
from .entities import AliasTable, extract_entities, load_aliases
from .event_schema import EventSchema, load_event_schema
from .events import extract_events
from .figures import date_by_events, extract_claims
from .nlp import load_nlp
from .ministries import country_in
from .places import country_of_demonym, resolve_places
from .quotes import extract_quotes
from .timex import extract_timexes
from .toponyms import mark_toponyms, place_by_container


@dataclass
class Analyser:
    """The loaded resources per-article analysis needs, loaded once per process."""

    nlp: Language
    aliases: AliasTable
    events: EventSchema

    @classmethod
    def load(cls, model: str | None = None, aliases: str | None = None, events: str | None = None) -> "Analyser":
        """Load the model, the alias table (plus a user's file) and the event schema (or a user's)."""
        return cls(nlp=load_nlp(model), aliases=load_aliases(aliases), events=load_event_schema(events))

    @property
    def model_name(self) -> str:
        return self.nlp.meta.get("_newsgraph_model", self.nlp.meta.get("name", "?"))

    def analyse(self, articles: Sequence[Article], batch_size: int = 16) -> list[Extraction]:
        """Analyse a batch of articles; spaCy parses them together for speed."""
        docs = self.nlp.pipe((a.text for a in articles), batch_size=batch_size)
        return [analyse_parsed(a, doc, self.aliases, self.events) for a, doc in zip(articles, docs)]


WELL_KNOWN_POPULATION = 100_000


@lru_cache(maxsize=50_000)
def gazetteer_hint(name: str) -> tuple[str, str] | None:
    """Whether a name is a well-known place (a country, a region, a city of 100,000 or more)
    or a people ("Chechens"): a label cue for the entity vote, with its reason."""
    from .gazetteer import fold, load_gazetteer

    gaz = load_gazetteer()
    key = fold(name)
    primary, alternate = gaz.candidates(key)
    for i in primary + alternate:
        p = gaz.places[i]
        if p.kind != "city" or p.population >= WELL_KNOWN_POPULATION:
            kind = p.kind if p.kind != "city" else f"city of {p.population:,}"
            return "PLACE", f"{name} is a {kind} ({p.country})"
    if name[:1].isupper() and country_of_demonym(name):
        return "NORP", f"{name} names a people ({country_of_demonym(name)})"
    return None


def add_ministry_countries(entities: list[LocalEntity]) -> None:
    """The country inside "Kyrgyzstan's interior ministry" is also a mention of Kyrgyzstan."""
    places = {e.name.lower(): e for e in entities if e.label == "PLACE"}
    for org in [e for e in entities if e.label == "ORG" and " Ministry of " in e.name]:
        for m in org.mentions:
            span = country_in(m.text)
            if span is None:
                continue
            start, end = m.start + span[0], m.start + span[1]
            name = m.text[span[0] : span[1]]
            place = places.get(name.lower())
            if place is None:
                place = LocalEntity(key=f"c{len(entities)}", label="PLACE", name=name,
                                    label_reason="PLACE: the country of a ministry named by country")
                entities.append(place)
                places[name.lower()] = place
            place.mentions.append(Mention(start, end, name, "PLACE", place.name, m.sentence,
                                          link_reason=f"the country of {org.name}"))
            place.mentions.sort(key=lambda x: x.start)


def analyse_parsed(article: Article, doc: Doc, aliases: AliasTable, events: EventSchema | None = None) -> Extraction:
    """Everything per-article analysis finds in one parsed article."""
    entities = extract_entities(doc, aliases, place_hint=gazetteer_hint)
    add_ministry_countries(entities)
    mark_toponyms(doc, entities, article.text)  # places the text writes as places (toponyms.py)
    places = [e for e in entities if e.label == "PLACE"]
    if places:
        resolved = resolve_places([e.name for e in places], context_text=article.text)
        for e in places:
            result = resolved.get(e.name)
            if isinstance(result, str) or result is None:
                e.place_unresolved_reason = result or "not found in the gazetteer"
            else:
                e.place = result
    place_by_container(entities, article.text)  # "El Tomate, Cordoba Department" (toponyms.py)
    timexes = extract_timexes(article.text, article.published)
    quotes = extract_quotes(doc, entities)
    ex = Extraction(
        article=article,
        entities=entities,
        timexes=timexes,
        sentences=[(s.start_char, s.end_char) for s in doc.sents],
        events=extract_events(doc, entities, timexes, events, quotes),
        claims=extract_claims(doc, entities, timexes),
        quotes=quotes,
    )
    date_by_events(article.text, ex.claims, ex.events, ex.timexes)
    _trim_sentences(ex)
    return ex


def _trim_sentences(ex: Extraction) -> None:
    """Sentence spans without the paragraph breaks spaCy keeps at their end."""
    text = ex.article.text

    def trim(span):
        if span is None:
            return None
        start, end = span
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end)

    ex.sentences = [trim(s) for s in ex.sentences]
    for e in ex.entities:
        for m in e.mentions:
            m.sentence = trim(m.sentence)
    for item in (*ex.events, *ex.claims):
        item.sentence = trim(item.sentence)


# --- process-pool plumbing: each worker process loads the model once --------------------

_WORKER: Analyser | None = None


def _init_worker(model: str | None, aliases: str | None, events: str | None) -> None:
    global _WORKER
    _WORKER = Analyser.load(model, aliases, events)


def _analyse_in_worker(articles: list[Article]) -> list[Extraction]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.analyse(articles)


def analyse_batches(
    batches: Iterable[list[Article]],
    *,
    jobs: int = 1,
    model: str | None = None,
    aliases: str | None = None,
    events: str | None = None,
    analyser: Analyser | None = None,
    ahead: int = 0,
) -> Iterator[list[Extraction]]:
    """Analyse batches of articles in order, in this process or in a pool of `jobs` processes.

    The pool keeps two chunks per worker in flight, plus `ahead` articles' worth: room for the
    workers to go on while the caller is busy with what it was given (build.py resolves every
    so many articles)."""
    if jobs <= 1:
        analyser = analyser or Analyser.load(model, aliases, events)
        for batch in batches:
            yield analyser.analyse(batch)
        return
    import gc
    import multiprocessing as mp
    from collections import deque

    from .gazetteer import load_gazetteer

    # The gazetteer index (a few hundred MB) is loaded here, once, and the forked workers share
    # its pages copy-on-write instead of each loading a copy; freezing keeps the garbage
    # collector from writing to those objects (and so copying their pages) in every worker.
    # Each worker loads its own spaCy model, in parallel.
    load_gazetteer()
    gc.freeze()
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(model, aliases, events)) as pool:
        # A bounded window of chunks in flight keeps memory flat whatever the corpus size
        # (Pool.imap would read the whole input ahead).
        pending: deque = deque()
        for batch in batches:
            size = max(1, -(-len(batch) // jobs))
            for i in range(0, len(batch), size):
                pending.append(pool.apply_async(_analyse_in_worker, (batch[i : i + size],)))
            while len(pending) > 2 * jobs + -(-ahead // size):
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
