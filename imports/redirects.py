"""Permanent redirects from every old WordPress address to its new home.

Links to the old blog live on in social networks, search engines and other sites; each kind
of address WordPress answered gets a Wagtail Redirect: permalinks and their feeds, `?p=ID`
and `?page_id=ID`, attachment pages, category, tag and author archives. Reruns update the
same rows. `/?p=123` is answered by the home page here, so Wagtail's RedirectMiddleware (404s
only) never sees it: `imports.middleware` serves those.
"""

from urllib.parse import unquote, urlencode, urlsplit

from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

# The query keys of WordPress's "plain" addresses; imports.middleware looks for these.
WORDPRESS_QUERY_KEYS = (
    "p", "page_id", "cat", "tag", "author", "feed", "attachment_id", "paged", "m", "replytocom",
)  # fmt: skip
# The whole blog's feeds, as WordPress answers them, to ours.
BLOG_FEEDS = (
    ("/?feed=rss2", "/feed/"),
    ("/?feed=rss", "/feed/"),
    ("/?feed=atom", "/feed/atom/"),
    ("/feed/rss2/", "/feed/"),
    ("/feed/rss/", "/feed/"),
    ("/feed/atom/", "/feed/atom/"),
    # The comments of the whole blog: this site has no feed of every comment (each post has
    # its own), so readers of it get the posts.
    ("/comments/feed/", "/feed/"),
    ("/comments/feed/rss2/", "/feed/"),
    ("/comments/feed/atom/", "/feed/atom/"),
    ("/?feed=comments-rss2", "/feed/"),
    ("/?feed=comments-atom", "/feed/atom/"),
)
CHUNK = 500
OLD_PATH_MAX = 255


def make_redirects(importer):
    """Create or update the redirects for what this import brought across; counts reported."""
    wanted = {}
    for old, target in _old_addresses(importer):
        path = Redirect.normalise_path(old)
        if len(path) > OLD_PATH_MAX:
            importer.report.skip("redirect", None, "old address longer than 255 characters")
            continue
        wanted.setdefault(path, target)
    page_paths = _page_paths(importer, {t for t in wanted.values() if isinstance(t, int)})
    rows = {}
    for path, target in wanted.items():
        new = page_paths.get(target) if isinstance(target, int) else target
        if new is None or Redirect.normalise_path(new) == path:
            continue  # page not reachable, or the address did not change
        rows[path] = target
    _save(rows, importer.report)


def _old_addresses(importer):
    """(old address, target) pairs: a page id, or a link on this site."""
    index, channel = importer.index, importer.index.channel
    base = urlsplit(channel.base_blog_url or channel.link).path.rstrip("/")
    for wp_id, entry in index.items.items():
        if entry.post_type == "attachment":
            parent = importer.pages.get(entry.parent_id)
            if parent is not None and index.items[entry.parent_id].status == "publish":
                if entry.link:
                    yield entry.link, parent
                yield f"{base}/?attachment_id={wp_id}", parent
            continue
        page = importer.pages.get(wp_id)
        if page is None or entry.status != "publish":
            continue
        if entry.link:
            yield entry.link, page
            if not urlsplit(entry.link).query:
                yield entry.link.rstrip("/") + "/feed/", page
        yield f"{base}/?p={wp_id}", page
        if entry.post_type == "page":
            yield f"{base}/?page_id={wp_id}", page
    yield from _term_addresses(importer, base)
    for old, new in BLOG_FEEDS:
        yield f"{base}{old}", new
    for login, contributor in importer.contributors.items():
        url = contributor.get_absolute_url()
        yield f"{base}/author/{_nicename(login)}/", url
    for author in index.authors:
        if author.id is not None and author.login in importer.contributors:
            yield (
                f"{base}/?author={author.id}",
                importer.contributors[author.login].get_absolute_url(),
            )


def _term_addresses(importer, base):
    categories = {t.slug: t for t in importer.index.terms if t.taxonomy == "category"}
    for slug, topic in importer.topics.items():
        term = categories[slug]
        chain = "/".join(_ancestry(term, categories))
        url = topic.get_absolute_url()
        yield f"{base}/category/{chain}/", url
        yield f"{base}/category/{chain}/feed/", reverse("blog:topic_feed_rss", args=[topic.slug])
        if term.id is not None:
            yield f"{base}/?cat={term.id}", url
    for slug in getattr(importer, "uncategorized", ()):  # no topic: its posts are the blog's
        yield f"{base}/category/{slug}/", importer.blog_index.pk
        if categories[slug].id is not None:
            yield f"{base}/?cat={categories[slug].id}", importer.blog_index.pk
    for term in importer.index.terms:
        if term.taxonomy == "post_tag" and term.slug and term.name.strip():
            search = "/search/?" + urlencode({"q": " ".join(term.name.split())})
            yield f"{base}/tag/{term.slug}/", search
            yield f"{base}/?tag={term.slug}", search


def _ancestry(term, categories):
    """The slugs from the top category down to this one, as WordPress builds archive paths."""
    chain, seen = [term.slug], {term.slug}
    parent = categories.get(term.parent_slug)
    while parent is not None and parent.slug not in seen:
        chain.insert(0, parent.slug)
        seen.add(parent.slug)
        parent = categories.get(parent.parent_slug)
    return chain


def _nicename(login):
    """WordPress's user_nicename for a login: lower case, spaces and dots as hyphens."""
    return "-".join(unquote(login).lower().replace(".", "-").split())


def _page_paths(importer, page_ids):
    """Page id -> the page's path on this site, in one query per chunk."""
    home_path = importer.home.url_path
    paths = {}
    ids = sorted(page_ids)
    for start in range(0, len(ids), CHUNK):
        for pk, url_path in Page.objects.filter(pk__in=ids[start : start + CHUNK]).values_list(
            "pk", "url_path"
        ):
            if url_path.startswith(home_path):
                paths[pk] = "/" + url_path[len(home_path) :]
    return paths


def _save(rows, report):
    paths = list(rows)
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start : start + CHUNK]
        existing = {r.old_path: r for r in Redirect.objects.filter(site=None, old_path__in=chunk)}
        new, changed = [], []
        for path in chunk:
            target = rows[path]
            page_id, link = (target, "") if isinstance(target, int) else (None, target)
            redirect = existing.get(path)
            if redirect is None:
                new.append(
                    Redirect(
                        old_path=path,
                        site=None,
                        is_permanent=True,
                        redirect_page_id=page_id,
                        redirect_link=link,
                    )
                )
            elif (redirect.redirect_page_id, redirect.redirect_link, redirect.is_permanent) != (
                page_id,
                link,
                True,
            ):
                redirect.redirect_page_id, redirect.redirect_link = page_id, link
                redirect.is_permanent = True
                changed.append(redirect)
            else:
                report.count("redirect", "unchanged")
        Redirect.objects.bulk_create(new)
        Redirect.objects.bulk_update(changed, ["redirect_page", "redirect_link", "is_permanent"])
        report.count("redirect", "created", len(new))
        report.count("redirect", "updated", len(changed))
