"""Links into the old blog, stored so that they never depend on this site's address.

The converter keeps a link to the old blog as its old absolute address; here, in the body it
went into, it becomes a Wagtail page link (`<a linktype="page" id="N">`) when it names a post
or page this import brought across, else a root-relative path (an archive, a tag, an
attachment page, a post not imported yet) that the import's redirects lead on. Links to
uploaded files stay at their old address. A link to a post that comes later in the file stays
a path until the end of the import, when `fix_forward_links` makes it a page link.
"""

import html
import json
from urllib.parse import parse_qs, unquote, urlsplit

from wagtail import blocks
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from imports.content.rules import OLD_FILES
from imports.models import ImportedObject

ID_QUERY_KEYS = ("p", "page_id")
CHUNK = 200  # pages fixed at a time at the end: memory stays flat however many wait


def _host(url):
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _path_key(path):
    """One spelling of an old path: decoded, without the trailing slash."""
    return unquote(path).rstrip("/") or "/"


class OldLinks:
    """Where each link into the old blog goes: the WordPress id it names, or its path."""

    def __init__(self, index, site_url):
        self.host = _host(site_url or "")
        self.home = _path_key(urlsplit(site_url or "").path)  # "/news" for a blog in a folder
        self.ids = {}  # path key of a post's or page's permalink -> WordPress id
        self.importable = set()  # WordPress ids of the posts and pages in the file
        for wp_id, entry in index.items.items():
            if entry.post_type not in ("post", "page"):
                continue
            self.importable.add(wp_id)
            if entry.link and _host(entry.link) == self.host:
                parts = urlsplit(entry.link)
                key = _path_key(parts.path) + (f"?{parts.query}" if parts.query else "")
                self.ids.setdefault(key, wp_id)

    def target(self, url):
        """(WordPress id or None, root-relative path) for a link into the old blog, or None
        for any other link (another site, an uploaded file, mailto:)."""
        parts = urlsplit(url)
        if parts.netloc and not parts.path:
            parts = parts._replace(path="/")  # the old blog's home: https://old.example.org
        if parts.scheme not in ("http", "https", "") or not parts.path.startswith("/"):
            return None
        if parts.netloc and _host(url) != self.host:
            return None
        if not self.host or parts.path.startswith(OLD_FILES):
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return self._wp_id(parts), path + fragment

    def _wp_id(self, parts):
        if parts.fragment:  # a page link cannot say where in the page: the path keeps it
            return None
        key = _path_key(parts.path)
        query = parse_qs(parts.query)
        for name in ID_QUERY_KEYS:
            value = query.get(name, [""])[0]
            if key in ("/", self.home) and value.isdigit() and int(value) in self.importable:
                return int(value)
        return self.ids.get(f"{key}?{parts.query}" if parts.query else key) or (
            self.ids.get(key) if parts.query else None
        )


class LinkRewriter:
    """Rewrites the links of one import run; remembers which items wait for a later post."""

    def __init__(self, importer):
        self.importer = importer
        self.links = OldLinks(importer.index, importer.site_url)
        self.waiting = set()  # WordPress ids of the items whose bodies link to a later post
        self._ledger = None

    def page_pk(self, wp_id):
        """Our page for a WordPress id: imported in this run, or by an earlier one."""
        pk = self.importer.pages.get(wp_id)
        if pk is None:
            if self._ledger is None:
                self._ledger = {
                    int(wp_id): pk
                    for wp_id, pk in ImportedObject.objects.filter(
                        source=self.importer.source,
                        wp_type__in=[ImportedObject.Type.POST, ImportedObject.Type.PAGE],
                        object_id__in=Page.objects.values("pk"),  # not deleted here since
                    ).values_list("wp_id", "object_id")
                    if wp_id.isdigit()
                }
            pk = self._ledger.get(wp_id)
        return pk

    def body(self, model, body, item_id):
        """The converted body (a list of blocks) with its links into the old blog rewritten."""
        if not body or not self.links.host:
            return body
        block = model._meta.get_field("body").stream_block
        raw = block.get_prep_value(block.to_python(body) if isinstance(body, list) else body)
        later = []

        def rewrite(source):
            return self._rewrite(source, later)

        raw = rewrite_rich_text(block, raw, rewrite)
        if later:
            self.waiting.add(item_id)
        return raw

    def _rewrite(self, source, later):
        def replace(match):
            attrs = extract_attrs(match.group(1))
            href = attrs.get("href")
            found = self.links.target(href) if href and "linktype" not in attrs else None
            if found is None:
                return match.group(0)
            wp_id, path = found
            pk = self.page_pk(wp_id) if wp_id is not None else None
            if pk is not None:
                return f'<a linktype="page" id="{pk}">'
            if wp_id is not None:
                later.append(wp_id)
            return f'<a href="{html.escape(path)}">'

        return FIND_A_TAG.sub(replace, source)


