"""The post editor's readability panel, and the glossary editors keep for it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from blog.models import Audience, GlossaryTerm, PostPage
from blog.tests.test_editing import edit_form_data
from core.models import SiteSettings

pytestmark = pytest.mark.django_db

HARD = (
    "<p>Adjuvant immunotherapeutic interventions demonstrate considerable heterogeneity in "
    "efficacy across histologically distinct malignancies.</p>"
)


@pytest.fixture
def editor(client, make_user):
    user = make_user("editor", "Editors")
    client.force_login(user)
    return user


@pytest.fixture
def glossary(db):
    return [
        GlossaryTerm.objects.create(term="adjuvant", plain="after the main treatment"),
        GlossaryTerm.objects.create(term="biopsy", plain="taking a small sample of tissue"),
    ]


def audiences(*slugs):
    return list(Audience.objects.filter(slug__in=slugs))


def edit_page(client, post):
    response = client.get(f"/admin/pages/{post.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_post_for_patients_shows_its_score_against_the_target_and_its_jargon(
    client, editor, make_post, glossary
):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.readability_target = 70
    settings.save()
    post = make_post(
        audiences=audiences("patients", "clinicians"),
        body=[("paragraph", HARD)],
        plain_language_summary="A test to see if a biopsy is needed. It is quick.",
    )
    html = edit_page(client, post)
    assert "Readability for patients and carers" in html
    assert "Reading ease 0 — target 70: harder than the target" in html
    assert "<strong>adjuvant</strong>: try “after the main treatment”" in html
    assert "<strong>biopsy</strong>: try “taking a small sample of tissue”" in html  # summary
    assert "Plain-language summary" in html


def test_a_post_that_meets_the_target_says_so(client, editor, make_post):
    post = make_post(
        audiences=audiences("patients"),
        body=[("paragraph", "<p>The cat sat on the mat. It was a warm day. We went home.</p>")],
    )
    assert "target 60: meets the target" in edit_page(client, post)


def test_the_panel_reads_the_latest_draft_not_the_live_version(client, editor, make_post, glossary):
    post = make_post(audiences=audiences("patients"), body=[("paragraph", "<p>Easy words.</p>")])
    draft = PostPage.objects.get(pk=post.pk)
    draft.body = [("paragraph", "<p>You may need a biopsy first.</p>")]
    draft.save_revision()
    assert PostPage.objects.get(pk=post.pk).live  # still the published text on the site
    html = edit_page(client, post)
    assert "<strong>biopsy</strong>" in html


def test_an_empty_body_and_summary_are_named_not_scored(client, editor, make_post):
    post = make_post(
        audiences=audiences("patients"),
        body=[("code", {"language": "r", "code": "x <- 1"})],
    )
    html = edit_page(client, post)
    assert "The body has no text to check yet." in html
    assert "No plain-language summary yet" in html
    assert "Reading ease" not in html


def test_a_post_for_clinicians_only_gets_a_one_line_note_and_no_check(
    client, editor, make_post, glossary
):
    post = make_post(audiences=audiences("clinicians"), body=[("paragraph", HARD)])
    html = edit_page(client, post)
    assert "This check is for posts written for patients and carers" in html
    assert "Reading ease" not in html
    assert "after the main treatment" not in html


def test_glossary_text_is_shown_as_text(client, editor, make_post):
    GlossaryTerm.objects.create(term="biopsy", plain="<script>alert('x')</script>", note="<b>")
    post = make_post(
        audiences=audiences("patients"),
        body=[("paragraph", "<p>A biopsy &lt;script&gt; and more words.</p>")],
    )
    html = edit_page(client, post)
    assert "try “&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;”" in html
    assert "<script>alert('x')" not in html


def count_edit_view_queries(client, post):
    client.get(f"/admin/pages/{post.pk}/edit/")
    with CaptureQueriesContext(connection) as queries:
        edit_page(client, post)
    return len(queries)


def test_the_check_costs_no_query_per_block_or_glossary_term(client, editor, make_post):
    GlossaryTerm.objects.create(term="biopsy", plain="a sample")
    short = make_post(audiences=audiences("patients"), body=[("paragraph", "<p>A biopsy.</p>")])
    long = make_post(
        audiences=audiences("patients"),
        body=[("paragraph", "<p>A biopsy and a scan.</p>")] * 20
        + [("heading", {"text": "More", "level": "h2"})] * 20
        + [("key_points", {"title": "Key points", "points": ["One.", "Two."]})] * 10,
    )
    baseline = count_edit_view_queries(client, short)
    for n in range(20):
        GlossaryTerm.objects.create(term=f"term {n}", plain="plain")
    assert count_edit_view_queries(client, long) == baseline


def test_the_panel_itself_costs_a_fixed_handful_of_queries(rf, make_post, glossary):
    from blog.models.readability_panel import ReadabilityPanel

    post = make_post(audiences=audiences("patients"), body=[("paragraph", HARD)] * 30)
    draft = post.get_latest_revision_as_object()
    SiteSettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))
    request = rf.get("/admin/")
    panel = ReadabilityPanel().bind_to_model(PostPage)
    with CaptureQueriesContext(connection) as queries:
        html = panel.get_bound_panel(instance=draft, request=request, form=None).render_html()
    assert "Reading ease" in html
    # The draft's audiences, the request's site and its settings, the glossary.
    assert [q["sql"].split('FROM "')[1].split('"')[0] for q in queries] == [
        "blog_audience",
        "wagtailcore_site",
        "core_sitesettings",
        "blog_glossaryterm",
    ]


# --- The glossary -----------------------------------------------------------------------------


def test_editors_add_edit_and_delete_glossary_terms(client, editor):
    response = client.post(
        "/admin/snippets/blog/glossaryterm/add/",
        {"term": "  prognosis  ", "plain": "what is likely to happen", "note": ""},
    )
    assert response.status_code == 302
    term = GlossaryTerm.objects.get()
    assert term.term == "prognosis"
    response = client.post(
        f"/admin/snippets/blog/glossaryterm/edit/{term.pk}/",
        {"term": "prognosis", "plain": "what will probably happen", "note": "Say it kindly."},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.plain == "what will probably happen"
    response = client.post(f"/admin/snippets/blog/glossaryterm/delete/{term.pk}/")
    assert response.status_code == 302
    assert not GlossaryTerm.objects.exists()


def test_a_term_already_there_in_another_case_is_refused(client, editor, glossary):
    response = client.post(
        "/admin/snippets/blog/glossaryterm/add/", {"term": "Biopsy", "plain": "a sample"}
    )
    assert response.status_code == 200
    assert "This term is already in the glossary." in response.content.decode()
    assert GlossaryTerm.objects.count() == 2


def test_writers_read_the_glossary_but_do_not_change_it(client, make_user, glossary):
    client.force_login(make_user("writer", "Writers"))
    response = client.get("/admin/snippets/blog/glossaryterm/?q=biop")
    assert response.status_code == 200
    assert "taking a small sample of tissue" in response.content.decode()
    assert "after the main treatment" not in response.content.decode()
    response = client.post(
        "/admin/snippets/blog/glossaryterm/add/", {"term": "stage", "plain": "how far it spread"}
    )
    assert response.status_code in (302, 403)
    assert not GlossaryTerm.objects.filter(term="stage").exists()


def test_moderators_do_not_see_the_glossary(client, make_user, glossary):
    client.force_login(make_user("moderator", "Moderators"))
    assert client.get("/admin/snippets/blog/glossaryterm/").status_code in (302, 403)


def test_the_site_settings_page_shows_the_readability_target(client, editor):
    site = Site.objects.get(is_default_site=True)
    response = client.get(f"/admin/settings/core/sitesettings/{site.pk}/")
    assert response.status_code == 200
    assert 'name="readability_target"' in response.content.decode()


def test_a_new_post_gets_the_note_until_its_audiences_are_saved(client, editor, blog_index):
    response = client.get(f"/admin/pages/add/blog/postpage/{blog_index.pk}/")
    assert response.status_code == 200
    assert "This check is for posts written for patients and carers" in response.content.decode()


def test_a_form_sent_back_with_errors_still_shows_the_panel(client, editor, make_post, glossary):
    post = make_post(audiences=audiences("patients"), body=[("paragraph", HARD)])
    data = edit_form_data(post, kind="no-such-kind")
    response = client.post(f"/admin/pages/{post.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice." in html
    assert "Reading ease" in html
