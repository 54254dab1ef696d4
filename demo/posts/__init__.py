"""The demo posts, one module per topic, plus one scheduled post and one draft.

Each post is a dict: PostPage fields by name, plus `days_ago` (publication date), `colours` and
`shape` (its hero illustration), `contributors`/`topics`/`audiences` (slugs), `summary` (the
plain-language summary), `conflicts`, `review` ({"by": contributor slug, "next_in_days": n};
reviewed on the publication date), `corrections` ([(days after publication, note)]).
"""

from blog.markup import h2, key_points, p

from . import breast, immunotherapy, lung, prevention, survivorship, trials

POSTS = [
    *immunotherapy.POSTS,
    *lung.POSTS,
    *breast.POSTS,
    *survivorship.POSTS,
    *trials.POSTS,
    *prevention.POSTS,
]

SCHEDULED = {
    "slug": "reader-survey-results",
    "title": "What you told us: the first Cancer Blog reader survey",
    "kind": "news",
    "go_live_in_days": 3,
    "contributors": ["marta-kowalczyk"],
    "topics": ["survivorship", "clinical-trials"],
    "audiences": ["patients", "clinicians", "researchers", "policy-makers"],
    "tags": ["reader survey", "foundation news"],
    "colours": ("rose", "slate"),
    "shape": "bands",
    "standfirst": """More than a thousand readers answered our first survey. Here is who you
        are, what you read, and what you want us to do differently.""",
    "body": [
        p(
            """Thank you to everyone who answered our first reader survey. Clinicians made up the
            largest group of respondents, followed by patients and survivors, carers and
            researchers. Many of you asked for more plain-language summaries, more posts on
            survivorship, and a weekly digest instead of individual alerts.""",
            """We have already started on all three. The full results, with the questions we
            asked, will be published with this post.""",
        ),
    ],
}

DRAFT = {
    "slug": "exercise-during-chemotherapy",
    "title": "Exercise during chemotherapy: what we know so far",
    "kind": "feature",
    "contributors": ["jonas-lindqvist"],
    "topics": ["survivorship"],
    "audiences": ["patients", "clinicians"],
    "tags": ["physical activity", "chemotherapy"],
    "colours": ("mint", "plum"),
    "shape": "circles",
    "standfirst": """Draft: a look at the research on physical activity during cancer
        treatment, and how services are putting it into practice.""",
    "body": [
        p("""Draft — not for publication. Waiting for medical review and two more interviews."""),
        h2("Outline"),
        key_points(
            "What trials have measured, and in whom",
            "Safety: who should get advice before starting",
            "What prehabilitation and rehabilitation services look like",
            title="To cover",
        ),
    ],
}

# Illustrations used inside post bodies (image blocks), keyed by the name figure() refers to.
FIGURES = {
    "stigma": {"colours": ("navy", "ochre"), "shape": "dots"},
    "fatigue": {"colours": ("lavender", "sand"), "shape": "bands"},
    "code": {"colours": ("forest green", "sky blue"), "shape": "arcs"},
}
