"""The demo corpus's expected facts (examples/corpus/FACTS.md) and the lookups both
integration test modules use to find them in the export."""

from __future__ import annotations

import json
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
BLOCKS = [json.loads(b) for b in re.findall(r"```json\n(.*?)\n```", (CORPUS / "FACTS.md").read_text(encoding="utf-8"), re.S)]
CROSS = BLOCKS[0]["cross_document"]
ARTICLES = BLOCKS[1:]
BY_FILE = {a["file"]: a for a in ARTICLES}


def source_matches(source: str, file: str) -> bool:
    """Whether an exported document's `source` is FACTS.md's `file` (`name.jsonl#N` is line N)."""
    if "#" in file:
        name, line = file.split("#")
        return source.endswith(f"{name}#L{line}")
    return source.endswith(file) or source.endswith("/" + file)


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Spans of `phrase` in `text`, whitespace-insensitive, on word boundaries."""
    pat = r"\s+".join(re.escape(w) for w in phrase.split())
    pat = (r"\b" if phrase[0].isalnum() else "") + pat + (r"\b" if phrase[-1].isalnum() else "")
    return [(m.start(), m.end()) for m in re.finditer(pat, text)]


def documents_by_file(documents: list[dict]) -> dict[str, dict]:
    """The exported document of each FACTS.md file; exactly one each."""
    out = {}
    for file in BY_FILE:
        found = [d for d in documents if source_matches(d["source"], file)]
        assert len(found) == 1, f"{file}: {len(found)} documents with that source"
        out[file] = found[0]
    return out
