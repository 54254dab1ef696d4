"""schema.org structured data (JSON-LD) for posts, contributors and the site, as plain dicts."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from core.links import absolute  # noqa: F401  (feeds and SEO tags import it from here)

CONTEXT = "https://schema.org"
LANGUAGE = "en-GB"
HERO_RENDITION = "width-1200|format-jpeg"

# Audience slugs (blog migration 0002) to schema.org medical audiences. Policy makers are not a
# medical audience, so they go under the generic `audience` property instead.
MEDICAL_AUDIENCES = {
    "patients": "Patient",
    "clinicians": "Clinician",
    "researchers": "MedicalResearcher",
}

# Characters that could end a <script> block or open an HTML comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_safe(json_text):
    """JSON text with <, > and & escaped, so it cannot close a <script> or be sniffed as HTML."""
    return json_text.translate(_SCRIPT_ESCAPES)


def script_tag(data):
    """`data` as a JSON-LD script block that no text inside it can break out of."""
    text = script_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def hero_rendition(post):
    """The 1200px JPEG of the post's hero image used by feeds and link previews, or None."""
    if not post.hero_image_id:
        return None
    return post.hero_image.get_rendition(HERO_RENDITION)


def organisation(site_settings):
    return {
        "@type": "Organization",
        "name": site_settings.organisation_name,
        "url": site_settings.organisation_url or settings.BASE_URL + "/",
    }


def person(contributor, *, with_description=False):
    data = {
        "@type": "Person",
        "name": contributor.name,
        "url": absolute(contributor.get_absolute_url()),
    }
    if contributor.role:
        data["jobTitle"] = contributor.role
    if contributor.affiliation:
        data["affiliation"] = {"@type": "Organization", "name": contributor.affiliation}
    same_as = [url for _label, url in contributor.links()]
    if same_as:
        data["sameAs"] = same_as
    if contributor.orcid:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "ORCID",
            "value": contributor.orcid,
        }
    if with_description and contributor.bio:
        data["description"] = contributor.bio
    return data


def reference_urls(reference):
    """The links a reference can be followed by, the most durable first (DOI, PubMed, URL)."""
    urls = []
    doi = (reference.get("doi") or "").strip()
    pmid = (reference.get("pmid") or "").strip()
    url = (reference.get("url") or "").strip()
    if doi:
        urls.append(f"https://doi.org/{doi}")
    if pmid:
        urls.append(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
    if url and url not in urls:
        urls.append(url)
    return urls


def citation(reference):
    data = {"@type": "CreativeWork", "name": reference["citation"].strip()}
    urls = reference_urls(reference)
    if urls:
        data["url"] = urls[0]
    if len(urls) > 1:
        data["sameAs"] = urls[1:]
    if reference.get("doi"):
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": reference["doi"],
        }
    return data


def post_references(post):
    """The post's references: its reference list, then reference lists inside the body."""
    references = [block.value for block in post.references]
    for block in post.body:
        if block.block_type == "references":
            references.extend(block.value["references"])
    return references


def citations(post):
    seen, result = set(), []
    for reference in post_references(post):
        item = citation(reference)
        key = item.get("url") or item["name"]
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def post_description(post):
    return post.search_description or post.standfirst


def blog_posting(post, site_settings, *, url=None):
    """A BlogPosting for the post; `url` is its canonical address (default: page.full_url)."""
    url = url or post.full_url
    data = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": post.title,
        "description": post_description(post),
        "inLanguage": LANGUAGE,
        "articleSection": post.get_kind_display(),
        "author": [person(contributor) for contributor in post.contributors],
        "publisher": organisation(site_settings),
        "timeRequired": f"PT{post.reading_minutes}M",
        "isAccessibleForFree": True,
    }
    if post.first_published_at:
        data["datePublished"] = post.first_published_at.isoformat()
    modified = post.last_published_at or post.first_published_at
    if modified:
        data["dateModified"] = modified.isoformat()
    rendition = hero_rendition(post)
    if rendition is not None:
        data["image"] = {
            "@type": "ImageObject",
            "url": absolute(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "caption": post.hero_alt,
        }
    tags = [tag.name for tag in post.tags.all()]
    if tags:
        data["keywords"] = tags
    topics = [
        {"@type": "Thing", "name": topic.name, "url": absolute(topic.get_absolute_url())}
        for topic in post.topics.all()
    ]
    if topics:
        data["about"] = topics
    cited = citations(post)
    if cited:
        data["citation"] = cited
    return data


def audiences(post):
    """(medicalAudience, audience) lists for the post's audiences."""
    medical, other = [], []
    for audience in post.audiences.all():
        if audience.slug in MEDICAL_AUDIENCES:
            medical.append(
                {"@type": "MedicalAudience", "audienceType": MEDICAL_AUDIENCES[audience.slug]}
            )
        else:
            other.append({"@type": "Audience", "audienceType": audience.name})
    return medical, other


def medical_web_page(post, site_settings, *, url=None, posting=None):
    """The page of a medically reviewed post, with who reviewed it, when, and for whom."""
    url = url or post.full_url
    data = {
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": post.title,
        "description": post_description(post),
        "inLanguage": LANGUAGE,
        "reviewedBy": person(post.medical_reviewer),
        "lastReviewed": post.last_reviewed.isoformat(),
        "publisher": organisation(site_settings),
        "mainEntity": {"@id": f"{url}#article"},
    }
    medical, other = audiences(post)
    if medical:
        data["medicalAudience"] = medical
    if other:
        data["audience"] = other
    cited = (posting or {}).get("citation") or citations(post)
    if cited:
        data["citation"] = cited
    return data


def for_post(post, site_settings, *, url=None):
    """BlogPosting alone, or with the MedicalWebPage around it when the post is reviewed."""
    posting = blog_posting(post, site_settings, url=url)
    if not post.is_medically_reviewed:
        return {"@context": CONTEXT, **posting}
    page = medical_web_page(post, site_settings, url=url, posting=posting)
    # The page now names the article's address; the article points back at the page node.
    posting["mainEntityOfPage"] = {"@id": page["@id"]}
    return {"@context": CONTEXT, "@graph": [page, posting]}


def for_contributor(contributor, *, url=None):
    """A profile page whose main entity is the contributor."""
    url = url or absolute(contributor.get_absolute_url())
    return {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "@id": url,
        "url": url,
        "inLanguage": LANGUAGE,
        "mainEntity": person(contributor, with_description=True),
    }


def for_website(site_name, site_settings, *, url=None):
    """The site itself, with the search box search engines may offer."""
    base = settings.BASE_URL
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": f"{base}/#website",
        "url": url or f"{base}/",
        "name": site_name,
        "description": site_settings.tagline,
        "inLanguage": LANGUAGE,
        "publisher": organisation(site_settings),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{base}/search/?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }
