"""Accepting a guest submission: one draft post in Wagtail, its body as blocks, the author as a
contributor, and a refusal (with nothing made) when the submission cannot be accepted."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Revision

from blog import body as post_body
from blog.models import Contributor, PostPage
from submissions import privacy, publishing
from submissions.models import Submission, SubmissionEvent
from submissions.tests import docx_files
from submissions.tests.submitting import docx_upload, photo_upload, submitted

pytestmark = pytest.mark.django_db

Image = get_image_model()
HOSTILE = (
    '<p>Safe <script>alert(1)</script><a href="javascript:alert(2)">click</a>'
    '<img src="x" onerror="alert(3)"><b onclick="alert(4)">bold</b> &lt;i&gt;</p>'
    '<iframe src="https://evil.example"></iframe><style>p{}</style>'
    '<h2 onmouseover="alert(5)">Heading<script>alert(6)</script></h2>'
    "<table><tr><td><script>alert(7)</script>&lt;b&gt;cell</td></tr></table>"
)


@pytest.fixture
def sent(client, django_capture_on_commit_callbacks, topic):
    submission, _ = submitted(
        client,
        django_capture_on_commit_callbacks,
        topics=[topic.pk],
        photo=photo_upload(),
        references=(
            "1. Smith J, Lee K. Trial of X. Lancet. 2020;395:1-10. "
            "doi: 10.1016/S0140-6736(20)30183-5. PMID: 31986264\n"
            "\n"
            "WHO. Cancer report. Available at: https://www.who.int/report (accessed 2024).\n"
            "https://doi.org/10.1056/NEJMoa2034577\n"
        ),
        conflicts_of_interest="Speaker fees from Pharma Ltd.",
        funding="None received.",
    )
    return submission


@pytest.fixture
def sent_docx(client, django_capture_on_commit_callbacks):
    """A Word document with headings, a table, two images and a footnote, converted."""
    submission, _ = submitted(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=docx_upload(docx_files.full_docx()),
    )
    submission.refresh_from_db()
    assert submission.conversion == "done", submission.conversion_messages
    return submission


def accept(submission, editor, capture, message=""):
    with capture(execute=True):
        return publishing.accept(submission, by=editor, message=message)


def blocks_of(post):
    post = PostPage.objects.get(pk=post.pk)
    return [(block.block_type, block.value) for block in post.body]


def rich(value):
    return value.source


def test_a_typed_submission_becomes_a_draft_guest_post_under_the_blog_index(
    sent, editor, blog_index, topic, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    post = accept(sent, editor, django_capture_on_commit_callbacks, message="Lovely piece.")
    post = PostPage.objects.get(pk=post.pk)
    assert not post.live and post.has_unpublished_changes and post.first_published_at is None
    assert post.get_parent().specific == blog_index
    assert post.kind == "guest"
    assert post.title == "What the day unit taught me"
    assert post.slug == "what-the-day-unit-taught-me"
    assert post.standfirst == sent.standfirst
    assert list(post.topics.all()) == [topic]
    assert post.send_alert is True
    revision = post.latest_revision
    assert revision is not None and revision.user == editor
    assert Revision.objects.for_instance(post).count() == 1
    assert blocks_of(post)[0] == ("heading", {"text": "A first morning", "level": "h2"})
    kind, value = blocks_of(post)[1]
    assert kind == "paragraph"
    assert (
        rich(value) == "<p>Patients arrive <b>early</b>.</p><ul><li>tea</li><li>blankets</li></ul>"
    )

    sent.refresh_from_db()
    assert sent.status == Submission.Status.ACCEPTED and sent.post_id == post.pk
    event = sent.events.latest("pk")
    assert (event.status_to, event.actor, event.message) == ("accepted", editor, "Lovely piece.")
    told = [m for m in mail.outbox if m.to == ["lena@example.org"] and "accepted" in m.subject]
    assert len(told) == 1


def test_the_disclosures_are_carried_as_written_and_references_parsed(
    sent, editor, django_capture_on_commit_callbacks
):
    post = PostPage.objects.get(pk=accept(sent, editor, django_capture_on_commit_callbacks).pk)
    assert post.conflicts_of_interest == "Speaker fees from Pharma Ltd."
    assert post.funding == "None received."
    references = [dict(block.value) for block in post.references]
    assert references == [
        {
            "citation": "Smith J, Lee K. Trial of X. Lancet. 2020;395:1-10",
            "doi": "10.1016/S0140-6736(20)30183-5",
            "pmid": "31986264",
            "url": "",
        },
        {
            "citation": "WHO. Cancer report. (accessed 2024)",
            "doi": "",
            "pmid": "",
            "url": "https://www.who.int/report",
        },
        {
            "citation": "https://doi.org/10.1056/NEJMoa2034577",
            "doi": "10.1056/NEJMoa2034577",
            "pmid": "",
            "url": "",
        },
    ]


@pytest.mark.parametrize(
    "line, doi, pmid, url",
    [
        ("doi:10.1000/xyz123", "10.1000/xyz123", "", ""),
        ("Author A. Title. DOI 10.1000/abc.", "10.1000/abc", "", ""),
        ("Author A. Title. https://dx.doi.org/10.1000/abc", "10.1000/abc", "", ""),
        ("Author A. Title. PMID:12345678.", "", "12345678", ""),
        ("See (https://example.org/page).", "", "", "https://example.org/page"),
        ("Just words, no identifiers", "", "", ""),
    ],
)
def test_a_reference_line_gives_its_doi_pmid_and_url(line, doi, pmid, url):
    value = post_body.parse_reference(line)
    assert (value["doi"], value["pmid"], value["url"]) == (doi, pmid, url)
    assert value["citation"]


def test_blank_reference_lines_are_skipped():
    assert post_body.parse_references("\n  \nOne.\n\n") == [
        ("reference", {"citation": "One", "doi": "", "pmid": "", "url": ""})
    ]


def test_a_word_document_becomes_headings_text_lists_a_table_images_and_notes(
    sent_docx, editor, django_capture_on_commit_callbacks
):
    post = accept(sent_docx, editor, django_capture_on_commit_callbacks)
    blocks = blocks_of(post)
    kinds = [kind for kind, _ in blocks]
    assert kinds == [
        "heading",
        "paragraph",
        "heading",
        "paragraph",
        "table",
        "paragraph",
        "image",
        "image",
        "heading",
        "paragraph",
    ]
    assert blocks[0][1] == {"text": "Living with the diagnosis", "level": "h2"}
    assert rich(blocks[1][1]) == (
        "<p>The first weeks are <b>hard</b> and <i>confusing</i>.<sup>[1]</sup></p>"
    )
    assert blocks[2][1] == {"text": "What helped", "level": "h3"}
    assert (
        rich(blocks[3][1]) == "<ul><li>Talking to a nurse</li><li>Writing questions down</li></ul>"
    )
    table = blocks[4][1]
    assert table["data"] == [["Week", "Appointments"], ["1", "3"]]
    assert table["first_row_is_table_header"] and table["table_header_choice"] == "row"
    links = rich(blocks[5][1])
    assert '<a href="https://example.org/guide">the guide</a>' in links
    assert "this trap" in links and "javascript" not in links
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in links
    first, second = blocks[6][1], blocks[7][1]
    assert (first["alt"], second["alt"]) == ("A red square", "A blue photo")
    assert first["image"].title == "A red square"
    assert first["image"].file.name.endswith(".png") and second["image"].file.name.endswith(".jpg")
    assert first["image"].uploaded_by_user == editor
    assert blocks[8][1] == {"text": "Notes", "level": "h2"}
    assert rich(blocks[9][1]) == "<ol><li>Survey of 212 patients, 2024.</li></ol>"


def test_an_image_without_alt_text_asks_the_editor_to_describe_it(
    sent_docx, editor, django_capture_on_commit_callbacks
):
    sent_docx.images.update(alt="")
    Submission.objects.filter(pk=sent_docx.pk).update(
        body_html=sent_docx.body_html.replace('alt="A red square"', 'alt=""')
    )
    post = accept(sent_docx, editor, django_capture_on_commit_callbacks)
    images = [value for kind, value in blocks_of(post) if kind == "image"]
    assert images[0]["alt"] == publishing.MISSING_ALT
    assert images[0]["image"].title == f"Image from {sent_docx.title}"
    # The editor cannot save the post until the placeholder is replaced by a description.
    block = PostPage.body.field.stream_block.child_blocks["image"]
    with pytest.raises(ValidationError) as refused:
        block.clean(images[0])
    assert "Describe what this image shows." in str(refused.value.block_errors["alt"])
    assert block.clean({**images[0], "alt": "A red square on white"})["alt"]


def test_hostile_html_never_reaches_the_post(sent, editor, django_capture_on_commit_callbacks):
    Submission.objects.filter(pk=sent.pk).update(body_html=HOSTILE)
    post = accept(sent, editor, django_capture_on_commit_callbacks)
    stored = PostPage.objects.filter(pk=post.pk).values_list("body", flat=True).get()
    stored = str(stored)
    for marker in ("<script", "alert(", "javascript:", "onerror", "onclick", "onmouseover"):
        assert marker not in stored, marker
    assert "<iframe" not in stored and "<style" not in stored
    blocks = blocks_of(post)
    assert rich(blocks[0][1]) == "<p>Safe click<b>bold</b> &lt;i&gt;</p>"
    assert blocks[1][1] == {"text": "Heading", "level": "h2"}
    assert blocks[2][1]["data"] == [["<b>cell"]]


def test_the_author_is_matched_to_a_contributor_by_email_in_any_case(
    sent, editor, django_capture_on_commit_callbacks
):
    existing = Contributor.objects.create(
        name="Lena Novak MD",
        slug="lena-novak",
        kind="columnist",
        role="Curated role",
        affiliation="",
        email="LENA@example.ORG",
    )
    post = accept(sent, editor, django_capture_on_commit_callbacks)
    assert [c.pk for c in post.contributors] == [existing.pk]
    existing.refresh_from_db()
    assert (existing.name, existing.kind, existing.role) == (
        "Lena Novak MD",
        "columnist",
        "Curated role",
    )
    assert existing.affiliation == "University Hospital Ljubljana"  # was blank: filled in
    assert existing.photo is not None
    assert Contributor.objects.count() == 1


def test_a_new_author_becomes_a_guest_contributor_with_a_free_slug_and_their_photo(
    sent, editor, django_capture_on_commit_callbacks
):
    Contributor.objects.create(name="Someone else", slug="dr-lena-novak", email="x@example.org")
    post = accept(sent, editor, django_capture_on_commit_callbacks)
    contributor = post.contributors[0]
    assert contributor.slug == "dr-lena-novak-2"
    assert contributor.kind == "guest"
    assert (contributor.name, contributor.email) == ("Dr Lena Novak", "lena@example.org")
    assert contributor.role == "Oncology nurse"
    assert contributor.affiliation == "University Hospital Ljubljana"
    assert contributor.bio.startswith("Lena has worked")
    photo = contributor.photo
    assert isinstance(photo, Image) and photo.title == "Photo of Dr Lena Novak"
    assert photo.width == 1200 and photo.file_size > 0


def test_a_taken_slug_gives_the_post_a_free_one(
    sent, editor, make_post, django_capture_on_commit_callbacks
):
    make_post(title="What the day unit taught me")
    post = accept(sent, editor, django_capture_on_commit_callbacks)
    assert post.slug == "what-the-day-unit-taught-me-2"


def test_accepting_twice_makes_one_post_and_is_refused_the_second_time(
    sent, editor, django_capture_on_commit_callbacks
):
    accept(sent, editor, django_capture_on_commit_callbacks)
    stale = Submission.objects.get(pk=sent.pk)
    Submission.objects.filter(pk=sent.pk).update(status=Submission.Status.IN_REVIEW)
    with pytest.raises(publishing.CannotAccept, match="already been accepted"):
        accept(stale, editor, django_capture_on_commit_callbacks)
    Submission.objects.filter(pk=sent.pk).update(status=Submission.Status.ACCEPTED)
    with pytest.raises(publishing.CannotAccept, match="accepted"):
        accept(stale, editor, django_capture_on_commit_callbacks)
    assert PostPage.objects.count() == 1
    assert SubmissionEvent.objects.filter(status_to="accepted").count() == 1


@pytest.mark.parametrize("status", ["declined", "withdrawn", "published", "scheduled"])
def test_a_submission_past_review_is_refused_and_nothing_is_made(
    sent, editor, status, django_capture_on_commit_callbacks
):
    Submission.objects.filter(pk=sent.pk).update(status=status)
    images_before = Image.objects.count()
    with pytest.raises(publishing.CannotAccept) as refusal:
        accept(sent, editor, django_capture_on_commit_callbacks)
    assert "only a submission that is received, in review or awaiting changes" in str(refusal.value)
    assert not PostPage.objects.exists()
    assert Image.objects.count() == images_before
    assert Contributor.objects.count() == 0
    sent.refresh_from_db()
    assert sent.status == status and sent.post is None


def test_an_erased_submission_is_refused(sent, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase(sent, now=timezone.now())
    with pytest.raises(publishing.CannotAccept, match="erased"):
        accept(sent, editor, django_capture_on_commit_callbacks)
    assert not PostPage.objects.exists() and not Contributor.objects.exists()


def test_a_document_still_being_converted_is_refused(
    sent, editor, django_capture_on_commit_callbacks
):
    Submission.objects.filter(pk=sent.pk).update(conversion="pending", body_html="")
    with pytest.raises(publishing.CannotAccept, match="still being converted"):
        accept(sent, editor, django_capture_on_commit_callbacks)
    assert not PostPage.objects.exists()


def test_accepting_costs_a_bounded_number_of_queries(
    sent_docx, editor, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # Most of these are Wagtail's: the page tree, the first revision and its log, and the search
    # and reference indexes, which the immediate task backend updates inline.
    with django_assert_max_num_queries(160):
        publishing.accept(sent_docx, by=editor)


def test_the_draft_opens_in_the_wagtail_editor_and_its_blocks_validate(
    client, sent_docx, editor, django_capture_on_commit_callbacks
):
    post = PostPage.objects.get(pk=accept(sent_docx, editor, django_capture_on_commit_callbacks).pk)
    PostPage._meta.get_field("body").stream_block.clean(post.body)  # what publishing checks
    PostPage._meta.get_field("references").stream_block.clean(post.references)
    client.force_login(editor)
    response = client.get(f"/admin/pages/{post.pk}/edit/")
    assert response.status_code == 200
    assert "Living with the diagnosis" in response.content.decode()


def test_absurdly_deep_nesting_keeps_the_words():
    deep = "<p>" + "<b>" * 5000 + "deep <script>alert(1)</script>" + "</b>" * 5000 + "</p>"
    [(kind, value)] = post_body.html_to_blocks(deep + "<p>after</p>")
    assert kind == "paragraph" and rich(value) == "<p>deep</p><p>after</p>"
