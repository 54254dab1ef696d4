"""What the home page shows, each post once: the lead story, the latest posts, the columns,
then a few more from each topic."""

from dataclasses import dataclass, field

LATEST_COUNT = 6
COLUMNS_COUNT = 3
PER_TOPIC_COUNT = 3
TOPIC_SECTIONS = 4
# The sections are filled from this many of the newest posts: the home page shows recent work,
# and its cost stays the same however many posts there are.
POOL_SIZE = 60


@dataclass
class HomeSections:
    lead: object = None
    latest: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    by_topic: list = field(default_factory=list)  # (topic, posts) pairs, freshest topic first

    def __bool__(self):
        return self.lead is not None

    def shown(self):
        """Every post on the page, in page order."""
        posts = [self.lead] if self.lead else []
        posts += self.latest + self.columns
        for _topic, topic_posts in self.by_topic:
            posts += topic_posts
        return posts


def home_sections(posts, topics, column_kind):
    """Fill the sections from `posts` (newest first, ready for cards): the newest featured post
    leads (else the newest post); no post appears twice. `topics` gives the topics' order when
    two sections' newest posts tie."""
    lead = posts.filter(featured=True).first()
    pool = list((posts.exclude(pk=lead.pk) if lead else posts)[:POOL_SIZE])
    if lead is None and pool:
        lead = pool.pop(0)
    sections = HomeSections(lead=lead)
    if lead is None:
        return sections

    shown = {lead.pk}

    def take(candidates, count):
        taken = []
        for post in candidates:
            if post.pk not in shown:
                taken.append(post)
                shown.add(post.pk)
                if len(taken) == count:
                    break
        return taken

    sections.latest = take(pool, LATEST_COUNT)
    sections.columns = take((p for p in pool if p.kind == column_kind), COLUMNS_COUNT)

    # A topic's section opens with its newest post not yet shown; freshest sections first.
    order = {topic.pk: n for n, topic in enumerate(topics)}
    by_pk = {topic.pk: topic for topic in topics}
    first_seen = {}
    for position, post in enumerate(pool):
        if post.pk in shown:
            continue
        for topic in post.topics.all():
            first_seen.setdefault(topic.pk, position)
    ranked = sorted(
        (pk for pk in first_seen if pk in by_pk), key=lambda pk: (first_seen[pk], order[pk])
    )
    for pk in ranked:
        if len(sections.by_topic) == TOPIC_SECTIONS:
            break
        chosen = take((p for p in pool if any(t.pk == pk for t in p.topics.all())), PER_TOPIC_COUNT)
        if chosen:
            sections.by_topic.append((by_pk[pk], chosen))
    return sections
