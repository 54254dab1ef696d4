"""Write WordPress exports (WXR files) for tests and benchmarks.

Small files, written the way WordPress 6.x writes them (CDATA for text, "]]>" split):

    from imports.tests.wxr_factory import WXR, author, comment, item, term

    path = WXR(
        authors=[author(login="maria", display_name="Maria P.")],
        terms=[term(slug="research"), term(slug="trials", parent_slug="research")],
        items=[
            item(id=10, title="Hello", content="<p>Hi</p>", terms=[("category", "research")],
                 comments=[comment(id=1), comment(id=2, parent_id=1)]),
            {"id": 11, "status": "draft", "wp:post_date_gmt": "0000-00-00 00:00:00"},
        ],
    ).write(tmp_path / "export.xml")          # returns the path; .to_bytes() for bytes

- `channel=`, `authors=`, `terms=`, `items=` take the records of `imports.records` or plain
  dicts with the same field names; a field left out gets the default of `channel()`,
  `author()`, `term()`, `item()` or `comment()` below (an item's link, guid and slug
  follow from its id and title). `attachment(id=.., file="x.jpg", parent_id=..)` makes an
  attachment item whose URL is under https://old.example.org/wp-content/uploads/2024/05/.
- An item's `terms` are ItemTerms, dicts, or tuples `(taxonomy, slug[, name])`; its `meta`
  maps a key to a value or a list of values; its `comments` are Comments or dicts.
- An item dict given to WXR, and the comment dicts inside it, may set an element's text
  by its WXR name: `{"wp:post_date_gmt": "0000-00-00 00:00:00"}`, `{"wp:comment_parent":
  " "}` (XML-escaped, no CDATA). An item dict's "raw_xml" is written as it is just before
  `</item>` (for odd or hostile markup). `item()` and `comment()` take record fields only.
- A date of None is written as WordPress's zeros; otherwise the site is taken to be on UTC
  (post_date == post_date_gmt).
- `WXR(version="1.1")` (or "1.0") writes that version's namespaces and wxr_version.

A large, realistic export, streamed to disk without holding it in memory:

    export = write_large_export(path, posts=2000, comments_per_post=20)
    export.posts, export.attachments, export.comments, export.terms, export.bytes

Posts mix block markup and classic-editor HTML with shortcodes, unicode and emoji; each has
a featured image (an attachment item), categories (a hierarchy) and tags; comments are
threaded, with some pending, spam, pingbacks and trackbacks. Same seed, same bytes.
"""

import dataclasses
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from imports.records import Author, Channel, Comment, Item, ItemTerm, Term

BASE_URL = "https://old.example.org"
UPLOADS = f"{BASE_URL}/wp-content/uploads/2024/05"
DEFAULT_DATE = datetime(2024, 5, 6, 7, 0, tzinfo=UTC)
ZERO_DATE = "0000-00-00 00:00:00"

# Record defaults -----------------------------------------------------------------------


def channel(**fields):
    values = {
        "title": "Oncology Notes",
        "link": BASE_URL,
        "description": "A blog exported for tests",
        "language": "en-GB",
        "wxr_version": "1.2",
        "base_site_url": BASE_URL,
        "base_blog_url": BASE_URL,
    }
    return Channel(**(values | fields))


_make_channel = channel  # WXR(channel=...) hides the name inside WXR.__init__


def author(**fields):
    login = fields.get("login", "author")
    values = {
        "id": 1,
        "login": login,
        "email": f"{login}@old.example.org",
        "display_name": login.title(),
        "first_name": "",
        "last_name": "",
    }
    return Author(**(values | fields))


def term(**fields):
    slug = fields.get("slug", "research")
    values = {
        "taxonomy": "category",
        "id": None,
        "slug": slug,
        "name": slug.replace("-", " ").capitalize(),
        "parent_slug": "",
        "description": "",
    }
    return Term(**(values | fields))


def comment(**fields):
    values = {
        "id": 1,
        "parent_id": None,
        "author": "A Reader",
        "author_email": "reader@example.net",
        "author_url": "",
        "date": DEFAULT_DATE + timedelta(hours=2),
        "content": "Thank you for this.",
        "approved": "1",
        "type": "comment",
        "user_id": None,
    }
    return Comment(**(values | fields))


