"""Block editor markup: the `<!-- wp:name {"attr": 1} -->` comments that frame each block.

The comments are read with a plain left-to-right scan (one `find` per comment), never a
regular expression over the whole post, so a huge or broken post costs linear time.
"""

import json
import re
from dataclasses import dataclass, field

# What sits between "<!--" and "-->" of a block delimiter: an optional "/" (closer), the name
# with an optional namespace, optional JSON attributes, an optional "/" (a block with no
# content). WordPress escapes "--" inside the attributes, so "-->" always ends the comment.
DELIMITER = re.compile(
    r"\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)"
    r"\s+(?:(?P<attrs>\{.*\})\s*)?(?P<void>/)?",
    re.S,
)
# Deeper nesting than any editor makes: delimiters past it are ignored, their HTML kept.
MAX_DEPTH = 24


@dataclass
class Block:
    """One block: its name ("paragraph", "jetpack/contact-form"), attributes, and parts in
    order: strings of its own HTML and inner Blocks."""

    name: str
    attrs: dict
    parts: list = field(default_factory=list)


def _attrs(text):
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def parse(markup):
    """Top-level parts of a post: strings (HTML outside any block) and Blocks.

    Tolerant as the editor is not: an unclosed block ends with the post, a closer with no
    opener is ignored, a closer for an outer block closes the blocks opened inside it.
    """
    top = []
    stack = []  # open Blocks, innermost last
    pos = done = 0  # where to look for the next comment; where the HTML not yet added starts
    while True:
        start = markup.find("<!--", pos)
        end = markup.find("-->", start + 4) if start != -1 else -1
        if end == -1:
            break
        pos = end + 3
        match = DELIMITER.fullmatch(markup, start + 4, end)
        if not match:  # an ordinary comment (<!--more--> ...): stays in the HTML
            continue
        _add(stack, top, markup[done:start])
        done = pos
        name = match["name"].removeprefix("core/")
        if match["closer"]:
            names = [block.name for block in stack]
            if name in names:
                del stack[len(names) - 1 - names[::-1].index(name) :]
        elif len(stack) >= MAX_DEPTH:
            continue
        else:
            block = Block(name, _attrs(match["attrs"]))
            (stack[-1].parts if stack else top).append(block)
            if not match["void"]:
                stack.append(block)
    _add(stack, top, markup[done:])
    return top


def _add(stack, top, text):
    if text:
        (stack[-1].parts if stack else top).append(text)
