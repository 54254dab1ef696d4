"""Guest post bodies: Word uploads checked and converted, typed text formatted, both sanitised.

Pure functions on bytes and strings: no database, no file system, no network.

Images in converted HTML are placeholders, ``<img src="submission-image:image-1.png">``;
the caller stores ``Converted.images`` and swaps the sources with ``resolve_images``.
"""

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from xml.etree import ElementTree

import mammoth
import nh3
from mammoth.html import element as html_element
from PIL import Image as PILImage
from PIL import ImageOps

from blog.body import IMAGE_SCHEME

MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_RATIO = 100
# Small parts full of repeated markup compress very well; only big ones can be bombs.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 2400
JPEG_QUALITY = 85


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
VBA_PROJECT = "application/vnd.ms-office.vbaproject"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

SAVE_AS_DOCX = "Open it in Word (or LibreOffice) and use Save As > Word Document (.docx)."
DAMAGED = (
    "This Word document is damaged or incomplete and could not be read. "
    "Open it in Word, save it again as .docx and upload the new file."
)

READABLE_IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"}

# Word's headings start at h2: the post title is the page's h1.
STYLE_MAP = """
p[style-name='Title'] => h2:fresh
p[style-name='Heading 1'] => h2:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='Heading 3'] => h4:fresh
p[style-name='Heading 4'] => h4:fresh
p[style-name='Heading 5'] => h4:fresh
p[style-name='Heading 6'] => h4:fresh
"""


