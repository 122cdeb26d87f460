"""Ingest: read inputs (txt, HTML, JSONL, WARC) and clean each into an `Article`.

    for item in iter_raw_documents(paths):
        if isinstance(item, InputError): report(item)
        else: article = clean(item)   # may raise InputError too

`Article.text` is the cleaned body; every later offset points into it.
"""

from .clean import clean, detect_language, document_id
from .readers import MAX_BYTES, iter_raw_documents

__all__ = ["MAX_BYTES", "clean", "detect_language", "document_id", "iter_raw_documents"]
