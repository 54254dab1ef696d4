"""Text typed by people (comments, guest posts, editors' notes) made safe to keep and show."""

import re
import unicodedata


def _is_tag(ch):
    return "\U000e0020" <= ch <= "\U000e007f"


def clean_text(text):
    """Plain text only: normalised, control characters removed, paragraphs kept."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for ch in text:
        if (
            ch in "\n\t"
            or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
            or ch in "\u200d\u200c\u200e\u200f"
        ):
            kept.append(ch)
        elif _is_tag(ch) and kept and (kept[-1] == "\U0001f3f4" or _is_tag(kept[-1])):
            # Tag characters are kept only inside a flag emoji, such as Scotland's or Wales'.
            kept.append(ch)
    text = "".join(kept)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
