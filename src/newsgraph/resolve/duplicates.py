"""Near-duplicate stories: the same wire story re-published by several outlets.

Each document gets a MinHash signature of its word 5-gram shingles, stored as LSH band
hashes (`doc_bands`), so finding the candidates for a new document is an indexed lookup
whatever the size of the base. Candidates are confirmed on the exact shingle overlap, and
every copy points (`duplicate_of`) to the earliest one, with the overlap as its reason.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np

from sqlalchemy import Engine, bindparam, select, update

from ..store import schema as S
from ..store.db import insert_rows
from ..store.schema import doc_bands

SHINGLE = 5
BANDS, ROWS = 16, 4  # 64 hashes; pairs above ~0.5 Jaccard almost always share a band
THRESHOLD = 0.6  # shingle Jaccard needed to call two texts one story
MAX_CANDIDATES = 20
_PRIME = (1 << 61) - 1
_SEEDS = [
    (int.from_bytes(hashlib.sha256(f"a{i}".encode()).digest()[:8], "big") | 1,
     int.from_bytes(hashlib.sha256(f"b{i}".encode()).digest()[:8], "big"))
    for i in range(BANDS * ROWS)
]
_WORD = re.compile(r"\w+")
_A = np.array([a % _PRIME for a, _ in _SEEDS], dtype=np.uint64)
_B = np.array([b % _PRIME for _, b in _SEEDS], dtype=np.uint64)
_P64 = np.uint64(_PRIME)
_U32 = np.uint64(32)
_LOW32 = np.uint64((1 << 32) - 1)


def shingles(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    grams = (" ".join(words[i : i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1)))
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams}


def _mulmod(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(a * x) mod 2**61 - 1 for a, x < 2**61, exactly, in 64-bit arithmetic (broadcasting).

    Splits both factors into 32-bit halves and folds with 2**61 = 1 (so 2**64 = 8) modulo the
    Mersenne prime, keeping every intermediate below 2**64.
    """
    a_hi, a_lo = a >> _U32, a & _LOW32
    x_hi, x_lo = x >> _U32, x & _LOW32
    high = (a_hi * x_hi) << np.uint64(3)  # < 2**61: the 2**64 term
    mid = a_hi * x_lo + a_lo * x_hi  # < 2**62: the 2**32 term
    mid = (mid >> np.uint64(29)) + ((mid & np.uint64((1 << 29) - 1)) << _U32)
    low = a_lo * x_lo
    low = (low & _P64) + (low >> np.uint64(61))
    return _fold(_fold(high + _fold(mid)) + low)


def _fold(v: np.ndarray) -> np.ndarray:
    """v mod 2**61 - 1 for v < 2**63 (one fold and one conditional subtraction)."""
    v = (v & _P64) + (v >> np.uint64(61))
    return np.where(v >= _P64, v - _P64, v)


def signature(sh: set[int]) -> list[int]:
    """The MinHash signature: for each of the 64 hash functions, min over shingles of (a*x + b) mod p.

    Vectorised over shingles and functions; equal to the plain Python
    `[min((a * x + b) % _PRIME for x in sh) for a, b in _SEEDS]` (tests/test_duplicates.py checks it).
    """
    x = np.fromiter((v % _PRIME for v in sh), dtype=np.uint64, count=len(sh))
    values = _fold(_mulmod(_A[:, None], x[None, :]) + _B[:, None])
    return [int(v) for v in values.min(axis=1)]


def band_hashes(sh: set[int]) -> list[str]:
    sig = signature(sh)
    return [
        hashlib.blake2b(repr(sig[i * ROWS : (i + 1) * ROWS]).encode(), digest_size=8).hexdigest()
        for i in range(BANDS)
    ]


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _order(row) -> tuple:
    """Earliest copy first: by publication date (unknown last), then by arrival, then by id."""
    return (row.published is None, row.published or "", row.seq if row.seq is not None else 1 << 62, row.id)


_D = S.documents
# Built once: run per document (the band lookups 16 times), and building a statement costs
# more than running it.
_DOCUMENT = select(_D.c.id, _D.c.text, _D.c.published, _D.c.seq, _D.c.duplicate_of).where(_D.c.id == bindparam("id"))
_BAND_HITS = select(doc_bands.c.doc).where(doc_bands.c.band == bindparam("band"), doc_bands.c.hash == bindparam("hash"))


def find_duplicates(engine: Engine) -> int:
    """Mark near-duplicates among documents not yet indexed; return how many were marked."""
    with engine.connect() as conn:
        done = select(doc_bands.c.doc)
        new_ids = [r[0] for r in conn.execute(select(_D.c.id).where(_D.c.id.not_in(done)).order_by(_D.c.id))]
    marked = 0
    for doc_id in new_ids:
        with engine.begin() as conn:
            row = conn.execute(_DOCUMENT, {"id": doc_id}).one()
            sh = shingles(row.text)
            if not sh:
                insert_rows(conn, doc_bands, [{"doc": doc_id, "band": -1, "hash": ""}])
                continue
            bands = band_hashes(sh)
            hits: Counter[str] = Counter()
            for i, h in enumerate(bands):
                hits.update(r[0] for r in conn.execute(_BAND_HITS, {"band": i, "hash": h}))
            hits.pop(doc_id, None)
            copies = []
            # The candidates sharing most bands are the likeliest copies; checking only the
            # top few bounds the work per document however many near-copies the base holds.
            for cid, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]:
                other = conn.execute(_DOCUMENT, {"id": cid}).one()
                score = jaccard(sh, shingles(other.text))
                if score >= THRESHOLD:
                    copies.append((other, score))
            if copies:
                marked += _link_copies(conn, row, copies)
            insert_rows(conn, doc_bands, [{"doc": doc_id, "band": i, "hash": h} for i, h in enumerate(bands)])
    return marked


def forget_duplicates(engine: Engine) -> None:
    """Drop every signature and copy link, so that `find_duplicates` looks at every document again."""
    with engine.begin() as conn:
        conn.execute(doc_bands.delete())
        conn.execute(update(S.documents).values(duplicate_of=None, duplicate_reason=None))


def _link_copies(conn, row, copies: Iterable) -> int:
    """Point every document of the story at its earliest copy."""
    d = S.documents
    group = [row] + [c for c, _ in copies]
    scores = {c.id: s for c, s in copies}
    first = min(group, key=_order)
    marked = 0
    for doc in group:
        if doc.id == first.id:
            conn.execute(update(d).where(d.c.id == doc.id).values(duplicate_of=None, duplicate_reason=None))
            continue
        score = scores.get(doc.id) or scores.get(first.id, 0.0)
        reason = f"{score:.0%} of its word 5-grams also appear in {first.id}, the earliest copy"
        conn.execute(update(d).where(d.c.id == doc.id).values(duplicate_of=first.id, duplicate_reason=reason))
        marked += 1
    return marked
