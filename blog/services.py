"""Actions on the blog that several callers share: seeding, tests, admin tools."""

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from blog.models import BlogIndexPage, HomePage, PostContributor, PostPage
from core.pages import site_address


@transaction.atomic
def ensure_site_tree(hostname=None, port=None):
    """The home page and the blog index, and the default site pointing at the home page (at
    BASE_URL's address unless told another)."""
    if hostname is None:
        hostname, port = site_address()
    root = Page.get_first_root_node()
    # Wagtail's placeholder "Welcome" page has no place in this tree.
    Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    ).delete()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="The Cancer Blog",
            slug="home",
            intro="News, ideas and conversation to speed up progress in cancer care.",
            seo_title="The Cancer Blog",
        )
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    site.hostname, site.port, site.root_page, site.site_name = (
        hostname,
        port,
        home,
        "The Cancer Blog",
    )
    site.save()
    blog_index = BlogIndexPage.objects.first()
    if blog_index is None:
        blog_index = BlogIndexPage(title="Blog", slug="blog", intro="Every post, newest first.")
        home.add_child(instance=blog_index)
    return home, blog_index


def unique_slug(base, taken):
    """`base`, or `base-2`, `base-3` ... : the first not in `taken`."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def add_post(
    blog_index, *, title, contributors, body=None, publish=True, at=None, user=None, **fields
):
    """Create a post under the blog index, publish it (dated `at`, default now) if asked."""
    post = PostPage(
        title=title,
        slug=fields.pop("slug", None) or slugify(title)[:80] or "post",
        body=body or [("paragraph", "<p>Text to follow.</p>")],
        **{k: v for k, v in fields.items() if k not in ("topics", "audiences", "tags")},
    )
    for order, contributor in enumerate(contributors):
        post.post_contributors.add(PostContributor(contributor=contributor, sort_order=order))
    if "topics" in fields:
        post.topics = fields["topics"]
    if "audiences" in fields:
        post.audiences = fields["audiences"]
    if "tags" in fields:
        post.tags.add(*fields["tags"])
    post.live = False
    # A back-dated post was first published then, which also tells subscriptions it is not news.
    post.first_published_at = at if publish else None
    blog_index.add_child(instance=post)
    revision = post.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        post.refresh_from_db()
        if at is not None:
            PostPage.objects.filter(pk=post.pk).update(
                first_published_at=at, last_published_at=at, latest_revision_created_at=at
            )
            post.refresh_from_db()
    return post


def schedule_post(post, go_live_at, user=None):
    """Save a revision of the post that Wagtail publishes at `go_live_at`."""
    post.go_live_at = go_live_at
    revision = post.save_revision(user=user, log_action=True, approved_go_live_at=go_live_at)
    revision.publish(user=user)
    return revision


def publish_due_posts():
    """Publish revisions whose go-live time has passed and unpublish expired pages."""
    from django.core.management import call_command

    call_command("publish_scheduled", verbosity=0)
