"""Hostile input the security tests put into every reader-facing field, and the checks that
prove it comes out as text: no element, attribute, handler or link made by the input."""

import json
import re
from xml.etree import ElementTree

from bs4 import BeautifulSoup

# Each payload carries the marker "xss" so anything it manages to create can be recognised.
SCRIPT = '<script>alert("xss-script")</script>'
ATTRIBUTE_BREAK = '"><img src=x onerror=alert("xss-img")>'
SINGLE_QUOTE_BREAK = "'><svg onload=alert('xss-svg')>"
JS_URL = 'javascript:alert("xss-url")'
TEMPLATE = "{{7*7}} {% now 'Y' %} ${7*7} #{7*7}"
TEXTAREA_BREAK = "</textarea></title><iframe src=\"javascript:alert('xss-frame')\"></iframe>"
# Right-to-left override and zero-width characters that disguise the text around them.
UNICODE = "\u202e<b onmouseover=alert('xss-rtl')>gpj.exe\u202c\u200b\ufeff"

# Text that becomes a link (comments link URLs; guest posts keep references as links).
URL_BREAK = 'https://example.org/"onmouseover="alert(\'xss-link\')" x="'
MARKDOWN_LINK = "[click](javascript:alert('xss-md')) <javascript:alert('xss-md')>"

PAYLOADS = [
    SCRIPT,
    ATTRIBUTE_BREAK,
    SINGLE_QUOTE_BREAK,
    JS_URL,
    TEMPLATE,
    TEXTAREA_BREAK,
    UNICODE,
    URL_BREAK,
    MARKDOWN_LINK,
]
ALL = " ".join(PAYLOADS)
SHORT = '"><svg onload=alert("xss")>'  # fits fields of 80 characters


def long_text(length=4000):
    """A long body with the payloads at its start, middle and end."""
    filler = "word " * (length // 5)
    text = f"{ALL} {filler[: length // 2]} {ALL} {filler[: length // 2]} {ALL}"
    return text[:length]


# Attributes where an escaped payload is only text: never run, never followed.
TEXT_ATTRIBUTES = {"value", "alt", "title", "content", "placeholder", "aria-label", "label"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
PAYLOAD_TAGS = {"script", "img", "svg", "iframe", "b", "object", "embed"}
JSON_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def _compact(value):
    return re.sub(r"[\s\x00-\x1f]+", "", value).lower()


def injected_markup(html):
    """What a payload made of an HTML document or fragment: a list of descriptions, empty when
    every payload stayed text."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        attributes = {
            name.lower(): " ".join(value) if isinstance(value, list) else str(value)
            for name, value in element.attrs.items()
        }
        text = element.get_text()
        if element.name == "script" and attributes.get("type") not in JSON_SCRIPT_TYPES:
            if "xss" in text or "alert(" in text:
                found.append(f"script element running {text[:80]!r}")
        if element.name == "script" and attributes.get("type") in JSON_SCRIPT_TYPES:
            json.loads(text)  # a payload that broke out of the JSON would break the JSON
        for name, value in attributes.items():
            if name.startswith("on") and ("xss" in value or "alert" in value):
                found.append(f"<{element.name} {name}={value[:80]!r}>")
            if name in URL_ATTRIBUTES and _compact(value).startswith(("javascript:", "data:text")):
                found.append(f"<{element.name} {name}={value[:80]!r}>")
        if element.name in PAYLOAD_TAGS and element.name != "script":
            own = [v for n, v in attributes.items() if n not in TEXT_ATTRIBUTES]
            if any("xss" in value for value in own) or (
                element.name != "img" and "xss" in text and len(text) < 200
            ):
                found.append(f"<{element.name} {attributes}> made by a payload")
    return found


def assert_safe_html(html, where=""):
    found = injected_markup(html)
    assert not found, f"{where}: {found}"
    for raw in (SCRIPT, "<img src=x onerror", "<svg onload", "<iframe src=", "<b onmouseover"):
        assert raw not in html, f"{where}: {raw} unescaped"


def assert_template_syntax_inert(html, where=""):
    """{{7*7}} shows as typed: nothing evaluates it (no template rendering of reader text)."""
    assert "{{7*7}}" in html or "{{7*7}}".replace("*", "&#42;") in html, where


def html_part(message):
    return next((content for content, kind in message.alternatives if kind == "text/html"), "")


def assert_safe_email(message):
    where = f"email {message.subject!r} to {message.to}"
    assert "\n" not in message.subject and "\r" not in message.subject, where
    if html_part(message):
        assert_safe_html(html_part(message), where)
    # Headers hold one line each and no header beyond those Django and the app set.
    for name, value in message.message().items():
        assert "\n" not in str(value).replace("\n ", "").replace("\n\t", ""), (where, name)


def feed_item_html(xml_text):
    """The HTML inside every RSS description and every Atom summary or content of type html, as
    a feed reader renders it. (Atom titles are type text: shown as typed, never parsed.)"""
    root = ElementTree.fromstring(xml_text.encode())
    parts = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if not element.text:
            continue
        if tag == "description" or (
            tag in ("summary", "content") and element.get("type") in ("html", "xhtml")
        ):
            parts.append(element.text)
    return parts
