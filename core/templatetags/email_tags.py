"""Template tags for the HTML emails (templates/emails/)."""

from math import ceil

from django import template

register = template.Library()

# Outlook on Windows draws the button as a VML shape of a fixed size (templates/emails/layout/
# button.html); other clients size the link itself. Bold 18 px Arial averages about 10.4 px a
# character: 11 keeps a label of wide letters inside its shape.
CHARACTER_PX = 11
PADDING_PX = 56  # 28 px each side, as the link's own padding
LINE_PX = 24
MIN_WIDTH_PX = 220
MAX_WIDTH_PX = 536  # the 600 px column less the body's 32 px each side


@register.simple_tag
def vml_button_box(label):
    """Width and height in px of Outlook's button for `label`: as wide as the label, within
    the column; a label longer than a line wraps, and the shape grows a line at a time."""
    text_px = len(str(label)) * CHARACTER_PX
    width = min(max(text_px + PADDING_PX, MIN_WIDTH_PX), MAX_WIDTH_PX)
    lines = max(1, ceil(text_px / (MAX_WIDTH_PX - PADDING_PX)))
    return {"width": width, "height": lines * LINE_PX + LINE_PX}
