"""Demo conversations for seed_demo: a few threads, and some comments waiting for moderation."""

from django.utils import timezone

from blog.models import PostPage
from comments.models import Comment, Commenter

CONVERSATIONS = {
    "fatigue-after-cancer-interview": [
        (
            "Hanna K.",
            "hanna@example.org",
            None,
            9,
            "Two years after chemotherapy I still plan my week around my energy. Reading that "
            "this is common, and not laziness, helped more than I expected.\n\nThank you for "
            "asking about work too.",
        ),
        (
            "Dr Pieter V.",
            "pieter@example.org",
            0,
            8,
            "As a GP I see this often. Graded activity and sleep routines help many people, but "
            "the first step is simply being believed. Please raise it at every follow-up.",
        ),
        (
            "Hanna K.",
            "hanna@example.org",
            1,
            7,
            "That is exactly it: being believed. My oncologist now asks about it at each visit.",
        ),
        (
            "Sam R.",
            "sam@example.org",
            None,
            5,
            "Is there a list of fatigue services by country? It would help people outside big "
            "cities.",
        ),
    ],
    "monthly-survivorship-qa": [
        (
            "Lucia M.",
            "lucia@example.org",
            None,
            3,
            "A question for the first Q&A: how do you talk to children about a parent's cancer "
            "coming back?",
        ),
        (
            "Tomasz W.",
            "tomasz@example.org",
            0,
            2,
            "Following. We struggled with this last year; Macmillan-style leaflets helped, but we "
            "needed something for teenagers.",
        ),
    ],
    "checkpoint-inhibitors-what-changed": [
        (
            "Elif A.",
            "elif@example.org",
            None,
            12,
            "Good summary. It would be worth a follow-up on access: in some EU countries these "
            "drugs still take years to be reimbursed.",
        ),
    ],
}

PENDING = [
    (
        "speeding-up-lung-cancer-diagnosis",
        "Marco B.",
        "marco@example.org",
        "Our hospital has a rapid clinic too, but the wait for the biopsy is still the longest "
        "part. Does anyone know how the Vienna team shortened it?",
    ),
    (
        "going-back-to-work-after-cancer",
        "Ines P.",
        "ines@example.org",
        "My employer offered a phased return but nobody explained what to ask for. A checklist "
        "would be very welcome.",
    ),
]


def seed_comments(created):
    """Add the demo conversations to posts that have no comments yet."""
    now = timezone.now()
    posts = {
        p.slug: p
        for p in PostPage.objects.live().filter(slug__in=[*CONVERSATIONS, *(p[0] for p in PENDING)])
    }
    for slug, thread in CONVERSATIONS.items():
        post = posts.get(slug)
        if post is None or Comment.objects.filter(post=post).exists():
            continue
        made = []
        for name, email, parent_index, days_ago, body in thread:
            commenter, _ = Commenter.objects.get_or_create(
                email=email, defaults={"name": name, "confirmed_at": now}
            )
            at = now - timezone.timedelta(days=days_ago, hours=len(made))
            comment = Comment.objects.create(
                post=post,
                parent=made[parent_index] if parent_index is not None else None,
                commenter=commenter,
                author_name=name,
                body=body,
                status=Comment.Status.APPROVED,
                created_at=at,
                approved_at=at,
            )
            made.append(comment)
            created["comments"] += 1
    for slug, name, email, body in PENDING:
        post = posts.get(slug)
        if post is None or Comment.objects.filter(post=post).exists():
            continue
        commenter, _ = Commenter.objects.get_or_create(
            email=email, defaults={"name": name, "confirmed_at": now}
        )
        Comment.objects.create(
            post=post,
            commenter=commenter,
            author_name=name,
            body=body,
            status=Comment.Status.PENDING,
            hold_reason="first comment from this address",
        )
        created["comments"] += 1