def item(**fields):
    post_id = fields.get("id", 1)
    title = fields.get("title", f"Post {post_id}")
    slug = fields.get("slug", _slugify(title) or str(post_id))
    values = {
        "id": post_id,
        "post_type": "post",
        "title": title,
        "link": f"{BASE_URL}/{slug}/" if slug else f"{BASE_URL}/?p={post_id}",
        "guid": f"{BASE_URL}/?p={post_id}",
        "creator": "author",
        "content": "",
        "excerpt": "",
        "date": DEFAULT_DATE,
        "modified": None,
        "slug": slug,
        "status": "publish",
        "password": "",
        "parent_id": None,
        "menu_order": 0,
        "is_sticky": False,
        "comment_status": "open",
        "attachment_url": "",
    }
    values |= fields
    values["terms"] = [_item_term(t) for t in fields.get("terms", [])]
    values["meta"] = {
        key: list(value) if isinstance(value, list | tuple) else [value]
        for key, value in fields.get("meta", {}).items()
    }
    values["comments"] = [_as(Comment, comment, c) for c in fields.get("comments", [])]
    if values["modified"] is None:
        values["modified"] = values["date"]
    return Item(**values)


def attachment(**fields):
    """An attachment item for an image under the uploads folder (give `file=`)."""
    name = fields.pop("file", "photo.jpg")
    fields.setdefault("title", name.rsplit(".", 1)[0])
    fields.setdefault("status", "inherit")
    fields.setdefault("attachment_url", f"{UPLOADS}/{name}")
    fields.setdefault("guid", f"{UPLOADS}/{name}")
    return item(post_type="attachment", **fields)


# Writing -------------------------------------------------------------------------------


class WXR:
    """An export to write: records or dicts in, WordPress-shaped XML out."""

    def __init__(self, channel=None, authors=(), terms=(), items=(), version="1.2"):
        self.version = version
        chosen = _as(Channel, _make_channel, channel or {})
        self.channel = dataclasses.replace(chosen, wxr_version=version)
        self.authors = [_as(Author, author, a) for a in authors]
        self.terms = [_as(Term, term, t) for t in terms]
        self.items = [_split_raw(i) for i in items]

    def to_bytes(self):
        return "".join(self._pieces()).encode()

    def write(self, path):
        path = Path(path)
        with path.open("w", encoding="utf-8") as out:
            out.writelines(self._pieces())
        return path

    def _pieces(self):
        yield header(self.channel, self.version)
        for record in self.authors:
            yield author_xml(record)
        for record in self.terms:
            yield term_xml(record)
        yield "\n\t<generator>https://wordpress.org/?v=6.5.3</generator>\n"
        for record, raw in self.items:
            yield item_xml(record, raw)
        yield FOOTER


def header(record, version="1.2"):
    """The XML declaration, <rss> with WordPress's namespaces, and the channel's head."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- generator="WordPress/6.5.3" created="2024-06-01 10:00" -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/{version}/"
>

<channel>
\t<title>{escape(record.title)}</title>
\t<link>{escape(record.link)}</link>
\t<description>{escape(record.description)}</description>
\t<pubDate>Sat, 01 Jun 2024 10:00:00 +0000</pubDate>
\t<language>{escape(record.language)}</language>
\t<wp:wxr_version>{escape(record.wxr_version)}</wp:wxr_version>
\t<wp:base_site_url>{escape(record.base_site_url)}</wp:base_site_url>
\t<wp:base_blog_url>{escape(record.base_blog_url)}</wp:base_blog_url>
"""


FOOTER = "</channel>\n</rss>\n"


def cdata(text):
    """Text in CDATA the way WordPress writes it: a "]]>" inside splits the section."""
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author_xml(record):
    return (
        f"\t<wp:author><wp:author_id>{_number(record.id)}</wp:author_id>"
        f"<wp:author_login>{cdata(record.login)}</wp:author_login>"
        f"<wp:author_email>{cdata(record.email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(record.display_name)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata(record.first_name)}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata(record.last_name)}</wp:author_last_name></wp:author>\n"
    )


