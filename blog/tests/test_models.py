"""Content rules editors rely on: alt text, review dates, references, reading time, embeds."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from blog.blocks import ReferenceBlock, embed_src
from blog.models import Contributor, PostPage
from blog.models.pages import reading_minutes


def test_a_hero_image_needs_alt_text(make_post):
    from blog.tests.test_rendering import make_image

    post = make_post()
    post.hero_image = make_image()
    post.hero_alt = "  "
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "hero_alt" in error.value.message_dict


def test_review_dates_need_a_reviewer_and_must_be_in_order(make_post, contributor):
    post = make_post()
    today = timezone.localdate()
    post.last_reviewed = today
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "medical_reviewer" in error.value.message_dict
    post.medical_reviewer = contributor
    post.next_review_due = today
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "next_review_due" in error.value.message_dict


def test_reading_time_counts_the_words_of_the_body(make_post):
    words = " ".join(["word"] * 700)
    post = make_post(
        body=[("paragraph", f"<p>{words}</p>"), ("heading", {"text": "A", "level": "h2"})]
    )
    assert post.reading_minutes == 4
    assert reading_minutes(PostPage(body=[]).body) == 1


def test_a_reference_keeps_a_bare_doi_and_refuses_a_wrong_one():
    block = ReferenceBlock()
    value = block.clean(
        block.to_python({"citation": "A trial", "doi": "https://doi.org/10.1000/xyz"})
    )
    assert value["doi"] == "10.1000/xyz"
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"citation": "A trial", "doi": "not-a-doi"}))
    with pytest.raises((StructBlockValidationError, StreamBlockValidationError)):
        block.clean(block.to_python({"citation": "A trial", "pmid": "12ab"}))


@pytest.mark.django_db
def test_an_orcid_must_look_like_one():
    person = Contributor(name="A", slug="a", orcid="1234")
    with pytest.raises(ValidationError):
        person.full_clean()
    person.orcid = "0000-0002-1825-009X"
    person.full_clean()
    assert person.orcid_url == "https://orcid.org/0000-0002-1825-009X"


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "https://www.youtube.com/watch?v=abc_DEF-123",
            "https://www.youtube-nocookie.com/embed/abc_DEF-123",
        ),
        ("https://youtu.be/abc123", "https://www.youtube-nocookie.com/embed/abc123"),
        ("https://vimeo.com/123456", "https://player.vimeo.com/video/123456?dnt=1"),
        ('https://www.youtube.com/watch?v=a"><script>', ""),
        ("https://vimeo.com/not-a-number", ""),
        ("https://example.org/video", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_only_known_video_hosts_become_embeds(url, expected):
    assert embed_src(url) == expected


def test_the_favicon_address_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
