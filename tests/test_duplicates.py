"""Near-duplicate stories: syndicated copies point to the earliest copy; different stories do not."""

from __future__ import annotations

from sqlalchemy import select

import random

from newsgraph.resolve.duplicates import _PRIME, _SEEDS, band_hashes, find_duplicates, jaccard, shingles, signature
from newsgraph.store import schema as S
from newsgraph.store.db import insert_rows, open_engine

WIRE = (
    "Kazakhstan flew 31 women and 64 children home from camps in north-eastern Syria on Thursday, "
    "the foreign ministry in Astana said. The group landed in Aktau shortly after midnight and was "
    "taken to a rehabilitation centre, where doctors will examine the children. Officials said the "
    "women would be questioned by investigators about their time under the Islamic State group. "
    "It was the fifth such flight since January 2019."
)
COPY = WIRE.replace("on Thursday", "late on Thursday").replace("It was the fifth", "This was the fifth")
OTHER = (
    "A court in Grozny sentenced a 29-year-old man to eleven years in prison on Monday for fighting "
    "in Syria. Prosecutors said he had crossed into Syria from Turkey in 2014 and served as a driver "
    "for a unit of foreign fighters until he was wounded near Raqqa."
)


def test_shingle_overlap_separates_copies_from_other_stories():
    assert jaccard(shingles(WIRE), shingles(COPY)) > 0.6
    assert jaccard(shingles(WIRE), shingles(OTHER)) < 0.1
    same_bands = sum(a == b for a, b in zip(band_hashes(shingles(WIRE)), band_hashes(shingles(COPY))))
    assert same_bands >= 1


def test_vectorised_signature_equals_the_plain_formula():
    """The 64-bit numpy MinHash must give exactly the big-integer result: stored band hashes of
    older bases are compared with new ones, so one differing bit would hide their copies."""
    rng = random.Random(5)
    edge = {0, 1, _PRIME - 1, _PRIME, _PRIME + 1, (1 << 64) - 1, (1 << 63) + 12345}
    for n in (1, 2, 7, 300):
        sh = {rng.getrandbits(64) for _ in range(n)} | (edge if n == 7 else set())
        assert signature(sh) == [min((a * x + b) % _PRIME for x in sh) for a, b in _SEEDS]
    sh = shingles(WIRE)
    assert signature(sh) == [min((a * x + b) % _PRIME for x in sh) for a, b in _SEEDS]


def test_copies_point_to_the_earliest_and_reruns_change_nothing(tmp_path):
    engine = open_engine(str(tmp_path / "kb.db"))
    base = {"source": "x", "language": "en"}
    with engine.begin() as conn:
        insert_rows(
            conn,
            S.documents,
            [
                {**base, "id": "dlate", "text": COPY, "published": "2019-05-10"},
                {**base, "id": "dearly", "text": WIRE, "published": "2019-05-09"},
                {**base, "id": "dother", "text": OTHER, "published": "2019-05-01"},
            ],
        )
    assert find_duplicates(engine) == 1
    assert find_duplicates(engine) == 0
    with engine.connect() as conn:
        rows = {r.id: (r.duplicate_of, r.duplicate_reason) for r in conn.execute(select(S.documents))}
    assert rows["dlate"][0] == "dearly" and "earliest copy" in rows["dlate"][1]
    assert rows["dearly"][0] is None and rows["dother"][0] is None