def rewrite_rich_text(block, raw, rewrite):
    """The raw (JSON-shaped) value of `block` with `rewrite(source)` applied to every rich text
    in it, however deep in structs, lists and streams."""
    if isinstance(block, blocks.RichTextBlock):
        return rewrite(raw) if isinstance(raw, str) else raw
    if isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        for child in raw:
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is not None:
                child["value"] = rewrite_rich_text(child_block, child.get("value"), rewrite)
        return raw
    if isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        for position, child in enumerate(raw):
            if isinstance(child, dict) and child.get("type") == "item" and "value" in child:
                child["value"] = rewrite_rich_text(block.child_block, child["value"], rewrite)
            else:
                raw[position] = rewrite_rich_text(block.child_block, child, rewrite)
        return raw
    if isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child_block in block.child_blocks.items():
            if name in raw:
                raw[name] = rewrite_rich_text(child_block, raw[name], rewrite)
    return raw


def fix_forward_links(rewriter):
    """Links to posts that came later in the file, made page links now that those exist: the
    page's body and its latest revision's, in bulk, for the few pages that had one."""
    pks = sorted(
        rewriter.importer.pages[i] for i in rewriter.waiting if i in rewriter.importer.pages
    )
    rewriter._ledger = None  # pages made since the ledger was read
    for start in range(0, len(pks), CHUNK):
        _fix_pages(rewriter, pks[start : start + CHUNK])


def _fix_pages(rewriter, pks):
    no_more = []
    pages = list(Page.objects.filter(pk__in=pks).specific())
    revisions = Revision.objects.in_bulk([p.latest_revision_id for p in pages])
    changed_pages, changed_revisions = [], []
    for page in pages:
        block = page._meta.get_field("body").stream_block
        fixed = _fixed_body(rewriter, block, block.get_prep_value(page.body), no_more)
        if fixed is not None:
            page.body = fixed
            changed_pages.append(page)
        revision = revisions.get(page.latest_revision_id)
        stored = revision.content.get("body") if revision is not None else None
        if stored is not None:
            raw = json.loads(stored) if isinstance(stored, str) else stored
            fixed = _fixed_body(rewriter, block, raw, no_more)
            if fixed is not None:
                revision.content["body"] = json.dumps(fixed) if isinstance(stored, str) else fixed
                changed_revisions.append(revision)
    for model in {type(page) for page in changed_pages}:
        model.objects.bulk_update([p for p in changed_pages if type(p) is model], ["body"])
    Revision.objects.bulk_update(changed_revisions, ["content"])
    for page in changed_pages:
        ReferenceIndex.create_or_update_for_object(page)


def _fixed_body(rewriter, block, raw, no_more):
    """The raw body with its waiting links made page links, or None if nothing changed."""
    before = json.dumps(raw)
    raw = rewrite_rich_text(block, raw, lambda source: rewriter._rewrite(source, no_more))
    return raw if json.dumps(raw) != before else None
