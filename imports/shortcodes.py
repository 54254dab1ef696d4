"""WordPress shortcodes in post text: `[name attr="v"]`, `[name]inner[/name]`, `[[escaped]]`.

WordPress expands only the shortcodes some plugin registered and leaves other brackets as
typed. We know a few by name; any other bracketed word counts as a shortcode only when it
looks like one (it has attributes, or a closing tag follows), so "[sic]" and "[1]" stay text.
"""

import bisect
import html
import re
from dataclasses import dataclass

KNOWN = {"caption", "wp_caption", "gallery", "embed", "video", "audio", "playlist"}
ENCLOSING = {"caption", "wp_caption", "embed", "video", "audio"}
# Code: WordPress.com's [code]/[sourcecode], SyntaxHighlighter Evolved's, and its shorthands
# named after a language, which count only when they enclose ("[php]...[/php]").
CODE = {"code", "sourcecode", "source"}
CODE_LANGUAGES = {
    "as3", "actionscript3", "bash", "shell", "c", "cpp", "csharp", "c-sharp", "css", "delphi",
    "diff", "patch", "erlang", "go", "groovy", "java", "javascript", "js", "jscript", "json",
    "latex", "matlab", "objc", "perl", "php", "plain", "powershell", "ps", "python", "py", "r",
    "ruby", "rb", "rails", "sass", "scala", "sql", "swift", "text", "vb", "vbnet", "xml",
    "xhtml", "xslt", "html", "yaml",
}  # fmt: skip
KNOWN |= CODE
ENCLOSING |= CODE

# Attributes never hold brackets, so a tag ends at the first "]": linear on "[[[[[[...".
TAG = re.compile(
    r"\[(?P<escape>\[?)(?P<closer>/?)(?P<name>[A-Za-z][\w-]*)(?P<attrs>[\s/][^\[\]]*)?\]"
)
POSITIONAL = re.compile(r""""([^"]*)"|'([^']*)'|([^\s"'/][^\s"']*)""")
CLOSER = re.compile(r"\[/([A-Za-z][\w-]*)\]")
ATTR = re.compile(
    r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))"""
)


@dataclass
class Shortcode:
    name: str  # lower case
    attrs: dict  # attribute names lower case, values with entities decoded
    inner: str | None  # the enclosed text of a known shortcode; None if it encloses none
    known: bool
    encloses: bool  # for an unknown one: a closing tag follows, its text stays in the stream


def attributes(text):
    """Named attributes by lower-case name; values without a name ("[audio URL]") by their
    position among those, "0", "1"..., as WordPress's shortcode_parse_atts gives them."""
    found = {}
    for match in ATTR.finditer(text or ""):
        value = next(v for v in match.group("dq", "sq", "bare") if v is not None)
        found[match["key"].lower()] = html.unescape(value)
    rest = ATTR.sub(" ", text or "")
    for position, match in enumerate(POSITIONAL.finditer(rest)):
        value = next(v for v in match.groups() if v is not None)
        found.setdefault(str(position), html.unescape(value))
    return found


def scan(text):
    """The text as a stream of strings and Shortcodes, in order.

    A known shortcode swallows what it encloses (its `inner`); an unknown one is reported
    where its opening tag was and its enclosed text follows as ordinary text, so nothing a
    reader could read is lost. Escaped shortcodes come out as the literal text WordPress shows.
    """
    closers = {}
    for match in CLOSER.finditer(text):
        closers.setdefault(match[1].lower(), []).append(match.start())
    open_unknown = {}
    pos = done = 0
    while match := TAG.search(text, pos):
        name = match["name"].lower()
        end = match.end()
        if match["escape"]:
            literal = match[0][1:]
            if text.startswith("]", end):
                end += 1
            yield text[done : match.start()]
            yield literal
            pos = done = end
            continue
        if match["closer"]:
            if open_unknown.get(name) or name in KNOWN:
                open_unknown[name] = max(0, open_unknown.get(name, 0) - 1)
                yield text[done : match.start()]
                done = end
            pos = end
            continue
        attrs_text = (match["attrs"] or "").strip()
        later = _next_closer(closers.get(name), end)
        if name in CODE_LANGUAGES and later is not None:
            inner = text[end:later]
            yield text[done : match.start()]
            yield Shortcode(name, attributes(attrs_text), inner, True, True)
            pos = done = later + len(name) + 3
        elif name in KNOWN:
            inner = None
            if name in ENCLOSING and later is not None:
                inner = text[end:later]
                end = later + len(name) + 3
            yield text[done : match.start()]
            yield Shortcode(name, attributes(attrs_text), inner, True, inner is not None)
            pos = done = end
        elif "=" in attrs_text or attrs_text.endswith("/") or later is not None:
            if later is not None:
                open_unknown[name] = open_unknown.get(name, 0) + 1
            yield text[done : match.start()]
            yield Shortcode(name, attributes(attrs_text), None, False, later is not None)
            pos = done = end
        else:
            pos = end
    yield text[done:]


def _next_closer(positions, after):
    if not positions:
        return None
    index = bisect.bisect_left(positions, after)
    return positions[index] if index < len(positions) else None
