"""The importer's rules, one spec each, on small exports written for the case."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from blog.models import BlogIndexPage, Contributor, HomePage, PostPage, StandardPage, Topic
from imports import importer
from imports.importer.pages import FEATURED_WITHOUT_ALT
from imports.models import ImportedObject, ImportRun
from imports.records import WXRError

from .conftest import image_bytes, wxr_comment, wxr_item

pytestmark = pytest.mark.django_db

Image = get_image_model()


def run(path, **kwargs):
    kwargs.setdefault("download_images", False)
    return importer.run(path, **kwargs)


def post(wp_id, source=None):
    rows = ImportedObject.objects.filter(wp_type="post", wp_id=str(wp_id))
    row = rows.get(source=source) if source else rows.get()
    return PostPage.objects.get(pk=row.object_id)


def hands(report, wp_id=None):
    return [h["reason"] for h in report.needs_a_hand if wp_id is None or h["wp_id"] == wp_id]


def skipped(report):
    return {(s["type"], s["reason"]): s["count"] for s in report.as_dict()["skipped"]}


def recent(hours=1):
    return (timezone.now() - timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


# Contributors -------------------------------------------------------------------------------


def test_an_author_matches_an_existing_contributor_by_email_whatever_its_case(
    site_tree, write_export, contributor
):
    contributor.email = "ANA@Old.Example.org"
    contributor.save()

    run(write_export([wxr_item(1)]))

    assert Contributor.objects.count() == 1
    assert post(1).contributors == [contributor]


def test_a_new_author_becomes_a_staff_contributor_with_a_unique_slug_and_a_hidden_email(
    site_tree, write_export, contributor
):
    authors = (("ana", "ana@old.example.org", "Ana Ribeiro", 1), ("jo", "", "", 2))

    report = run(write_export([wxr_item(1), wxr_item(2, creator="jo")], authors=authors))

    ana = post(1).contributors[0]
    assert ana != contributor and ana.slug == "ana-ribeiro-2" and ana.kind == "staff"
    assert ana.name == "Ana Ribeiro" and ana.email == "ana@old.example.org"
    assert post(2).contributors[0].name == "jo"
    assert report.counts["contributor"]["created"] == 2


# Topics and tags ----------------------------------------------------------------------------


def test_categories_become_topics_with_their_hierarchy_even_when_a_parent_comes_later(
    site_tree, write_export
):
    categories = (("trials", "Trials", "research", 3), ("research", "Research", "", 2))
    terms = [("category", "trials", "Trials")]

    run(write_export([wxr_item(1, terms=terms)], categories=categories))

    trials = Topic.objects.get(slug="trials")
    assert trials.parent == Topic.objects.get(slug="research", name="Research")
    assert list(post(1).topics.all()) == [trials]


def test_topic_names_stay_unique_and_slugs_are_ascii(site_tree, write_export, topic):
    categories = (
        ("news", "News", "", 2),
        ("trials", "Trials", "", 3),
        ("trials-news", "News", "trials", 4),
        ("%ce%b5%ce%bd%ce%b7%ce%bc%ce%ad%cf%81%cf%89%cf%83%ce%b7", "Ενημέρωση", "", 5),
        ("immunotherapy", "Immunotherapy, from WordPress", "", 6),
        ("caf%c3%a9-talk", "Café talk", "", 7),
        ("%d0%bd%d0%be%d0%b2%d0%b8%d0%bd%d0%b8", "Новини", "", 8),
        ("%f0%9f%8e%97%ef%b8%8f", "🎗️", "", 9),
    )

    run(write_export([wxr_item(1)], categories=categories))

    assert Topic.objects.get(slug="trials-news").name == "News (Trials)"
    assert Topic.objects.get(slug="enemerose").name == "Ενημέρωση"
    assert Topic.objects.get(slug="novini").name == "Новини"
    assert Topic.objects.get(slug="cafe-talk").name == "Café talk"
    assert Topic.objects.get(slug="topic-9").name == "🎗️"  # no letters to spell
    # An existing topic with the same slug is reused, not renamed or duplicated.
    assert Topic.objects.get(slug="immunotherapy") == topic and topic.name == "Immunotherapy"


def test_uncategorized_is_not_a_topic_and_the_report_says_so_once(site_tree, write_export):
    categories = (("uncategorized", "Uncategorized", "", 1),)
    terms = [("category", "uncategorized", "Uncategorized")]

    report = run(
        write_export([wxr_item(1, terms=terms), wxr_item(2, terms=terms)], categories=categories)
    )

    assert not Topic.objects.exists() and not post(1).topics.exists()
    assert [n for n in report.notes if "Uncategorized" in n] == [
        "Posts in WordPress's “Uncategorized” category (its default one) were imported "
        "without a topic."
    ]


def test_tags_become_the_posts_tags(site_tree, write_export):
    terms = [("post_tag", "car-t", "CAR-T"), ("post_tag", "survivorship", "Survivorship")]

    run(write_export([wxr_item(1, terms=terms)], tags=(("car-t", "CAR-T"),)))

    assert sorted(post(1).tags.names()) == ["CAR-T", "Survivorship"]


# Posts --------------------------------------------------------------------------------------


def test_a_published_post_is_live_under_the_blog_index_with_its_wordpress_date(
    site_tree, write_export
):
    item = wxr_item(
        1,
        "Trial news",
        excerpt="<p>What the <b>trial</b> found.</p>",
        sticky=True,
        comment_status="closed",
        date="2019-06-01 08:00:00",
    )

    report = run(write_export([item]))

    page = post(1)
    assert page.live and page.get_parent().specific == site_tree[1]
    assert page.first_published_at.isoformat() == "2019-06-01T08:00:00+00:00"
    assert page.last_published_at == page.first_published_at
    assert page.kind == "news" and page.standfirst == "What the trial found."
    assert page.featured and page.comments_closed and not page.send_alert
    assert page.slug == "post-1" and page.url == "/blog/post-1/"
    assert report.counts["post"]["created"] == 1


def test_importing_published_posts_sends_no_email_even_when_they_are_recent(
    site_tree, write_export, mailoutbox, settings
):
    from subscriptions.models import Mailing, Subscriber

    Subscriber.objects.create(
        email="reader@example.org", status="confirmed", confirmed_at=timezone.now()
    )

    run(write_export([wxr_item(1, date=recent()), wxr_item(2, date="2015-01-01 00:00:00")]))

    assert post(1).live and post(2).live
    assert mailoutbox == []
    assert not Mailing.objects.exclude(status=Mailing.Status.SKIPPED).exists()


def test_a_title_with_markup_and_entities_becomes_plain_text(site_tree, write_export):
    run(write_export([wxr_item(1, "CAR-T &amp; <em>solid</em> tumours &#8211; &lt;b&gt;")]))

    assert post(1).title == "CAR-T & solid tumours – <b>"


def test_a_post_without_a_title_is_titled_from_its_first_words_with_a_note(site_tree, write_export):
    words = "<p>One two three four five six seven eight nine ten.</p>"

    report = run(write_export([wxr_item(1, "", content=words, slug="")]))

    assert post(1).title == "One two three four five six seven eight…"
    assert post(1).slug == "one-two-three-four-five-six-seven-eight"
    assert "had no title in WordPress; titled from its first words" in hands(report, 1)


def test_a_post_without_title_or_content_is_a_draft_called_no_title(site_tree, write_export):
    report = run(write_export([wxr_item(1, "", content="", slug="")]))

    page = post(1)
    assert page.title == "(no title)" and not page.live and page.slug == "post-1"
    assert "no content in WordPress: kept as a draft, never published" in hands(report, 1)


def test_a_post_with_no_content_is_a_draft_never_published(site_tree, write_export):
    report = run(write_export([wxr_item(1, "Empty", content="  ")]))

    page = post(1)
    assert not page.live and page.first_published_at is None
    assert page.get_latest_revision() is not None
    assert hands(report, 1) == ["no content in WordPress: kept as a draft, never published"]


def test_slugs_are_percent_decoded_and_unique_under_the_blog(site_tree, write_export):
    items = [
        wxr_item(1, slug="%ce%b5%ce%bd%ce%b7%ce%bc%ce%ad%cf%81%cf%89%cf%83%ce%b7"),
        wxr_item(2, slug="same"),
        wxr_item(3, slug="same"),
        wxr_item(4, "Ünïcode title", slug=""),
    ]

    run(write_export(items))

    assert post(1).slug == "ενημέρωση"
    assert (post(2).slug, post(3).slug) == ("same", "same-2")
    assert post(4).slug == "ünïcode-title"


def test_the_standfirst_falls_back_to_the_content_then_the_title(site_tree, write_export):
    long = "<p>" + "word " * 300 + "</p>"
    items = [
        wxr_item(1, "Title one", content="<p>From the content.</p>"),
        wxr_item(2, "Title two", content=long),
        wxr_item(3, "Title three", content='<p><img src="x.png" alt=""></p>'),
    ]

    run(write_export(items))

    assert post(1).standfirst == "From the content."
    assert len(post(2).standfirst) <= 400
    assert post(3).standfirst == "Title three"


def test_a_scheduled_post_is_scheduled_at_its_date_and_will_alert(site_tree, write_export):
    future = (timezone.now() + timedelta(days=3)).replace(microsecond=0)

    run(write_export([wxr_item(1, status="future", date=future.strftime("%Y-%m-%d %H:%M:%S"))]))

    page = post(1)
    assert not page.live and page.send_alert and page.go_live_at == future
    assert Revision.page_revisions.filter(
        object_id=str(page.pk), approved_go_live_at=future
    ).exists()


def test_a_scheduled_post_whose_date_has_passed_is_a_draft_with_a_note(site_tree, write_export):
    report = run(write_export([wxr_item(1, status="future", date="2020-01-01 00:00:00")]))

    assert not post(1).live and post(1).go_live_at is None
    assert hands(report, 1) == ["scheduled in WordPress for a date now past: publish it by hand"]


@pytest.mark.parametrize("status", ["draft", "pending"])
def test_drafts_and_pending_posts_are_drafts(site_tree, write_export, status):
    report = run(write_export([wxr_item(1, status=status)]))

    assert not post(1).live and post(1).has_unpublished_changes
    assert hands(report) == []


def test_private_and_password_protected_posts_are_drafts_that_need_a_hand(site_tree, write_export):
    report = run(write_export([wxr_item(1, status="private"), wxr_item(2, password="secret")]))

    assert not post(1).live and not post(2).live
    assert hands(report, 1) == ["private in WordPress: kept as a draft, never published"]
    assert hands(report, 2) == [
        "password-protected in WordPress: we do not support per-post passwords; "
        "publish it or keep it a draft"
    ]
    entry = report.needs_a_hand[0]
    assert entry["admin_url"].endswith(f"/admin/pages/{post(1).pk}/edit/")


def test_trash_auto_drafts_revisions_and_other_types_are_skipped_with_reasons(
    site_tree, write_export
):
    items = [
        wxr_item(1, status="trash"),
        wxr_item(2, status="auto-draft"),
        wxr_item(3, status="inherit", post_type="revision"),
        wxr_item(4, status="inherit"),
        wxr_item(5, post_type="nav_menu_item"),
        wxr_item(6, post_type="nav_menu_item"),
        wxr_item(7, post_type="wp_block"),
        wxr_item(8, post_type="product"),
    ]

    report = run(write_export(items))

    assert not PostPage.objects.exists()
    assert skipped(report) == {
        ("post", "in the WordPress trash"): 1,
        ("post", "an auto-draft WordPress made, never written"): 1,
        ("post", "a revision of another post"): 1,
        ("revision", "a WordPress revision, not a post or page"): 1,
        ("nav_menu_item", "a WordPress nav_menu_item, not a post or page"): 2,
        ("wp_block", "a reusable block: its content is put in the posts that use it"): 1,
        ("product", "a WordPress product, not a post or page"): 1,
    }


def test_a_reusable_block_is_put_in_each_post_that_uses_it(site_tree, write_export):
    items = [
        wxr_item(
            1,
            "Uses the disclaimer",
            content="<!-- wp:paragraph --><p>News.</p><!-- /wp:paragraph -->"
            '<!-- wp:block {"ref":9} /-->',
        ),
        wxr_item(
            9,
            "Disclaimer",
            post_type="wp_block",
            content="<!-- wp:paragraph --><p>Ask your care team.</p><!-- /wp:paragraph -->",
        ),
    ]

    report = run(write_export(items))

    body = str(PostPage.objects.get().body)
    assert "News." in body and "Ask your care team." in body
    assert not report.needs_a_hand


# Images -------------------------------------------------------------------------------------


def attachment_item(wp_id, server, name, *, alt="", caption="", parent=0):
    return wxr_item(
        wp_id,
        name,
        post_type="attachment",
        status="inherit",
        content="",
        excerpt=caption,
        parent=parent,
        attachment_url=f"{server.url}/wp-content/uploads/{name}",
        link=f"{server.url}/{name}/",
        meta={"_wp_attachment_image_alt": alt} if alt else None,
        base=server.url,
    )


def test_the_featured_image_becomes_the_hero_with_its_alt_text(
    site_tree, write_export, http_server
):
    http_server.serve("/wp-content/uploads/hero.png", image_bytes())
    http_server.serve("/wp-content/uploads/bare.png", image_bytes(color=(1, 2, 3)))
    items = [
        attachment_item(10, http_server, "hero.png", alt="A nurse", caption="Our ward."),
        attachment_item(11, http_server, "bare.png"),
        attachment_item(12, http_server, "unused.png"),
        wxr_item(1, meta={"_thumbnail_id": "10"}, base=http_server.url),
        wxr_item(2, meta={"_thumbnail_id": "11"}, base=http_server.url),
    ]

    report = importer.run(write_export(items, base=http_server.url))

    first, second = post(1), post(2)
    assert first.hero_alt == "A nurse" and first.hero_caption == "Our ward."
    assert first.hero_image.title == "hero.png"
    assert second.hero_image is not None
    assert (second.hero_alt, second.hero_decorative) == ("", True)
    assert hands(report, 2) == [
        f"{FEATURED_WITHOUT_ALT}: {http_server.url}/wp-content/uploads/bare.png"
    ]
    assert report.images["created"] == 2 and report.images["unused_attachments"] == 1
    assert "/wp-content/uploads/unused.png" not in http_server.hits
    for image in Image.objects.all():
        image.file.delete(save=False)


def test_a_linked_pdf_stays_a_link_and_is_listed(site_tree, write_export, http_server):
    pdf = f"{http_server.url}/wp-content/uploads/leaflet.pdf"
    items = [
        attachment_item(10, http_server, "leaflet.pdf"),
        wxr_item(1, content=f'<p>Read <a href="{pdf}">the leaflet</a>.</p>'),
    ]

    report = run(write_export(items, base=http_server.url))

    assert report.file_links == [pdf]
    assert post(1).live


# Pages --------------------------------------------------------------------------------------


def test_pages_keep_their_tree_even_when_a_child_comes_before_its_parent(site_tree, write_export):
    home = site_tree[0]
    items = [
        wxr_item(6, "Our team", post_type="page", slug="our-team", parent=5),
        wxr_item(5, "About us", post_type="page", slug="about-us", excerpt="Who we are."),
        wxr_item(7, "Contact", post_type="page", slug="contact", status="draft"),
    ]

    report = run(write_export(items))

    about = StandardPage.objects.get(slug="about-us")
    team = StandardPage.objects.get(slug="our-team")
    assert about.get_parent().pk == home.pk and about.intro == "Who we are."
    assert team.get_parent().pk == about.pk and team.url == "/about-us/our-team/"
    assert about.live and not StandardPage.objects.get(slug="contact").live
    assert report.counts["page"]["created"] == 3


def test_it_makes_the_site_tree_when_there_is_none(db, write_export):
    run(write_export([wxr_item(1)]))

    assert HomePage.objects.count() == 1 and BlogIndexPage.objects.count() == 1
    assert post(1).live


# One transaction ----------------------------------------------------------------------------


def test_an_error_half_way_leaves_nothing_behind(site_tree, write_export, http_server):
    http_server.serve("/wp-content/uploads/hero.png", image_bytes())
    path = write_export(
        [
            attachment_item(10, http_server, "hero.png", alt="A nurse"),
            wxr_item(1, meta={"_thumbnail_id": "10"}, base=http_server.url),
        ],
        base=http_server.url,
    )
    text = path.read_text()
    path.write_text(text.replace("</channel>", "<item><title>broken</item></channel>"))
    pages = Page.objects.count()

    with pytest.raises(WXRError):
        importer.run(path)

    assert Page.objects.count() == pages
    assert not ImportedObject.objects.exists() and not Image.objects.exists()
    assert not Contributor.objects.exists()


def test_an_image_stored_before_a_late_failure_is_deleted_again(
    site_tree, write_export, http_server, monkeypatch
):
    http_server.serve("/wp-content/uploads/hero.png", image_bytes())
    items = [
        attachment_item(10, http_server, "hero.png", alt="A nurse"),
        wxr_item(1, meta={"_thumbnail_id": "10"}, base=http_server.url),
    ]
    stored = []
    original = importer.Importer.finish_media

    def fail_after_storing(self):
        stored.extend(self.media.stored_files)
        original(self)
        raise RuntimeError("late failure")

    monkeypatch.setattr(importer.Importer, "finish_media", fail_after_storing)

    with pytest.raises(RuntimeError):
        importer.run(write_export(items, base=http_server.url))

    storage = Image._meta.get_field("file").storage
    assert stored and not any(storage.exists(name) for name in stored)
    assert not Image.objects.exists() and not PostPage.objects.exists()


def test_a_dry_run_reports_everything_and_keeps_nothing(site_tree, write_export, http_server):
    http_server.serve("/wp-content/uploads/hero.png", image_bytes())
    items = [
        attachment_item(10, http_server, "hero.png", alt="A nurse"),
        wxr_item(1, meta={"_thumbnail_id": "10"}, base=http_server.url),
        wxr_item(2, status="private", base=http_server.url),
    ]

    report = importer.run(write_export(items, base=http_server.url), dry_run=True)

    assert report.dry_run and report.counts["post"]["created"] == 2
    assert hands(report, 2) == ["private in WordPress: kept as a draft, never published"]
    assert http_server.hits == []
    assert not PostPage.objects.exists() and not ImportedObject.objects.exists()
    assert not ImportRun.objects.exists() and not Contributor.objects.exists()


def test_a_dry_run_with_an_uploads_folder_leaves_no_image_file(site_tree, write_export, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "hero.png").write_bytes(image_bytes())
    base = "https://old.example.org"
    items = [
        wxr_item(
            10,
            "hero",
            post_type="attachment",
            status="inherit",
            attachment_url=f"{base}/wp-content/uploads/hero.png",
            meta={"_wp_attachment_image_alt": "A nurse"},
        ),
        wxr_item(1, meta={"_thumbnail_id": "10"}),
    ]
    storage = Image._meta.get_field("file").storage
    before = (
        set(storage.listdir("original_images")[1]) if storage.exists("original_images") else set()
    )

    report = importer.run(write_export(items), dry_run=True, uploads_dir=uploads)

    after = (
        set(storage.listdir("original_images")[1]) if storage.exists("original_images") else set()
    )
    assert report.images["created"] == 1 and after == before


def test_a_committed_run_is_recorded_with_its_report(site_tree, write_export):
    path = write_export([wxr_item(1)])

    run(path)

    record = ImportRun.objects.get()
    assert record.file_name == path.name and record.source == "old.example.org"
    assert record.report["counts"]["post"]["created"] == 1


# Reruns -------------------------------------------------------------------------------------


def test_a_rerun_of_the_same_export_changes_nothing(site_tree, write_export):
    path = write_export([wxr_item(1), wxr_item(5, post_type="page")])
    run(path)
    revisions = Revision.objects.count()

    report = run(path)

    assert report.counts["post"]["unchanged"] == 1 and report.counts["page"]["unchanged"] == 1
    assert report.counts["post"]["created"] == 0
    assert Revision.objects.count() == revisions and PostPage.objects.count() == 1


def test_a_record_changed_in_wordpress_updates_the_page_with_a_new_revision(
    site_tree, write_export
):
    run(write_export([wxr_item(1, "Old title")]))
    first_published = post(1).first_published_at

    report = run(write_export([wxr_item(1, "New title", content="<p>New words.</p>")]))

    page = post(1)
    assert report.counts["post"]["updated"] == 1
    assert page.title == "New title" and page.live and not page.has_unpublished_changes
    assert page.first_published_at == first_published
    assert page.revisions.count() == 2 and PostPage.objects.count() == 1


def test_a_page_edited_here_since_the_last_import_is_not_overwritten(
    site_tree, write_export, make_user
):
    run(write_export([wxr_item(1, "Old title")]))
    page = post(1)
    page.title = "Edited by an editor"
    page.save_revision(user=make_user("editor")).publish()

    report = run(write_export([wxr_item(1, "New title")]))

    assert post(1).title == "Edited by an editor"
    assert hands(report, 1) == [
        "changed in WordPress, but edited here since the last import; not overwritten"
    ]


def test_a_page_deleted_here_is_not_created_again(site_tree, write_export):
    path = write_export([wxr_item(1)])
    run(path)
    post(1).delete()

    report = run(path)

    assert not PostPage.objects.exists()
    assert skipped(report) == {("post", "deleted here since the last import; not re-created"): 1}


def test_a_post_unpublished_in_wordpress_is_unpublished_here(site_tree, write_export):
    run(write_export([wxr_item(1)]))

    report = run(write_export([wxr_item(1, status="draft")]))

    assert not post(1).live
    assert "no longer published in WordPress (draft): unpublished here" in hands(report, 1)


def test_a_draft_published_in_wordpress_since_is_published_here(site_tree, write_export):
    run(write_export([wxr_item(1, status="draft", date="2022-02-02 10:00:00")]))

    report = run(write_export([wxr_item(1, date="2022-02-02 10:00:00")]))

    page = post(1)
    assert page.live and page.first_published_at.isoformat() == "2022-02-02T10:00:00+00:00"
    assert "published in WordPress since the last import: published here" in hands(report, 1)


def test_two_wordpress_blogs_with_the_same_ids_never_collide(site_tree, write_export):
    run(write_export([wxr_item(1, "First blog")], base="https://one.example.org"))
    run(write_export([wxr_item(1, "Second blog")], base="https://www.Two.example.org/"))

    assert post(1, "one.example.org").title == "First blog"
    assert post(1, "two.example.org").title == "Second blog"


# Cost ---------------------------------------------------------------------------------------


def test_the_queries_per_post_do_not_grow_with_the_posts_before_it(site_tree, write_export):
    def queries(count, start):
        items = [
            wxr_item(
                n,
                f"Post {n}",
                terms=[("category", "news", "News"), ("post_tag", "t", "T")],
                comments=[wxr_comment(n * 10), wxr_comment(n * 10 + 1, parent=n * 10)],
            )
            for n in range(start, start + count)
        ]
        path = write_export(items, categories=(("news", "News", "", 9),), tags=(("t", "T"),))
        with CaptureQueriesContext(connection) as context:
            run(path, skip_pingbacks=True)
        return len(context.captured_queries)

    queries(1, 1000)  # the first run makes the contributor and the topic
    three = queries(3, 2000)
    six = queries(6, 3000)
    twelve = queries(12, 4000)

    assert twelve - six == 2 * (six - three)


# Hostile content ----------------------------------------------------------------------------


def test_hostile_markup_never_becomes_live_on_the_post_topic_or_feed(
    site_tree, write_export, client
):
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    items = [
        wxr_item(
            1,
            f"Title {evil}",
            slug="hostile",
            content=f'<p>Text {evil} <a href="javascript:alert(3)">link</a></p>',
            excerpt=f"Excerpt {evil}",
            terms=[("category", "evil", f"Topic {evil}")],
            comments=[wxr_comment(50, f"Comment {evil}")],
        )
    ]
    authors = (("ana", "ana@old.example.org", f"Ana {evil}", 1),)

    run(write_export(items, authors=authors, categories=(("evil", f"Topic {evil}", "", 3),)))

    pages = [client.get("/blog/hostile/"), client.get("/topics/evil/"), client.get("/feed/")]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert "<script>alert" not in html and "onerror=" not in html
        assert "javascript:alert" not in html
    assert "Title" in pages[0].content.decode()


def test_a_file_object_is_read_twice_and_a_pipe_is_refused(site_tree, write_export):
    path = write_export([wxr_item(1)])
    with open(path, "rb") as export:
        report = importer.run(export, download_images=False)
    assert report.counts["post"]["created"] == 1 and report.file_name == path.name

    class Pipe:
        def seekable(self):
            return False

    with pytest.raises(WXRError, match="read twice"):
        importer.run(Pipe())
