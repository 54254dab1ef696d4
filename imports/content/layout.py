"""How WordPress laid an image or a gallery out, in the terms of our image and gallery blocks."""

import re

from imports.content.nodes import _attachment, _image_address, _image_source, _int, _one_line
from imports.content.text import _node_text

# WordPress's image sizes: thumbnail 150 × 150 (cropped), medium 300, large 1024, full the original.
SIZE_SLUGS = {"thumbnail": "small", "medium": "medium", "medium_large": "full", "large": "full"}
SIZE_SLUGS["full"] = "full"
SIZE_ORDER = ["small", "medium", "full"]
ALIGNMENTS = {"left", "right", "center"}
SMALL_MAX, MEDIUM_MAX = 200, 400  # widths in pixels, set in the markup, that keep an image small
COLUMNS_MIN, COLUMNS_MAX = 2, 4
GALLERY_CAPTIONS = ("figcaption", "dd")  # block and HTML5 galleries; the old <dl> galleries


def _width(value):
    """Pixels from "150", "150px" or 150; None for percentages and nonsense."""
    match = re.fullmatch(r"\s*([0-9]{1,5})(?:\.[0-9]+)?\s*(?:px)?\s*", str(value or ""))
    return int(match[1]) if match else None


def classes_around(node, levels=3):
    """The classes of an <img> and of the few elements around it (figure, link, block div)."""
    found = list(node.get("class") or [])
    for parent in list(node.parents)[:levels]:
        if parent.name in ("body", "html", "[document]"):
            break
        found.extend(parent.get("class") or [])
    return found


def image_layout(classes, *, width=None, size_slug=None, align=None):
    """(size, align) for an image block: "full"|"medium"|"small", "none"|"left"|"right"|"center".

    The size is the smaller of what WordPress's size (sizeSlug or size-* class) and the width
    written in the markup say, so a 150-pixel thumbnail is never blown up to the column width.
    """
    sizes = []
    slug = size_slug if isinstance(size_slug, str) else ""
    if slug in SIZE_SLUGS:
        sizes.append(SIZE_SLUGS[slug])
    else:
        sizes.extend(
            SIZE_SLUGS[name[5:]]
            for name in classes
            if name.startswith("size-") and name[5:] in SIZE_SLUGS
        )
    pixels = _width(width)
    if pixels:
        sizes.append(
            "small" if pixels <= SMALL_MAX else "medium" if pixels <= MEDIUM_MAX else "full"
        )
    size = min(sizes, key=SIZE_ORDER.index) if sizes else "full"
    side = align if isinstance(align, str) and align in ALIGNMENTS else None
    if side is None:
        side = next(
            (name[5:] for name in classes if name[5:] in ALIGNMENTS and name.startswith("align")),
            "none",
        )
    if size == "full" and side in ("left", "right"):
        side = "none"  # a full-width image has no room to float
    return size, side


def gallery_columns(value, default=3):
    number = _int(value) or default
    return str(max(COLUMNS_MIN, min(number, COLUMNS_MAX)))


def gallery_items(root):
    """(url, attachment id, alt, caption or None) of each image of a gallery's HTML, in order:
    block galleries (figure > figure/li), HTML5 ones (figure.gallery-item) and the old
    <dl class="gallery-item"> ones with their <dd class="gallery-caption">."""
    items = []
    for image in root.find_all("img"):
        caption, attachment = None, _attachment(image)
        for parent in image.parents:
            if parent is root:
                break
            attachment = attachment or _int(parent.get("data-wp-attachment"))
            if caption is None:
                found = parent.find_all(GALLERY_CAPTIONS, recursive=False)
                if found:
                    caption = _one_line(" ".join(_node_text(c) for c in found))
        url = _image_address(_image_source(image))
        items.append((url, attachment, _one_line(image.get("alt") or ""), caption or None))
    return items


def gallery_caption(root):
    """The caption of the gallery as a whole: a figcaption right inside it."""
    found = root.find_all("figcaption", recursive=False)
    return _one_line(" ".join(_node_text(c) for c in found))
