"""Author photos: opened with Pillow, checked, and saved anew as a plain JPEG.

Re-encoding drops whatever else the upload carried (EXIF with GPS positions, scripts in SVG,
polyglot payloads): only pixels survive.
"""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 1200
FORMATS = ("JPEG", "PNG", "WEBP")


class PhotoError(ValueError):
    """A photo we cannot use; the message is for the author."""


def reencode_photo(data):
    """JPEG bytes of at most LONGEST_SIDE pixels a side, or PhotoError."""
    if len(data) > MAX_BYTES:
        raise PhotoError("Please send a photo of at most 5 MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise PhotoError("Please send the photo as a JPEG, PNG or WebP image.")
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError("This photo is too large. Please send a smaller one.")
            image.load()
    except PhotoError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise PhotoError(
            "We could not read this photo. Please send a JPEG, PNG or WebP image."
        ) from None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