def term_xml(record):
    term_id = f"\t\t<wp:term_id>{_number(record.id)}</wp:term_id>\n"
    description = record.description
    if record.taxonomy == "category":
        extra = f"\t\t<wp:category_description>{cdata(description)}</wp:category_description>\n"
        return (
            f"\t<wp:category>\n{term_id}"
            f"\t\t<wp:category_nicename>{cdata(record.slug)}</wp:category_nicename>\n"
            f"\t\t<wp:category_parent>{cdata(record.parent_slug)}</wp:category_parent>\n"
            f"\t\t<wp:cat_name>{cdata(record.name)}</wp:cat_name>\n"
            f"{extra if description else ''}\t</wp:category>\n"
        )
    if record.taxonomy == "post_tag":
        extra = f"\t\t<wp:tag_description>{cdata(description)}</wp:tag_description>\n"
        return (
            f"\t<wp:tag>\n{term_id}"
            f"\t\t<wp:tag_slug>{cdata(record.slug)}</wp:tag_slug>\n"
            f"\t\t<wp:tag_name>{cdata(record.name)}</wp:tag_name>\n"
            f"{extra if description else ''}\t</wp:tag>\n"
        )
    parent = f"\t\t<wp:term_parent>{cdata(record.parent_slug)}</wp:term_parent>\n"
    extra = f"\t\t<wp:term_description>{cdata(description)}</wp:term_description>\n"
    return (
        f"\t<wp:term>\n{term_id}"
        f"\t\t<wp:term_taxonomy>{cdata(record.taxonomy)}</wp:term_taxonomy>\n"
        f"\t\t<wp:term_slug>{cdata(record.slug)}</wp:term_slug>\n"
        f"{parent if record.parent_slug else ''}"
        f"\t\t<wp:term_name>{cdata(record.name)}</wp:term_name>\n"
        f"{extra if description else ''}\t</wp:term>\n"
    )


def item_xml(record, raw=None):
    """One <item>; `raw` maps a WXR element name to text written as it is, or "raw_xml"."""
    raw = raw or {}
    fields = {
        "wp:post_id": _number(record.id),
        "wp:post_date": cdata(_wp_date(record.date)),
        "wp:post_date_gmt": cdata(_wp_date(record.date)),
        "wp:post_modified": cdata(_wp_date(record.modified)),
        "wp:post_modified_gmt": cdata(_wp_date(record.modified)),
        "wp:comment_status": cdata(record.comment_status),
        "wp:ping_status": cdata(record.comment_status),
        "wp:post_name": cdata(record.slug),
        "wp:status": cdata(record.status),
        "wp:post_parent": _number(record.parent_id or 0),
        "wp:menu_order": _number(record.menu_order),
        "wp:post_type": cdata(record.post_type),
        "wp:post_password": cdata(record.password),
        "wp:is_sticky": "1" if record.is_sticky else "0",
    }
    if record.post_type == "attachment" or record.attachment_url:
        fields["wp:attachment_url"] = cdata(record.attachment_url)
    head = {
        "title": cdata(record.title),
        "link": escape(record.link),
        "pubDate": _rfc822(record.date),
        "dc:creator": cdata(record.creator),
    }
    body = {
        "content:encoded": cdata(record.content),
        "excerpt:encoded": cdata(record.excerpt),
    }
    out = ["\t<item>\n"]
    for name, value in head.items():
        out.append(_element(name, value, raw))
    out.append(f'\t\t<guid isPermaLink="false">{escape(record.guid)}</guid>\n')
    out.append("\t\t<description></description>\n")
    for group in (body, fields):
        for name, value in group.items():
            out.append(_element(name, value, raw))
    for item_term in record.terms:
        out.append(
            f"\t\t<category domain={quoteattr(item_term.taxonomy)} "
            f"nicename={quoteattr(item_term.slug)}>{cdata(item_term.name)}</category>\n"
        )
    for key, values in record.meta.items():
        for value in values:
            out.append(
                f"\t\t<wp:postmeta>\n\t\t<wp:meta_key>{cdata(key)}</wp:meta_key>\n"
                f"\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n\t\t</wp:postmeta>\n"
            )
    raw_comments = raw.get("comments", {})
    for entry in record.comments:
        out.append(comment_xml(entry, raw_comments.get(entry.id)))
    out.append(raw.get("raw_xml", ""))
    out.append("\t</item>\n")
    return "".join(out)


def comment_xml(record, raw=None):
    raw = raw or {}
    fields = {
        "wp:comment_id": _number(record.id),
        "wp:comment_author": cdata(record.author),
        "wp:comment_author_email": cdata(record.author_email),
        "wp:comment_author_url": escape(record.author_url),
        "wp:comment_author_IP": cdata("192.0.2.1"),
        "wp:comment_date": cdata(_wp_date(record.date)),
        "wp:comment_date_gmt": cdata(_wp_date(record.date)),
        "wp:comment_content": cdata(record.content),
        "wp:comment_approved": cdata(record.approved),
        "wp:comment_type": cdata("" if record.type == "comment" else record.type),
        "wp:comment_parent": _number(record.parent_id or 0),
        "wp:comment_user_id": _number(record.user_id or 0),
    }
    inner = "".join("\t" + _element(name, value, raw) for name, value in fields.items())
    return f"\t\t<wp:comment>\n{inner}\t\t</wp:comment>\n"


def _element(name, value, raw):
    if name in raw:
        value = escape(str(raw[name]))
    return f"\t\t<{name}>{value}</{name}>\n"


