"""Comment text to HTML: escaped plain text, paragraphs, and links that search engines ignore."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from comments.checks import URL_PATTERN

TRAILING_PUNCTUATION = ".,;:!?)]}'\""


def _link(url):
    trailing = ""
    while url and url[-1] in TRAILING_PUNCTUATION:
        trailing = url[-1] + trailing
        url = url[:-1]
    href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
    label = url if len(url) <= 60 else url[:57] + "…"
    anchor = f'<a href="{escape(href)}" rel="nofollow ugc noopener">{escape(label)}</a>'
    return anchor + escape(trailing)


def _inline(text):
    parts, position = [], 0
    for match in URL_PATTERN.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(_link(match.group(0)))
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def render_comment(text):
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    html = "".join(
        "<p>" + "<br>".join(_inline(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )
    return mark_safe(html)
