"""What the conversion keeps, drops and looks for: limits, tag sets, patterns, blocks."""

import re

ALT_MAX, CAPTION_MAX, TITLE_MAX, ATTRIBUTION_MAX = 250, 300, 200, 200
STANDFIRST_MAX = 400
MAX_DEPTH = 48  # deeper HTML than any editor writes is kept as plain lines of text

TEASER_MARKERS = re.compile(r"[ \t]*<!--\s*(?:more|nextpage|noteaser)\b[^>]{0,200}?-->[ \t]*")
OLD_FILES = ("/wp-content/", "/wp-includes/")  # uploads and WordPress's own files: not here
MARKER = re.compile("\ue000([0-9]+)\ue001")  # private-use characters, removed from the input
LONE_URL = re.compile(r"(?m)^[ \t]*(https?://[^\s<>\"'\[\]]+)[ \t]*$")
BARE_URL = re.compile(r"https?://[^\s<>\"']+")
CAPTION_HEAD = re.compile(r"(\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.S | re.I)
ATTACHMENT = re.compile(r"(?:^|\s)wp-image-([0-9]{1,12})(?:\s|$)")
NEWLINES = re.compile(r"(\n[ \t]*\n\s*|\n)")
SPACES = re.compile(r"[ \t\f\v\xa0]+")

# Sites WordPress embeds from a URL alone on a line, but that the site does not play.
OEMBED_HOSTS = {
    "twitter.com", "x.com", "instagram.com", "facebook.com", "tiktok.com", "soundcloud.com",
    "open.spotify.com", "flickr.com", "slideshare.net", "dailymotion.com", "ted.com",
    "reddit.com", "tumblr.com", "imgur.com", "scribd.com", "mixcloud.com", "pinterest.com",
    "wordpress.tv", "videopress.com", "issuu.com", "speakerdeck.com", "kickstarter.com",
}  # fmt: skip

SILENT = {
    "style", "template", "noscript", "title", "meta", "link", "base", "svg", "math",
    "textarea", "select", "option", "button", "input", "frameset", "frame", "source", "track",
}  # fmt: skip
REMOVED = {
    "script": "Script removed",
    "object": "Plugin object (Flash or similar) removed",
    "embed": "Plugin object (Flash or similar) removed",
    "applet": "Plugin object (Flash or similar) removed",
    "form": "Form removed: forms do not carry over",
}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
KEPT_BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "caption", "blockquote", "figure", "figcaption", "dl", "dt",
    "dd",
}  # fmt: skip
FLOW_TAGS = {"div", "blockquote", "figure"}  # classic text directly inside is paragraphs
TEXTLESS = {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup"}
KEPT_INLINE_TAGS = {"b", "strong", "i", "em", "sup", "sub", "s", "del", "strike", "q", "cite"}
KEPT_INLINE_TAGS |= {"code", "kbd", "samp", "tt"}
# Footnote lists: Markdown (Jetpack, PHP Markdown Extra, Pandoc), plugins, WordPress 6.3+.
NOTES_CLASSES = {"footnotes", "endnotes", "wp-block-footnotes", "easy-footnotes-wrapper"}
NOTE_ITEM_ID = re.compile(r"(?:fn|footnote|endnote|note)[-:_]?[0-9]{1,4}")
BACKLINK_TEXT = re.compile(r"[\W_]*|(?i:(?:back|return|top)\b.{0,30})")
NOTE_HREF = re.compile(r'href="#\ue002([^"]{0,200})"')  # a marker's link, until notes are known
# Inside these a paragraph is a line: html_to_blocks keeps them as one line of text each.
LINE_CONTAINERS = {"li", "td", "th", "dt", "dd", "caption", "figcaption", "summary"}
LINE_CONTAINERS |= {"h1", "h2", "h3", "h4", "h5", "h6"}

KNOWN_BLOCKS = {
    "paragraph", "heading", "list", "list-item", "quote", "table", "group", "columns",
    "column", "cover", "media-text", "buttons", "button", "preformatted", "code", "verse",
    "separator", "spacer", "html", "details", "text-columns", "subhead", "file", "more",
    "nextpage", "gallery", "video", "audio", "row", "stack",
}  # fmt: skip
# Blocks WordPress fills in each time the page is shown: nothing of theirs is in the export.
DYNAMIC_BLOCKS = {
    "archives", "calendar", "categories", "latest-comments", "latest-posts", "page-list",
    "rss", "search", "tag-cloud", "loginout", "navigation", "query", "post-template",
    "post-title", "post-content", "post-date", "post-excerpt", "post-featured-image",
    "post-author", "post-terms", "site-logo", "site-title", "site-tagline", "social-links",
    "home-link", "avatar", "comments", "legacy-widget", "template-part",
    "pattern", "table-of-contents",
}  # fmt: skip
