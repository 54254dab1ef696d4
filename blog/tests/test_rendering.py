"""Public pages render what readers need, escape what they type, and stay cheap and cacheable."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image

from blog.models import PostCorrection, StandardPage


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_image(title="A clinic waiting room", size=(1600, 900)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 110, 140)).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="photo.jpg"))


def every_block_body(image):
    return [
        ("paragraph", '<p>Immunotherapy <a href="https://example.org/trial">trial</a> news.</p>'),
        ("heading", {"text": "What the study found", "level": "h2"}),
        ("heading", {"text": "Side effects", "level": "h3"}),
        (
            "image",
            {
                "image": image,
                "alt": "Nurse preparing an infusion",
                "caption": "Day unit",
                "credit": "Photo: Ana",
            },
        ),
        (
            "pull_quote",
            {"quote": "This changes how we talk to patients.", "attribution": "Dr Ana Ribeiro"},
        ),
        ("key_points", {"title": "Key points", "points": ["Fewer relapses", "Mild side effects"]}),
        (
            "embed",
            {
                "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "title": "Interview with the lead author",
            },
        ),
        ("embed", {"url": "https://example.org/video/42", "title": "Conference talk"}),
        (
            "references",
            {
                "title": "Further reading",
                "references": [
                    {
                        "citation": "Smith J. Body reference. Lancet. 2024.",
                        "doi": "",
                        "pmid": "",
                        "url": "",
                    }
                ],
            },
        ),
    ]


@pytest.fixture
def full_post(make_post, contributor, topic):
    image = make_image()
    post = make_post(
        title="Immunotherapy after surgery",
        standfirst="A trial of immunotherapy after surgery reports fewer relapses.",
        kind="feature",
        body=every_block_body(image),
        hero_image=image,
        hero_alt="Researchers looking at a scan",
        hero_caption="The trial team",
        hero_credit="Photo: Foundation",
        plain_language_summary="A new medicine helped people stay well for longer.",
        conflicts_of_interest="",
        funding="Funded by the foundation.",
        medical_reviewer=contributor,
        last_reviewed=timezone.localdate(),
        next_review_due=timezone.localdate() + timezone.timedelta(days=365),
        references=[
            (
                "reference",
                {
                    "citation": "Doe A. Trial. NEJM. 2023.",
                    "doi": "10.1056/NEJMoa2034577",
                    "pmid": "33301246",
                    "url": "https://example.org/paper",
                },
            )
        ],
        tags=["adjuvant"],
    )
    PostCorrection.objects.create(
        post=post, date=timezone.localdate(), note="We misstated the trial size."
    )
    return post


def test_the_home_page_shows_featured_and_latest_posts(client, make_post, topic):
    make_post(title="Featured story", featured=True)
    make_post(title="Second story")
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Featured story" in html and "Second story" in html
    assert topic.get_absolute_url() in html
    assert 'href="#main"' in html and 'id="main"' in html
    aside = html.index('<aside class="sidebar sidebar--alerts"')
    assert aside < html.index('id="subscribe"') < html.index("</aside>") < html.index("<main")
    assert ">Subscribe</button>" in html and "Email address" in html
    assert 'href="/feed/"' in html and 'type="application/rss+xml"' in html


def test_the_blog_index_filters_by_kind_and_keeps_the_filter_in_pagination(client, make_post):
    for n in range(13):
        make_post(title=f"News {n}", kind="news")
    make_post(title="A column", kind="column")
    response = client.get("/blog/?kind=news")
    html = response.content.decode()
    assert response.status_code == 200
    assert "A column" not in html
    assert 'aria-label="Pagination"' in html
    assert 'href="/blog/?kind=news&amp;page=2" rel="next"' in html
    assert '<option value="news" selected>' in html


def test_a_post_renders_every_block_and_its_editorial_furniture(
    client, full_post, contributor, topic
):
    response = client.get(full_post.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Feature" in html and "Immunotherapy after surgery" in html
    assert contributor.get_absolute_url() in html and topic.get_absolute_url() in html
    assert 'alt="Researchers looking at a scan"' in html and 'fetchpriority="high"' in html
    assert "<picture>" in html and 'type="image/webp"' in html
    assert "The trial team" in html and "In plain words" in html
    assert "Medically reviewed by" in html
    assert "What the study found</h2>" in html and "Side effects</h3>" in html
    assert 'alt="Nurse preparing an infusion"' in html and 'loading="lazy"' in html
    assert "This changes how we talk to patients." in html and "Fewer relapses" in html
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "This video is hosted by YouTube" in html
    assert 'href="https://example.org/video/42"' in html
    assert "Further reading" in html and "Smith J. Body reference." in html
    assert 'href="https://doi.org/10.1056/NEJMoa2034577"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/33301246/"' in html
    # Nothing was declared: the page claims nothing ("None declared" would be our words).
    assert "Conflicts of interest" not in html and "None declared" not in html
    assert "Funded by the foundation." in html
    assert "We misstated the trial size." in html and 'href="/corrections/"' in html
    assert "adjuvant" in html
    assert (
        "https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2F127.0.0.1%3A8000%2Fblog%2F"
        in html
    )
    assert '<nav class="share" aria-labelledby="share-heading">' in html
    assert "data-copy-link" in html


def test_embeds_never_load_an_iframe_until_the_reader_asks(client, full_post):
    html = client.get(full_post.url).content.decode()
    assert "<iframe" not in html
    assert "youtube-nocookie.com/embed" in html


def test_the_feed_content_carries_the_post_without_scripts_or_forms(full_post):
    from django.template.loader import render_to_string

    html = render_to_string("components/feed_content.html", {"page": full_post})
    assert "<script" not in html and "<form" not in html and "<button" not in html
    assert "<iframe" not in html
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    assert "In plain words" in html and "Funded by the foundation." in html
    assert "Conflicts of interest" not in html and "None declared" not in html


def test_conflicts_of_interest_are_shown_as_the_authors_declared_them(client, full_post):
    full_post.conflicts_of_interest = "None declared."
    full_post.save_revision().publish()
    html = client.get(full_post.url).content.decode()
    assert "Conflicts of interest</h2>" in html and "None declared." in html


def test_a_standard_page_renders_and_write_for_us_gives_the_editor_address(client, site_tree):
    home, _ = site_tree
    page = StandardPage(title="Write for us", slug="write-for-us", intro="Guest posts welcome.")
    home.add_child(instance=page)
    page.save_revision().publish()
    response = client.get("/write-for-us/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Guest posts welcome." in html
    assert 'href="mailto:editor@example.org"' in html


def test_topic_and_author_pages_list_posts_and_their_feeds(client, make_post, topic, contributor):
    make_post(title="Checkpoint inhibitors explained")
    for url, feed in (
        (topic.get_absolute_url(), f"/topics/{topic.slug}/feed/"),
        (contributor.get_absolute_url(), f"/authors/{contributor.slug}/feed/"),
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Checkpoint inhibitors explained" in html
        assert f'href="{feed}"' in html
    assert (
        "Treatments that use the immune system."
        in client.get(topic.get_absolute_url()).content.decode()
    )
    assert (
        "Medical oncologist, Lisbon" in client.get(contributor.get_absolute_url()).content.decode()
    )


def test_the_topic_and_author_lists_link_to_each(client, topic, contributor):
    topics = client.get("/topics/").content.decode()
    authors = client.get("/authors/").content.decode()
    assert topic.get_absolute_url() in topics and topic.name in topics
    assert contributor.get_absolute_url() in authors and contributor.name in authors


def test_the_corrections_log_links_each_correction_to_its_post(client, full_post):
    response = client.get("/corrections/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "We misstated the trial size." in html
    assert f'href="{full_post.url}"' in html


def test_search_highlights_the_query_in_results(client, make_post):
    make_post(
        title="Radiotherapy for breast cancer", standfirst="Shorter radiotherapy courses work."
    )
    make_post(title="Diet and exercise", standfirst="Moving more helps.")
    response = client.get("/search/", {"q": "radiotherapy"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 result for “radiotherapy”" in html
    assert "<mark>Radiotherapy</mark> for breast cancer" in html
    assert "Shorter <mark>radiotherapy</mark> courses" in html
    assert "Diet and exercise" not in html


def test_search_with_no_results_says_what_to_try(client, make_post):
    make_post(title="Radiotherapy for breast cancer")
    html = client.get("/search/", {"q": "chocolate"}).content.decode()
    assert "0 results for “chocolate”" in html
    assert "Check the spelling" in html


def test_search_never_renders_what_the_reader_typed_as_html(client, make_post):
    make_post(title="Radiotherapy for breast cancer")
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_search_shows_form_errors_next_to_the_field(client, site_tree):
    html = client.get("/search/", {"q": "x" * 201}).content.decode()
    assert 'aria-invalid="true" aria-describedby="search-q-error"' in html
    assert 'id="search-q-error"' in html and "at most 200 characters" in html


def test_an_unknown_address_gets_a_friendly_404_with_search(client, site_tree):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "cannot find that page" in html
    assert 'action="/search/"' in html and 'href="/"' in html


def test_the_500_page_renders_without_context(settings):
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html and 'href="/static/css/site.css"' in html


def test_anonymous_pages_set_no_cookies_and_are_the_same_for_everyone(
    client, full_post, topic, contributor
):
    from django.test import Client

    for url in (
        "/",
        "/blog/",
        full_post.url,
        topic.get_absolute_url(),
        contributor.get_absolute_url(),
        "/topics/",
        "/authors/",
        "/corrections/",
        "/search/?q=immunotherapy",
    ):
        first = client.get(url)
        second = Client().get(url)
        assert first.status_code == 200, url
        assert not first.cookies, url
        # The comment form's token field is empty on cached pages; a script fills it on demand.
        assert not re.search(r'name="csrfmiddlewaretoken" value="[^"]', first.content.decode()), url
        assert first.content == second.content, url


def queries_for(client, url):
    client.get(url)  # warm caches and create image renditions
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/", "/blog/", "/topics/immunotherapy/", "/authors/ana-ribeiro/"])
def test_listing_pages_cost_the_same_queries_however_many_posts(
    client, make_post, url, django_assert_num_queries
):
    image = make_image()
    for n in range(3):
        make_post(kind="column" if n % 2 else "news", hero_image=image, hero_alt="A scan")
    baseline = queries_for(client, url)
    for n in range(7):
        make_post(kind="column" if n % 2 else "news", hero_image=image, hero_alt="A scan")
    client.get(url)
    with django_assert_num_queries(baseline):
        client.get(url)


@pytest.mark.parametrize(
    ("standfirst", "shown"),
    [
        ("When I was diagnosed in March, I didn't know where to start.", False),
        ("When I was diagnosed in March, I didn't know…", False),
        ("A patient's diary of her first year of treatment.", True),
    ],
)
def test_a_standfirst_that_only_repeats_the_opening_paragraph_is_not_shown_twice(
    client, make_post, standfirst, shown
):
    post = make_post(
        standfirst=standfirst,
        body=[
            (
                "paragraph",
                "<p>When I was diagnosed in March, I didn&#x27;t know where to start. "
                "My oncologist gave me a leaflet.</p>",
            )
        ],
    )

    html = client.get(post.url).content.decode()

    assert ('class="lead post__standfirst"' in html) is shown
    assert html.count("My oncologist gave me a leaflet.") == 1
    assert 'name="description"' in html  # lists, feeds and search engines still have it
