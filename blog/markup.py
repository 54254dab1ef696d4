"""Short constructors for StreamField blocks, so the starter and demo texts read like texts.

Texts may be wrapped over several source lines: runs of whitespace become one space.
"""


def clean(text):
    return " ".join(text.split())


def p(*paragraphs):
    """One rich-text block of one or more paragraphs (inline HTML allowed)."""
    return ("paragraph", "".join(f"<p>{clean(text)}</p>" for text in paragraphs))


def bullets(*items):
    return ("paragraph", "<ul>" + "".join(f"<li>{clean(item)}</li>" for item in items) + "</ul>")


def h2(text):
    return ("heading", {"text": clean(text), "level": "h2"})


def h3(text):
    return ("heading", {"text": clean(text), "level": "h3"})


def key_points(*points, title="Key points"):
    return ("key_points", {"title": title, "points": [clean(point) for point in points]})


def quote(text, attribution=""):
    return ("pull_quote", {"quote": clean(text), "attribution": attribution})


def embed(url, title):
    return ("embed", {"url": url, "title": clean(title)})


def figure(name, caption=""):
    """An image block; `name` is a key of FIGURES in demo.posts, drawn at seed time."""
    return ("figure", {"name": name, "caption": clean(caption)})


def ref(citation, doi="", pmid="", url=""):
    return {"citation": clean(citation), "doi": doi, "pmid": pmid, "url": url}


def references(*refs, title="References"):
    return ("references", {"title": title, "references": list(refs)})
