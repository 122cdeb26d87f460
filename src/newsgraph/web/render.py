"""Rendering an article's text with its extractions highlighted, escaped for HTML."""

from __future__ import annotations

from markupsafe import Markup, escape


def highlight(text: str, mentions: list[dict], timexes: list[dict]) -> Markup:
    """The text as HTML paragraphs with entity and time spans marked; everything escaped."""
    spans = [(m["start"], m["end"], "ent ent-" + m["label"].lower(), f"/entities/{m['entity']}", m["label"]) for m in mentions]
    spans += [(t["start"], t["end"], "timex", None, f"{t['type']} {t['value'] or 'unresolved'}") for t in timexes]
    spans.sort(key=lambda s: (s[0], -s[1]))
    out, pos = [], 0
    for start, end, cls, href, title in spans:
        if start < pos:  # overlapping spans: keep the first
            continue
        out.append(escape(text[pos:start]))
        inner = escape(text[start:end])
        if href:
            out.append(Markup('<a class="{}" href="{}" title="{}">{}</a>').format(cls, href, title, inner))
        else:
            out.append(Markup('<mark class="{}" title="{}">{}</mark>').format(cls, title, inner))
        pos = end
    out.append(escape(text[pos:]))
    html = Markup("").join(out)
    paras = str(html).split("\n\n")
    return Markup("".join(f"<p>{p}</p>" for p in paras))
