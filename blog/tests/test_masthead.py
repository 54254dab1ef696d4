"""The masthead shows the organisation's logo (site settings), named by the organisation, or
its name set as a text mark when no logo was uploaded."""

import pytest
from wagtail.models import Site

from blog.tests.test_rendering import make_image
from core.models import SiteSettings

pytestmark = pytest.mark.django_db


def masthead(client):
    html = client.get("/").content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_without_a_logo_the_organisation_name_is_the_text_mark(client, site_tree):
    header = masthead(client)
    assert '<span class="brand__mark">European Oncology Education Foundation</span>' in header
    assert "<img" not in header
    assert '<span class="brand__title">The Cancer Blog</span>' in header


def test_an_uploaded_logo_replaces_the_text_mark_named_by_the_organisation(
    client, site_tree, settings
):
    settings.FRAGMENT_CACHE = False
    org = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    org.organisation_name = "Fondation Européenne"
    org.logo = make_image("Our logo", size=(600, 200))
    org.save()

    header = masthead(client)
    assert 'alt="Fondation Européenne"' in header and 'class="brand__logo"' in header
    assert 'height="96"' in header  # the space is kept before the picture arrives
    assert "brand__mark" not in header
