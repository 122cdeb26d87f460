"""The entity network, for Gephi and friends: GraphML and GEXF 1.3.

Nodes are canonical entities of the chosen types (PERSON and ORG by default, PLACE on
request) that have at least one mention. Two nodes are joined when they are mentioned in the
same sentence: `weight` is the number of such sentences, `documents` the number of documents.
A document that is a re-published copy of another (duplicate_of) is left out of the edges,
since its sentences repeat the original's. Attributes are declared with their types.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations, groupby
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import Engine, select

from ... import __version__
from .. import schema as S
from ._sql import mention_counts, own_and_canonical, parse_types, streamed

# Characters XML 1.0 does not allow; article text is untrusted and may carry them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def _attr(value) -> str:
    return quoteattr(_NOT_XML.sub("", str(value)))


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    weight: int  # sentences naming both
    documents: int


def network_edges(conn, types: Iterable[str]) -> list[Edge]:
    """Co-occurrence edges between canonical entities of `types`, sorted by (source, target).

    Mentions stream in (document, sentence) order; only the edge counters stay in memory.
    """
    own, canon, cid = own_and_canonical()
    M, D = S.mentions, S.documents
    stmt = (
        select(M.c.doc, M.c.sentence_start, cid.label("entity"))
        .select_from(M.join(own, own.c.id == M.c.entity).join(canon, canon.c.id == cid).join(D, D.c.id == M.c.doc))
        .where(D.c.duplicate_of.is_(None), M.c.sentence_start.is_not(None), canon.c.type.in_(list(types)))
        .order_by(M.c.doc, M.c.sentence_start)
    )
    sentences: Counter = Counter()
    documents: Counter = Counter()
    for _doc, doc_rows in groupby(streamed(conn, stmt), key=lambda r: r.doc):
        in_doc = set()
        for _start, rows in groupby(doc_rows, key=lambda r: r.sentence_start):
            # Two names of one entity in a sentence are not an edge.
            pairs = set(combinations(sorted({r.entity for r in rows}), 2))
            sentences.update(pairs)
            in_doc |= pairs
        documents.update(in_doc)
    return [Edge(a, b, sentences[(a, b)], documents[(a, b)]) for a, b in sorted(sentences)]


def _nodes(conn, types):
    return streamed(conn, mention_counts(types))


def graphml(engine: Engine, types: Iterable[str] | str | None = None, stats: dict | None = None) -> Iterator[str]:
    """The network as GraphML text chunks (undirected; typed keys for every attribute)."""
    types = parse_types(types)
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        '  <key id="label" for="node" attr.name="label" attr.type="string"/>\n'
        '  <key id="type" for="node" attr.name="type" attr.type="string"/>\n'
        '  <key id="mentions" for="node" attr.name="mentions" attr.type="int"/>\n'
        '  <key id="node_documents" for="node" attr.name="documents" attr.type="int"/>\n'
        '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>\n'
        '  <key id="edge_documents" for="edge" attr.name="documents" attr.type="int"/>\n'
        '  <graph id="newsgraph" edgedefault="undirected">\n'
        f"    <desc>{_text(_description(types))}</desc>\n"
    )
    n_nodes = 0
    with engine.connect() as conn:
        edges = network_edges(conn, types)
        for r in _nodes(conn, types):
            n_nodes += 1
            yield (
                f"    <node id={_attr(r.id)}>"
                f'<data key="label">{_text(r.name)}</data>'
                f'<data key="type">{_text(r.type)}</data>'
                f'<data key="mentions">{r.mention_count}</data>'
                f'<data key="node_documents">{r.document_count}</data>'
                "</node>\n"
            )
    for i, e in enumerate(edges):
        yield (
            f'    <edge id="e{i}" source={_attr(e.source)} target={_attr(e.target)}>'
            f'<data key="weight">{e.weight}</data><data key="edge_documents">{e.documents}</data>'
            "</edge>\n"
        )
    yield "  </graph>\n</graphml>\n"
    if stats is not None:
        stats.update(nodes=n_nodes, edges=len(edges))


def gexf(engine: Engine, types: Iterable[str] | str | None = None, stats: dict | None = None) -> Iterator[str]:
    """The network as GEXF 1.3 text chunks (Gephi's own format; typed attribute columns)."""
    types = parse_types(types)
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gexf xmlns="http://gexf.net/1.3" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
        f"  <meta><creator>newsgraph {_text(__version__)}</creator>"
        f"<description>{_text(_description(types))}</description></meta>\n"
        '  <graph defaultedgetype="undirected" mode="static">\n'
        '    <attributes class="node">\n'
        '      <attribute id="type" title="type" type="string"/>\n'
        '      <attribute id="mentions" title="mentions" type="integer"/>\n'
        '      <attribute id="documents" title="documents" type="integer"/>\n'
        "    </attributes>\n"
        '    <attributes class="edge">\n'
        '      <attribute id="edge_documents" title="documents" type="integer"/>\n'
        "    </attributes>\n"
        "    <nodes>\n"
    )
    n_nodes = 0
    with engine.connect() as conn:
        edges = network_edges(conn, types)
        for r in _nodes(conn, types):
            n_nodes += 1
            yield (
                f"      <node id={_attr(r.id)} label={_attr(r.name)}><attvalues>"
                f'<attvalue for="type" value={_attr(r.type)}/>'
                f'<attvalue for="mentions" value="{r.mention_count}"/>'
                f'<attvalue for="documents" value="{r.document_count}"/>'
                "</attvalues></node>\n"
            )
    yield "    </nodes>\n    <edges>\n"
    for i, e in enumerate(edges):
        yield (
            f'      <edge id="e{i}" source={_attr(e.source)} target={_attr(e.target)} weight="{e.weight}">'
            f'<attvalues><attvalue for="edge_documents" value="{e.documents}"/></attvalues></edge>\n'
        )
    yield "    </edges>\n  </graph>\n</gexf>\n"
    if stats is not None:
        stats.update(nodes=n_nodes, edges=len(edges))


def _description(types) -> str:
    return (
        f"Entities of type {', '.join(types)} mentioned in the same sentence; edge weight = sentences, "
        "documents = documents (re-published copies left out)."
    )
