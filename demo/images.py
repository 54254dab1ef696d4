"""Abstract demo illustrations drawn with Pillow: no files, fonts or network needed."""

import random
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Named so that alt text can say honestly what a picture shows.
COLOURS = {
    "teal": (0, 128, 128),
    "coral": (240, 112, 86),
    "indigo": (63, 72, 160),
    "amber": (232, 165, 40),
    "plum": (128, 62, 116),
    "sage": (132, 168, 124),
    "navy": (28, 44, 92),
    "sand": (222, 196, 150),
    "crimson": (176, 36, 60),
    "sky blue": (110, 170, 222),
    "forest green": (34, 102, 68),
    "rose": (226, 140, 166),
    "slate": (88, 100, 116),
    "ochre": (196, 128, 44),
    "lavender": (168, 150, 210),
    "mint": (150, 214, 184),
}

SHAPES = {
    "circles": "overlapping circles",
    "bands": "diagonal bands",
    "dots": "a scatter of dots",
    "arcs": "concentric arcs",
}

JPEG_QUALITY = 82


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(size, top_left, bottom_right):
    """A smooth diagonal gradient: four corner pixels, scaled up (fast at any size)."""
    corners = Image.new("RGB", (2, 2))
    corners.putdata(
        [
            top_left,
            _mix(top_left, bottom_right, 0.5),
            _mix(top_left, bottom_right, 0.5),
            bottom_right,
        ]
    )
    return corners.resize(size, Image.Resampling.BILINEAR)


def _jpeg(image):
    out = BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def describe(colours, shape):
    first, second = colours
    return f"Abstract illustration: {SHAPES[shape]} in {first} and {second} on a soft gradient"


def illustration(seed, colours, shape="circles", size=(1600, 900)):
    """JPEG bytes of an abstract picture in two named colours; a seed always draws the same."""
    rng = random.Random(seed)
    first, second = (COLOURS[name] for name in colours)
    # Drawn at half size and scaled up once: cheaper than drawing, or blurring, at full size.
    half = (size[0] // 2, size[1] // 2)
    base = _gradient(half, _mix(first, (255, 255, 255), 0.55), _mix(second, (255, 255, 255), 0.35))
    overlay = Image.new("RGBA", half, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    width, height = half
    if shape == "circles":
        for _ in range(7):
            r = rng.randint(height // 6, height // 2)
            x, y = rng.randint(0, width), rng.randint(0, height)
            colour = rng.choice([first, second, _mix(first, second, 0.5)])
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, rng.randint(90, 170)))
    elif shape == "bands":
        step = width // 7
        for i in range(-2, 10):
            x = i * step + rng.randint(-step // 4, step // 4)
            colour = first if i % 2 else second
            band = [
                (x, 0),
                (x + step // 2, 0),
                (x + step // 2 - height // 2, height),
                (x - height // 2, height),
            ]
            draw.polygon(band, fill=(*colour, rng.randint(70, 150)))
    elif shape == "dots":
        for _ in range(90):
            r = rng.randint(4, height // 12)
            x, y = rng.randint(0, width), rng.randint(0, height)
            colour = rng.choice([first, second])
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, rng.randint(110, 210)))
    elif shape == "arcs":
        cx, cy = rng.randint(width // 4, 3 * width // 4), rng.randint(height // 3, height)
        for i, r in enumerate(range(height // 8, width, height // 9)):
            colour = first if i % 2 else second
            draw.ellipse(
                (cx - r, cy - r, cx + r, cy + r), outline=(*colour, 150), width=height // 22
            )
    else:
        raise ValueError(f"unknown shape {shape!r}")
    base = base.convert("RGBA")
    base.alpha_composite(overlay)
    smooth = base.convert("RGB").filter(ImageFilter.BoxBlur(1))  # softens stepped edges
    return _jpeg(smooth.resize(size, Image.Resampling.BICUBIC))


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow built without FreeType: the small bitmap font
        return ImageFont.load_default()


def portrait(initials, colours, size=480):
    """JPEG bytes of an avatar: the person's initials on a disc over a gradient."""
    first, second = (COLOURS[name] for name in colours)
    image = _gradient((size, size), _mix(first, (255, 255, 255), 0.4), second)
    draw = ImageDraw.Draw(image)
    margin = size // 8
    draw.ellipse((margin, margin, size - margin, size - margin), fill=_mix(first, (0, 0, 0), 0.35))
    draw.text(
        (size / 2, size / 2), initials, fill=(255, 255, 255), font=_font(size // 3), anchor="mm"
    )
    return _jpeg(image)
