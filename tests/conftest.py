"""Shared fixtures: the real spaCy model loaded once, and a knowledge base built from the demo corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"


@pytest.fixture(scope="session")
def analyser():
    from newsgraph.extract.pipeline import Analyser

    return Analyser.load()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, analyser) -> str:
    """A SQLite knowledge base built once from examples/corpus."""
    from newsgraph.build import build

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    report = build([str(CORPUS)], str(path), progress=False, analyser=analyser)
    assert report.stored >= 15, report
    return str(path)


@pytest.fixture(scope="session")
def demo_export(demo_db, tmp_path_factory) -> dict[str, list[dict]]:
    """The demo knowledge base exported, as lists of records per file."""
    import json

    from newsgraph.store.db import open_engine
    from newsgraph.store.export import FILES, export

    out = tmp_path_factory.mktemp("export")
    export(open_engine(demo_db, create=False), out)
    return {name: [json.loads(line) for line in (out / f"{name}.jsonl").open(encoding="utf-8")] for name in FILES}