def _as(record_type, make, value):
    if isinstance(value, record_type):
        return value
    return make(**value)


def _split_raw(value):
    """(Item, raw overrides) from an Item or a dict that may name elements like 'wp:...'.

    The overrides of the item's comment dicts go under raw["comments"][comment id].
    """
    if isinstance(value, Item):
        return value, {}
    raw = {k: v for k, v in value.items() if _is_raw(k)}
    fields = {k: v for k, v in value.items() if not _is_raw(k)}
    comments, raw["comments"] = [], {}
    for entry in fields.get("comments", []):
        if isinstance(entry, dict):
            record = comment(**{k: v for k, v in entry.items() if not _is_raw(k)})
            raw["comments"][record.id] = {k: v for k, v in entry.items() if _is_raw(k)}
            entry = record
        comments.append(entry)
    fields["comments"] = comments
    return item(**fields), raw


def _is_raw(key):
    return ":" in key or key == "raw_xml"


def _item_term(value):
    if isinstance(value, ItemTerm):
        return value
    if isinstance(value, dict):
        return ItemTerm(**({"name": value.get("slug", "")} | value))
    taxonomy, slug, *name = value
    return ItemTerm(taxonomy=taxonomy, slug=slug, name=name[0] if name else slug)


def _number(value):
    return "" if value is None else str(value)


def _wp_date(moment):
    if moment is None:
        return ZERO_DATE
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _rfc822(moment):
    if moment is None:
        return "Mon, 30 Nov -0001 00:00:00 +0000"
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _slugify(title):
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())


# A large export ------------------------------------------------------------------------


@dataclass
class LargeExport:
    path: Path
    posts: int
    attachments: int
    comments: int
    terms: int
    bytes: int


_CATEGORY_TREE = {
    "research": ["clinical-trials", "immunotherapy", "genomics"],
    "patient-stories": ["survivorship", "caregivers", "young-adults"],
    "policy": ["screening", "access-to-medicines", "cancer-plans"],
    "%ce%b5%ce%bd%ce%b7%ce%bc%ce%ad%cf%81%cf%89%cf%83%ce%b7": [],
}
_TAGS = [f"tag-{n}" for n in range(30)] + ["car-t", "mrna", "caf%c3%a9-talks"]
_PARAGRAPHS = [
    "Chimeric antigen receptor (CAR) T-cell therapy has changed the outlook for some blood "
    "cancers; whether it can do the same for <strong>solid tumours</strong> is still open.",
    "Η ομάδα μας ετοίμασε έναν οδηγό για ασθενείς που ξεκινούν ανοσοθεραπεία — "
    "ρωτήστε τον γιατρό σας για τις <em>παρενέργειες</em>. 📝",
    "Screening saves lives when people are invited, reminded &amp; followed up; "
    "uptake across Europe still varies from 30% to 80%.",
    "Les essais cliniques de phase I évaluent d’abord la sécurité; l’efficacité vient "
    "ensuite. Ça prend du temps… 🧪",
    'Read the full report in <a href="https://journal.example.com/report">the journal</a> '
    "and the plain-language summary from the trial team.",
    "Patients told us that waiting for results is the hardest part: "
    "“you live from scan to scan”, one said. 💬",
]
_COMMENTS = [
    "Thank you, this is very clear.",
    "In our centre we see the same <em>antigen escape</em> problem.",
    "Ευχαριστούμε πολύ! 🌻",
    "Is this trial recruiting in Portugal? Obrigada.",
    "My mother went through this last year &amp; the nurses were wonderful.",
]


def write_large_export(path, posts=2000, comments_per_post=20, seed=1):
    """Stream a realistic export of `posts` posts to `path`; returns what it wrote."""
    rng = random.Random(seed)
    path = Path(path)
    terms = _large_terms()
    counts = {"comments": 0, "attachments": 0}
    with path.open("w", encoding="utf-8", buffering=1024 * 1024) as out:
        out.write(header(channel(title="A very large blog")))
        for number, login in enumerate(("maria", "j.smith", "guest.author"), start=1):
            out.write(author_xml(author(id=number, login=login)))
        for record in terms:
            out.write(term_xml(record))
        comment_id = 1
        for index in range(posts):
            post_id = 100 + index * 2
            when = DEFAULT_DATE - timedelta(hours=7 * (posts - index))
            image = attachment(
                id=post_id + 1,
                file=f"photo-{post_id + 1}.jpg",
                parent_id=post_id,
                date=when,
                excerpt="A photo for the post ✨",
                meta={"_wp_attachment_image_alt": f"Photo number {post_id + 1}"},
            )
            post_comments = []
            for position in range(comments_per_post):
                post_comments.append(_large_comment(rng, comment_id, position, when))
                comment_id += 1
            post = item(
                id=post_id,
                title=f"Post {index}: {rng.choice(('News', 'Νέα', 'Actualités'))} & notes ✅",
                slug=f"post-{index}",
                creator=rng.choice(("maria", "j.smith", "guest.author")),
                content=_large_content(rng, index, image),
                excerpt=rng.choice(_PARAGRAPHS)[:120],
                date=when,
                status="publish" if index % 50 else "draft",
                is_sticky=index % 400 == 0,
                terms=_large_item_terms(rng),
                meta={"_thumbnail_id": str(image.id), "_edit_last": "1"},
                comments=post_comments,
            )
            out.write(item_xml(post))
            out.write(item_xml(image))
            counts["attachments"] += 1
            counts["comments"] += len(post_comments)
        out.write(FOOTER)
    return LargeExport(
        path=path,
        posts=posts,
        attachments=counts["attachments"],
        comments=counts["comments"],
        terms=len(terms),
        bytes=path.stat().st_size,
    )