class DocumentError(Exception):
    """A file or text we refuse; ``message`` tells the author what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Image:
    name: str
    content_type: str
    data: bytes
    alt: str = ""


@dataclass
class Converted:
    html: str
    images: list[Image] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


# --- Sanitising ---------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "strong", "em", "s", "a", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "br", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "id"},
    "li": {"id"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "img": {"src", "alt"},
}
NOTE_ID = re.compile(r"(?:footnote|endnote)(?:-ref)?-[0-9]{1,9}")
IMAGE_NAME = re.compile(r"image-[0-9]{1,4}\.(?:png|jpg)")
SPAN = re.compile(r"[1-9][0-9]?")


def _filter_attribute(tag, attribute, value):
    if attribute == "id":
        return value if NOTE_ID.fullmatch(value) else None
    if attribute == "href":
        if value.startswith("#"):
            return value if NOTE_ID.fullmatch(value[1:]) else None
        return value if value.lower().startswith(("http://", "https://", "mailto:")) else None
    if attribute == "src":
        name = value.removeprefix(IMAGE_SCHEME)
        return value if value.startswith(IMAGE_SCHEME) and IMAGE_NAME.fullmatch(name) else None
    if attribute in {"colspan", "rowspan"}:
        return value if SPAN.fullmatch(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "svg"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    link_rel="nofollow noopener",
    url_schemes={"http", "https", "mailto", IMAGE_SCHEME.rstrip(":")},
    url_relative="pass_through",
)


def clean_html(html: str) -> str:
    """Keep only the tags and attributes a guest post may use; everything else is dropped."""
    return _cleaner.clean(html)


IMAGE_TAG = re.compile(r"<img\b[^>]*>")
PLACEHOLDER_SRC = re.compile(r'src="submission-image:([^"]+)"')


def resolve_images(html: str, urls: Mapping[str, str]) -> str:
    """Point placeholder images at stored URLs (by image name); images with no URL are removed.

    Expects HTML produced by this module (attributes quoted as nh3 writes them).
    """

    def replace(match):
        tag = match.group(0)
        source = PLACEHOLDER_SRC.search(tag)
        url = urls.get(source.group(1)) if source else None
        if not url:
            return ""
        return tag[: source.start()] + f'src="{escape(url)}"' + tag[source.end() :]

    return IMAGE_TAG.sub(replace, html)


# --- Checking an upload -------------------------------------------------------------------


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def _not_a_zip_message(data):
    if data.startswith(b"%PDF"):
        kind = "This file is a PDF, not a Word document (.docx)."
    elif data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")):
        kind = "This file is an image, not a Word document (.docx)."
    elif data.lstrip().startswith(b"{\\rtf"):
        kind = "This file is a Rich Text (.rtf) file, not a Word document (.docx)."
    else:
        kind = "This file is not a Word document (.docx)."
    return f"{kind} {SAVE_AS_DOCX}"


def _unsafe_name(name):
    if not name or "\x00" in name or name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in re.split(r"[/\\]", name)


def _read_member(archive, info):
    try:
        return archive.read(info)
    except Exception as error:  # BadZipFile, zlib.error, EOFError...: a damaged member
        raise DocumentError(DAMAGED) from error


def _content_types(archive, members):
    info = members.get("[Content_Types].xml")
    if info is None:
        return {}
    xml = _read_member(archive, info)
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise DocumentError(DAMAGED) from error
    overrides = {}
    for override in root.iter(f"{CONTENT_TYPES_NS}Override"):
        part = override.get("PartName", "").lstrip("/")
        overrides[part] = override.get("ContentType", "").strip().lower()
    return overrides


def check_docx(data: bytes, *, max_bytes: int = MAX_BYTES) -> None:
    """Raise DocumentError unless ``data`` is a plain, macro-free, reasonably sized .docx."""
    if not data:
        raise DocumentError("This file is empty. Choose the Word document (.docx) again.")
    if len(data) > max_bytes:
        raise DocumentError(
            f"This file is {_megabytes(len(data))}; the limit is {_megabytes(max_bytes)}. "
            "Make the images in it smaller (in Word: Compress Pictures) and upload it again."
        )
    if data.startswith(OLE_SIGNATURE):
        raise DocumentError(
            "This file is password-protected or is an old Word document (.doc). "
            f"Remove the password if there is one, then {SAVE_AS_DOCX[0].lower()}"
            f"{SAVE_AS_DOCX[1:]}"
        )
    if not data.startswith(b"PK"):
        raise DocumentError(_not_a_zip_message(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as error:  # BadZipFile, struct errors...: not a readable archive
        raise DocumentError(DAMAGED) from error

    with archive:
        if len(infos) > MAX_MEMBERS:
            raise DocumentError(f"This document has too many parts. {SAVE_AS_DOCX}")
        members = {}
        total = 0
        for info in infos:
            name = info.filename
            if _unsafe_name(name) or name in members:
                raise DocumentError(f"This file is not a valid Word document. {SAVE_AS_DOCX}")
            members[name] = info
            if info.flag_bits & 0x1:
                raise DocumentError(
                    "This document is password-protected. Remove the password in Word, "
                    "save it as .docx and upload it again."
                )
            total += info.file_size
            ratio_too_high = info.file_size > MAX_RATIO * max(info.compress_size, 1)
            if total > MAX_UNCOMPRESSED_BYTES or (
                info.file_size >= RATIO_CHECKED_FROM_BYTES and ratio_too_high
            ):
                raise DocumentError(
                    "This document expands to far more data than a blog post needs, "
                    f"so we did not open it. {SAVE_AS_DOCX}"
                )

        for name, info in members.items():
            if name.lower().endswith((".xml", ".rels")):
                part = _read_member(archive, info)
                # Word never writes a DTD; refusing one rules out entity expansion tricks.
                if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
                    raise DocumentError(f"This file is not a valid Word document. {SAVE_AS_DOCX}")

        content_types = _content_types(archive, members)
        has_vba = any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in members)
        if has_vba or any(
            "macroenabled" in kind or kind == VBA_PROJECT for kind in content_types.values()
        ):
            raise DocumentError(
                "This document contains macros (it is a .docm or macro-enabled file). "
                "We do not accept macros. In Word, use Save As > Word Document (.docx), "
                "which removes them, and upload that file."
            )
        main_parts = [part for part, kind in content_types.items() if kind == DOCX_MAIN]
        if len(main_parts) != 1 or main_parts[0] not in members:
            raise DocumentError(f"This file is not a Word document (.docx). {SAVE_AS_DOCX}")


# --- Converting an upload -----------------------------------------------------------------


class _ImageCollector:
    def __init__(self):
        self.images = []
        self.messages = []

    def __call__(self, element):
        alt = (element.alt_text or "").strip()
        described = f' ("{alt}")' if alt else ""
        try:
            with element.open() as stream:
                raw = stream.read()  # bounded by check_docx's uncompressed limit
            image = self._reencode(raw)
        except _UnusableImage as problem:
            self.messages.append(f"An image{described} was left out: {problem}")
            return []
        except Exception:
            if (element.content_type or "").endswith(("emf", "wmf")):
                self.messages.append(
                    f"A drawing{described} in Windows metafile format (EMF/WMF) was left out. "
                    "Insert it again as a PNG or JPEG picture."
                )
                return []
            self.messages.append(
                f"An image{described} was left out: it could not be read. "
                "Insert it again as a PNG or JPEG picture."
            )
            return []
        extension, content_type, data = image
        name = f"image-{len(self.images) + 1}.{extension}"
        self.images.append(Image(name=name, content_type=content_type, data=data, alt=alt))
        return [html_element("img", {"src": IMAGE_SCHEME + name, "alt": alt})]

    @staticmethod
    def _reencode(raw):
        # Only formats a camera or Word produces: fewer decoders for a hostile file to reach.
        source = PILImage.open(io.BytesIO(raw), formats=sorted(READABLE_IMAGE_FORMATS))
        width, height = source.size
        if width * height > MAX_IMAGE_PIXELS:
            megapixels = MAX_IMAGE_PIXELS // 1_000_000
            raise _UnusableImage(
                f"it is too large (over {megapixels} megapixels). Insert a smaller copy."
            )
        source.seek(0)  # first frame of an animation
        source.load()
        picture = ImageOps.exif_transpose(source)
        has_alpha = picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info
        as_png = has_alpha or source.format in {"PNG", "GIF", "BMP"}
        mode = "RGBA" if has_alpha else "RGB"
        picture = picture.convert(mode)
        picture.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        # A fresh image from the pixels alone carries no EXIF, XMP, ICC profile or comments.
        clean = PILImage.frombytes(mode, picture.size, picture.tobytes())
        out = io.BytesIO()
        if as_png:
            clean.save(out, format="PNG", optimize=True)
            return "png", "image/png", out.getvalue()
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        return "jpg", "image/jpeg", out.getvalue()


class _UnusableImage(Exception):
    pass


def _editor_messages(mammoth_messages):
    shown = []
    for message in mammoth_messages:
        text = message.message
        if message.type != "warning" or "unlikely to display in web browsers" in text:
            continue
        if text not in shown:
            shown.append(text)
    return shown


def convert_docx(data: bytes) -> Converted:
    """Check a .docx and turn it into clean HTML plus re-encoded images; raises DocumentError."""
    check_docx(data)
    collector = _ImageCollector()
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=collector,
            include_embedded_style_map=False,
            external_file_access=False,
        )
    except DocumentError:
        raise
    except Exception as error:  # any parser failure on hostile input means "damaged"
        raise DocumentError(DAMAGED) from error
    html = clean_html(result.value)
    if not re.sub(r"<[^>]*>", "", html).strip() and not collector.images:
        raise DocumentError(
            "This document has no text in it. Check you chose the right file and try again."
        )
    messages = collector.messages + _editor_messages(result.messages)
    return Converted(html=html, images=collector.images, messages=messages)


# --- Typed text ---------------------------------------------------------------------------

URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\"*"
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
BULLET = re.compile(r"[-*] +(.*)")
NUMBERED = re.compile(r"[0-9]{1,3}[.)] +(.*)")
HEADING = re.compile(r"(#{2,3}) +(.*)")


def _inline(line):
    links = []

    def hold(match):
        url, trailing = match.group(0), ""
        while url and url[-1] in TRAILING:
            url, trailing = url[:-1], url[-1] + trailing
        links.append(url)
        return f"\x00{len(links) - 1}\x00{trailing}"

    text = escape(URL.sub(hold, line), quote=False)
    text = BOLD.sub(r"<strong>\1</strong>", text)
    text = ITALIC.sub(r"<em>\1</em>", text)

    def link(match):
        url = links[int(match.group(1))]
        return f'<a href="{escape(url)}">{escape(url, quote=False)}</a>'

    return re.sub(r"\x00([0-9]+)\x00", link, text)


def text_to_html(text: str) -> str:
    """Format a typed post. Supported, and nothing else (all other text shows as typed):

    - a blank line starts a new paragraph; a single line break stays a line break
    - "## Heading" and "### Smaller heading" on a line of their own
    - lines starting with "- " or "* " make a bulleted list; "1. ", "2. " a numbered list
    - **bold** and *italic*
    - web addresses starting with http:// or https:// become links
    """
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    blocks, paragraph, items, list_tag = [], [], [], None

    def close_paragraph():
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def close_list():
        nonlocal list_tag
        if items:
            blocks.append(f"<{list_tag}>" + "".join(items) + f"</{list_tag}>")
            items.clear()
        list_tag = None

    for raw in text.split("\n"):
        line = raw.strip()
        heading, bullet, numbered = (
            HEADING.fullmatch(line),
            BULLET.fullmatch(line),
            NUMBERED.fullmatch(line),
        )
        if not line:
            close_paragraph()
            close_list()
        elif heading and heading.group(2).strip():
            close_paragraph()
            close_list()
            tag = "h2" if len(heading.group(1)) == 2 else "h3"
            blocks.append(f"<{tag}>{_inline(heading.group(2).strip())}</{tag}>")
        elif bullet or numbered:
            close_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                list_tag = tag
            items.append(f"<li>{_inline((bullet or numbered).group(1).strip())}</li>")
        else:
            close_list()
            paragraph.append(_inline(line))
    close_paragraph()
    close_list()
    return clean_html("".join(blocks))
