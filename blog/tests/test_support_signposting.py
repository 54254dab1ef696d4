"""Every post points a worried reader to the organisation's helpline, and every page to its
donation page and social accounts, all from site settings; nothing shows while they are empty."""

import pytest
from wagtail.models import Site

from core.models import SiteSettings


@pytest.fixture
def org(site_tree):
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


def test_no_support_box_donate_link_or_social_list_while_settings_are_empty(client, make_post, org):
    html = client.get(make_post().url).content.decode()

    assert "support-box" not in html
    assert "site-nav__donate" not in html
    assert "site-footer__social" not in html


def test_a_post_ends_with_the_helpline_from_site_settings(client, make_post, org):
    org.support_heading = "Questions about cancer?"
    org.support_text = "Talk to a specialist nurse, free and in confidence."
    org.support_phone = "+44 (0)808 800-4040"
    org.support_hours = "Monday to Friday, 9:00–17:00"
    org.support_link_url = "https://example.org/support/"
    org.support_link_label = "More ways to get support"
    org.save()

    html = client.get(make_post().url).content.decode()

    box = html[
        html.index('<aside class="support-box"') : html.index("</aside>", html.index("support-box"))
    ]
    assert '<h2 class="support-box__title" id="support-heading">Questions about cancer?</h2>' in box
    assert '<a href="tel:+4408088004040">+44 (0)808 800-4040</a>' in box
    assert "Monday to Friday, 9:00–17:00" in box
    assert '<a href="https://example.org/support/">More ways to get support</a>' in box
    assert html.index("support-box") < html.index('class="share')  # before sharing, in the post


def test_a_helpline_alone_is_enough_for_the_box_with_a_plain_heading(client, make_post, org):
    org.support_phone = "0800 123 456"
    org.save()

    html = client.get(make_post().url).content.decode()

    assert ">Need support?</h2>" in html
    assert 'href="tel:0800123456"' in html


@pytest.mark.parametrize(
    ("phone", "href"),
    [("+32 2 000 00 00", "tel:+3220000000"), ("call 116 123", "tel:116123"), ("ask us", "")],
)
def test_the_helpline_link_keeps_only_digits_and_a_leading_plus(phone, href):
    assert SiteSettings(support_phone=phone).support_phone_href == href


def test_what_editors_type_in_the_box_is_shown_as_text(client, make_post, org):
    org.support_heading = "<script>alert(1)</script>"
    org.support_text = '<img src=x onerror="alert(2)"> call us'
    org.support_phone = "javascript:alert(3)"
    org.save()

    html = client.get(make_post().url).content.decode()

    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html and 'href="tel:3"' in html


def test_the_donate_link_and_social_accounts_are_on_every_page(client, make_post, org):
    org.donate_url = "https://example.org/donate/"
    org.donate_label = ""
    org.mastodon_url = "https://mastodon.example/@cancerblog"
    org.save()

    for url in ("/", make_post().url, "/search/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'href="https://example.org/donate/">Support our work</a>' in html
        footer = html[html.index('<footer class="site-footer">') :]
        assert '<a href="https://mastodon.example/@cancerblog" rel="me">Mastodon</a>' in footer
