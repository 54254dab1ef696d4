"""Canonical URLs, descriptions, Open Graph, Twitter cards and JSON-LD for every kind of page."""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from blog import jsonld
from blog.models import Audience, Contributor, Topic
from blog.templatetags.seo_tags import canonical_path, x_handle
from core.models import SiteSettings

BASE = "http://127.0.0.1:8000"
ATTACK = "</script><script>alert(1)</script><!--"


class Head(HTMLParser):
    """The meta tags, link tags and script blocks of a page, as a browser would split them."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.scripts = {}, {}, []
        self._script = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.setdefault(attrs.get("rel"), []).append(attrs.get("href"))
        elif tag == "script":
            self._script = {"type": attrs.get("type"), "text": ""}
            self.scripts.append(self._script)

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def one(self, key):
        (value,) = self.meta[key]
        return value

    @property
    def canonical(self):
        (href,) = self.links["canonical"]
        return href

    @property
    def json_ld(self):
        (block,) = [s for s in self.scripts if s["type"] == "application/ld+json"]
        return json.loads(block["text"])


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return Head(response.content.decode())


def nodes(document):
    """The JSON-LD nodes of a document, by @type."""
    items = document.get("@graph", [document])
    return {item["@type"]: item for item in items}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def image(db):
    return Image.objects.create(title="Ward", file=get_test_image_file(size=(1600, 900)))


@pytest.fixture
def author(contributor):
    contributor.website = "https://ana.example.org/"
    contributor.orcid = "0000-0002-1825-0097"
    contributor.bio = "Ana treats lung cancer in Lisbon and studies immunotherapy."
    contributor.save()
    return contributor


@pytest.fixture
def reviewer(db):
    return Contributor.objects.create(
        name="Prof Lena Berg", slug="lena-berg", role="Oncologist", affiliation="Karolinska"
    )


REFERENCES = [
    (
        "reference",
        {"citation": "Smith J. A trial. NEJM 2024.", "doi": "10.1056/x1", "pmid": "", "url": ""},
    ),
    (
        "reference",
        {"citation": "Doe A. A cohort. Lancet 2023.", "doi": "", "pmid": "3456", "url": ""},
    ),
    (
        "reference",
        {"citation": "ESMO guideline.", "doi": "", "pmid": "", "url": "https://esmo.org/g"},
    ),
]


@pytest.fixture
def post(make_post, author, image):
    return make_post(
        title="A new combination for lung cancer",
        kind="feature",
        standfirst="What the trial found, and for whom.",
        hero_image=image,
        hero_alt="A clinician reading a scan",
        tags=["trials", "NSCLC"],
        references=REFERENCES,
    )


@pytest.fixture
def reviewed_post(make_post, author, reviewer):
    return make_post(
        title="Living with immunotherapy side effects",
        medical_reviewer=reviewer,
        last_reviewed=datetime.date(2026, 3, 1),
        audiences=list(
            Audience.objects.filter(slug__in=["patients", "clinicians", "policy-makers"])
        ),
        references=REFERENCES[:1],
    )


# JSON-LD built directly


def test_a_post_is_a_blog_posting_with_authors_publisher_and_citations(post):
    settings = SiteSettings(organisation_name="Oncology Education Foundation")

    document = jsonld.for_post(post, settings)

    assert document["@context"] == "https://schema.org"
    assert document["@type"] == "BlogPosting"
    assert document["headline"] == "A new combination for lung cancer"
    assert document["description"] == "What the trial found, and for whom."
    assert document["datePublished"] == post.first_published_at.isoformat()
    assert document["dateModified"] == post.last_published_at.isoformat()
    assert document["mainEntityOfPage"]["@id"] == post.full_url
    assert document["articleSection"] == "Feature"
    assert document["timeRequired"] == "PT1M"
    assert sorted(document["keywords"]) == ["NSCLC", "trials"]
    assert document["about"] == [
        {"@type": "Thing", "name": "Immunotherapy", "url": f"{BASE}/topics/immunotherapy/"}
    ]
    assert document["publisher"] == {
        "@type": "Organization",
        "name": "Oncology Education Foundation",
        "url": f"{BASE}/",
    }
    assert document["image"]["url"].startswith(f"{BASE}/media/images/")
    assert document["image"]["url"].endswith(".jpg")
    assert document["image"]["width"] == 1200
    (person,) = document["author"]
    assert person["@type"] == "Person"
    assert person["name"] == "Dr Ana Ribeiro"
    assert person["url"] == f"{BASE}/authors/ana-ribeiro/"
    assert person["jobTitle"] == "Medical oncologist"
    assert person["affiliation"] == {"@type": "Organization", "name": "Lisbon"}
    assert person["sameAs"] == [
        "https://ana.example.org/",
        "https://orcid.org/0000-0002-1825-0097",
    ]
    assert [(c["name"], c["url"]) for c in document["citation"]] == [
        ("Smith J. A trial. NEJM 2024.", "https://doi.org/10.1056/x1"),
        ("Doe A. A cohort. Lancet 2023.", "https://pubmed.ncbi.nlm.nih.gov/3456/"),
        ("ESMO guideline.", "https://esmo.org/g"),
    ]


def test_a_reference_with_several_identifiers_links_the_doi_first():
    reference = {"citation": "X.", "doi": "10.1/a", "pmid": "12", "url": "https://j.org/a"}

    item = jsonld.citation(reference)

    assert item["url"] == "https://doi.org/10.1/a"
    assert item["sameAs"] == ["https://pubmed.ncbi.nlm.nih.gov/12/", "https://j.org/a"]
    assert item["identifier"]["value"] == "10.1/a"


def test_references_inside_the_body_are_cited_too(make_post):
    body = [
        ("paragraph", "<p>Text.</p>"),
        (
            "references",
            {
                "title": "Sources",
                "references": [{"citation": "In body.", "doi": "10.9/z", "pmid": "", "url": ""}],
            },
        ),
    ]
    post = make_post(body=body, references=REFERENCES[:1])

    document = jsonld.for_post(post, SiteSettings())

    assert [c["url"] for c in document["citation"]] == [
        "https://doi.org/10.1056/x1",
        "https://doi.org/10.9/z",
    ]


def test_a_post_without_image_tags_or_references_leaves_those_out(make_post):
    document = jsonld.for_post(make_post(topics=[]), SiteSettings())

    for key in ("image", "keywords", "about", "citation"):
        assert key not in document


def test_a_reviewed_post_is_also_a_medical_web_page(reviewed_post):
    document = jsonld.for_post(reviewed_post, SiteSettings())

    assert document["@context"] == "https://schema.org"
    found = nodes(document)
    page, posting = found["MedicalWebPage"], found["BlogPosting"]
    assert page["@id"] == reviewed_post.full_url
    assert page["reviewedBy"]["@type"] == "Person"
    assert page["reviewedBy"]["name"] == "Prof Lena Berg"
    assert page["reviewedBy"]["affiliation"]["name"] == "Karolinska"
    assert page["lastReviewed"] == "2026-03-01"
    assert page["medicalAudience"] == [
        {"@type": "MedicalAudience", "audienceType": "Patient"},
        {"@type": "MedicalAudience", "audienceType": "Clinician"},
    ]
    assert page["audience"] == [{"@type": "Audience", "audienceType": "Policy makers"}]
    assert page["citation"][0]["url"] == "https://doi.org/10.1056/x1"
    assert page["mainEntity"] == {"@id": posting["@id"]}
    assert posting["mainEntityOfPage"] == {"@id": page["@id"]}
    assert posting["headline"] == "Living with immunotherapy side effects"


def test_researchers_are_a_medical_research_audience(make_post, reviewer):
    post = make_post(
        medical_reviewer=reviewer,
        last_reviewed=datetime.date(2026, 3, 1),
        audiences=list(Audience.objects.filter(slug="researchers")),
    )

    page = nodes(jsonld.for_post(post, SiteSettings()))["MedicalWebPage"]

    assert page["medicalAudience"] == [
        {"@type": "MedicalAudience", "audienceType": "MedicalResearcher"}
    ]
    assert "audience" not in page


def test_a_contributor_is_a_person_on_a_profile_page(author):
    document = jsonld.for_contributor(author)

    assert document["@type"] == "ProfilePage"
    assert document["url"] == f"{BASE}/authors/ana-ribeiro/"
    person = document["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Dr Ana Ribeiro"
    assert person["jobTitle"] == "Medical oncologist"
    assert person["affiliation"] == {"@type": "Organization", "name": "Lisbon"}
    assert person["description"] == author.bio
    assert "https://orcid.org/0000-0002-1825-0097" in person["sameAs"]


def test_the_website_offers_a_search_action():
    document = jsonld.for_website("The Cancer Blog", SiteSettings())

    assert document["@type"] == "WebSite"
    assert document["name"] == "The Cancer Blog"
    action = document["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{BASE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"


def test_no_text_can_end_the_json_ld_script_block():
    tag = jsonld.script_tag({"headline": ATTACK, "other": "a & b > c"})

    inner = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"headline": ATTACK, "other": "a & b > c"}


# Rendered pages


def test_a_post_page_has_canonical_description_open_graph_and_twitter_tags(client, post):
    page = head(client, post.url)

    assert page.canonical == post.full_url
    assert page.one("description") == "What the trial found, and for whom."
    assert page.one("og:type") == "article"
    assert page.one("og:title") == "A new combination for lung cancer"
    assert page.one("og:description") == "What the trial found, and for whom."
    assert page.one("og:url") == post.full_url
    assert page.one("og:site_name") == "The Cancer Blog"
    assert page.one("og:image").startswith(f"{BASE}/media/images/")
    assert page.one("og:image").endswith(".jpg")
    assert page.one("og:image:alt") == "A clinician reading a scan"
    assert page.one("article:published_time") == post.first_published_at.isoformat()
    assert page.one("article:modified_time") == post.last_published_at.isoformat()
    assert page.one("article:section") == "Feature"
    assert page.meta["article:tag"][0] == "Immunotherapy"
    assert sorted(page.meta["article:tag"][1:]) == ["NSCLC", "trials"]
    assert page.meta["article:author"] == [f"{BASE}/authors/ana-ribeiro/"]
    assert page.one("twitter:card") == "summary_large_image"
    assert page.one("twitter:image") == page.one("og:image")
    assert "robots" not in page.meta
    assert page.json_ld["@type"] == "BlogPosting"
    assert page.json_ld["headline"] == "A new combination for lung cancer"


def test_an_editors_search_description_wins_over_the_standfirst(client, make_post):
    post = make_post(standfirst="Standfirst.", search_description="Written for search engines.")

    page = head(client, post.url)

    assert page.one("description") == "Written for search engines."
    assert page.one("twitter:card") == "summary"
    assert "og:image" not in page.meta


def test_a_reviewed_post_page_carries_its_medical_review(client, reviewed_post):
    found = nodes(head(client, reviewed_post.url).json_ld)

    assert found["MedicalWebPage"]["reviewedBy"]["name"] == "Prof Lena Berg"
    assert found["MedicalWebPage"]["lastReviewed"] == "2026-03-01"
    assert found["MedicalWebPage"]["medicalAudience"]
    assert found["MedicalWebPage"]["citation"]
    assert found["BlogPosting"]["author"][0]["name"] == "Dr Ana Ribeiro"


def test_the_home_page_describes_the_website(client, site_tree):
    home, _ = site_tree

    page = head(client, "/")

    assert page.canonical == home.full_url
    assert page.one("description") == home.intro
    assert page.one("og:type") == "website"
    assert page.one("og:title") == "The Cancer Blog"
    assert page.one("og:url") == home.full_url
    assert page.json_ld["@type"] == "WebSite"
    assert page.json_ld["potentialAction"]["@type"] == "SearchAction"


def test_a_topic_page_is_described_by_its_topic(client, make_post, topic):
    make_post()

    page = head(client, "/topics/immunotherapy/")

    assert page.canonical == f"{BASE}/topics/immunotherapy/"
    assert page.one("description") == "Treatments that use the immune system."
    assert page.one("og:title") == "Immunotherapy"
    assert page.one("og:type") == "website"
    assert page.one("og:url") == f"{BASE}/topics/immunotherapy/"


def test_without_a_description_the_site_tagline_is_used(client, site_tree):
    Topic.objects.create(name="Screening", slug="screening")

    page = head(client, "/topics/screening/")

    assert page.one("description") == SiteSettings._meta.get_field("tagline").default


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?page=2", "?page=2"),
        ("?page=2&utm_source=x", "?page=2"),
        ("?page=1", ""),
        ("?page=abc", ""),
        ("?utm_source=newsletter", ""),
    ],
)
def test_the_canonical_url_drops_the_query_except_the_page_number(rf, query, expected):
    request = rf.get(f"/topics/immunotherapy/{query}")

    assert canonical_path(request) == f"/topics/immunotherapy/{expected}"


def test_the_second_page_of_a_list_is_its_own_canonical_page(client, make_post, blog_index):
    for _ in range(13):
        make_post()

    topic_page = head(client, "/topics/immunotherapy/?page=2&utm_source=x")
    index_page = head(client, "/blog/?page=2&kind=news")

    assert topic_page.canonical == f"{BASE}/topics/immunotherapy/?page=2"
    assert index_page.canonical == f"{blog_index.full_url}?page=2"


def test_a_contributor_page_describes_a_person(client, make_post, author):
    make_post()

    page = head(client, "/authors/ana-ribeiro/")

    assert page.canonical == f"{BASE}/authors/ana-ribeiro/"
    assert page.one("description") == author.bio
    assert page.one("og:title") == "Dr Ana Ribeiro"
    person = page.json_ld["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Dr Ana Ribeiro"
    assert person["url"] == f"{BASE}/authors/ana-ribeiro/"


def test_a_contributor_without_a_bio_is_described_by_role_and_affiliation(
    client, make_post, contributor
):
    page = head(client, "/authors/ana-ribeiro/")

    assert page.one("description") == "Medical oncologist, Lisbon"


def test_search_pages_are_not_indexed(client, site_tree):
    page = head(client, "/search/?q=chemo")

    assert page.one("robots") == "noindex"
    assert page.canonical == f"{BASE}/search/"


@pytest.mark.parametrize(
    "url, title",
    [("/topics/", "Topics"), ("/authors/", "Authors"), ("/corrections/", "Corrections")],
)
def test_list_pages_have_a_canonical_url_and_a_title(client, site_tree, url, title):
    page = head(client, url)

    assert page.canonical == f"{BASE}{url}"
    assert page.one("og:title") == title
    assert "robots" not in page.meta


def test_a_script_in_a_title_cannot_break_out_of_the_json_ld(client, make_post, author):
    author.bio = ATTACK
    author.save()
    post = make_post(title=ATTACK, slug="attack", standfirst=ATTACK)

    for url in (post.url, "/authors/ana-ribeiro/"):
        response = client.get(url)
        html = response.content.decode()
        page = Head(html)

        assert "alert(1)</script>" not in html
        assert "<!--" not in html
        assert all(s["type"] != "application/ld+json" or "alert" in s["text"] for s in page.scripts)
        assert not any(
            "alert" in s["text"] and s["type"] != "application/ld+json" for s in page.scripts
        )
        document = page.json_ld
        if url == post.url:
            assert document["headline"] == ATTACK
            assert page.one("og:title") == ATTACK
        else:
            assert document["mainEntity"]["description"] == ATTACK


def test_the_include_renders_without_a_request_or_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("includes/seo.html", {})

    assert Head(html).one("og:site_name") == "The Cancer Blog"


def test_a_preview_is_never_indexed(make_post):
    post = make_post(title="Draft thoughts")

    response = post.make_preview_request()

    page = Head(response.content.decode())
    assert page.one("robots") == "noindex"
    assert page.json_ld["headline"] == "Draft thoughts"


@pytest.mark.parametrize(
    "url, handle",
    [
        ("https://x.com/cancerblog", "@cancerblog"),
        ("https://twitter.com/cancerblog/", "@cancerblog"),
        ("https://mastodon.social/@cancerblog", ""),
        ("", ""),
    ],
)
def test_the_twitter_site_handle_comes_from_the_x_address(url, handle):
    assert x_handle(url) == handle


def test_the_twitter_site_is_named_when_the_site_has_an_x_account(client, site_tree):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.x_url = "https://x.com/cancerblog"
    site_settings.save()

    assert head(client, "/").one("twitter:site") == "@cancerblog"