def _large_terms():
    records = []
    for parent, children in _CATEGORY_TREE.items():
        records.append(term(id=len(records) + 1, slug=parent))
        for child in children:
            records.append(term(id=len(records) + 1, slug=child, parent_slug=parent))
    for slug in _TAGS:
        records.append(term(id=len(records) + 1, taxonomy="post_tag", slug=slug))
    return records


def _large_item_terms(rng):
    categories = [slug for parent, kids in _CATEGORY_TREE.items() for slug in (parent, *kids)]
    chosen = [("category", slug) for slug in rng.sample(categories, 2)]
    return chosen + [("post_tag", slug) for slug in rng.sample(_TAGS, 3)]


def _large_content(rng, index, image):
    paragraphs = rng.sample(_PARAGRAPHS, 4)
    url = image.attachment_url
    if index % 4 == 3:  # a classic-editor post: no <p>, shortcodes, blank lines
        return (
            f"{paragraphs[0]}\n\n"
            f'[caption id="attachment_{image.id}" align="alignright" width="300"]'
            f'<img class="size-medium wp-image-{image.id}" src="{url}" alt="" '
            f'width="300" height="200" /> A caption with “quotes”[/caption]\n\n'
            f"{paragraphs[1]}\n{paragraphs[2]}\n\n"
            f'[gallery ids="{image.id}" columns="3"]\n\n'
            f"[embed]https://www.youtube.com/watch?v=vid{index:07d}[/embed]\n\n{paragraphs[3]}"
        )
    blocks = [
        f"<!-- wp:paragraph -->\n<p>{paragraphs[0]}</p>\n<!-- /wp:paragraph -->",
        f'<!-- wp:heading -->\n<h2 class="wp-block-heading">Section {index}</h2>\n'
        "<!-- /wp:heading -->",
        f'<!-- wp:image {{"id":{image.id},"sizeSlug":"large"}} -->\n'
        f'<figure class="wp-block-image size-large"><img src="{url}" alt="" '
        f'class="wp-image-{image.id}"/><figcaption class="wp-element-caption">Figure '
        f"{index}</figcaption></figure>\n<!-- /wp:image -->",
        f"<!-- wp:paragraph -->\n<p>{paragraphs[1]}</p>\n<!-- /wp:paragraph -->",
        '<!-- wp:list -->\n<ul class="wp-block-list"><!-- wp:list-item -->\n'
        f"<li>{paragraphs[2][:60]}</li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->",
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
        f"<p>{paragraphs[3]}</p>\n<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->",
        f'<!-- wp:code -->\n<pre class="wp-block-code"><code>a[b[{index}]]>0</code></pre>\n'
        "<!-- /wp:code -->",
    ]
    return "\n\n".join(blocks)


def _large_comment(rng, comment_id, position, when):
    kind = "comment"
    approved = "1"
    roll = rng.random()
    if roll < 0.05:
        kind = "pingback"
    elif roll < 0.07:
        kind = "trackback"
    elif roll < 0.12:
        approved = "0"
    elif roll < 0.15:
        approved = "spam"
    replies_to = comment_id - 1 if position and position % 3 == 0 else None
    return comment(
        id=comment_id,
        parent_id=replies_to,
        author=rng.choice(("Sam", "Γιώργος", "Inês Carvalho", "Dr O'Brien", "Zoë")),
        author_email=f"reader{comment_id % 997}@example.net",
        date=when + timedelta(minutes=13 * (position + 1)),
        content=rng.choice(_COMMENTS) + f" ({comment_id})",
        approved=approved,
        type=kind,
    )
