"""A production site: the page tree at BASE_URL, the standard pages with starter texts an editor
then edits, and the site settings. No demo posts, topics or people. Idempotent: what exists is
left as it is."""

from collections import Counter

from django.db import transaction
from wagtail.models import Site

from blog.markup import clean
from blog.models import HomePage, StandardPage
from blog.services import ensure_site_tree
from blog.standard_pages import STANDARD_PAGES
from core.models import SiteSettings


@transaction.atomic
def setup_site(hostname=None, port=None):
    """Returns what was created, by kind. The editorial groups come with the migrations."""
    created = Counter()
    had_home = HomePage.objects.exists()
    home, blog_index = ensure_site_tree(hostname=hostname, port=port)
    created["home and blog index"] += not had_home
    site = Site.objects.get(is_default_site=True)
    created["site settings"] += SiteSettings.objects.get_or_create(site=site)[1]
    ensure_standard_pages(home, created)
    return created


def ensure_standard_pages(home, created):
    """About, How to write for us, Community guidelines, Privacy, Accessibility: each made and
    published once, under the home page, unless a page with its slug is there already."""
    taken = set(home.get_children().values_list("slug", flat=True))
    for data in STANDARD_PAGES:
        if data["slug"] in taken:
            continue
        page = StandardPage(
            title=data["title"],
            slug=data["slug"],
            intro=clean(data["intro"]),
            body=data["body"],
            live=False,
        )
        home.add_child(instance=page)
        page.save_revision(log_action=True).publish()
        created["standard pages"] += 1
