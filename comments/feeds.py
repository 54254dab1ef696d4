"""An Atom feed of the published comments on one post or page."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from comments import services
from comments.models import Comment
from comments.text import render_comment
from core.links import absolute

FEED_SIZE = 50


class PostCommentsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, post_id):
        post = services.commentable_page(post_id)
        if post is None:
            raise Http404("No such post or page")
        return post

    def title(self, post):
        return f"Comments on “{post.title}” — The Cancer Blog"

    def link(self, post):
        return post.full_url + "#comments"

    def subtitle(self, post):
        return f"Readers' comments on {post.title}"

    def feed_url(self, post):
        from django.urls import reverse

        return absolute(reverse("comments:feed", args=[post.pk]))

    def items(self, post):
        comments = list(
            Comment.objects.visible()
            .filter(post=post, kind=Comment.Kind.COMMENT)
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )
        for comment in comments:
            comment.post = post
        return comments

    def item_title(self, comment):
        return f"{comment.author_name} on “{comment.post.title}”"

    def item_description(self, comment):
        return str(render_comment(comment.body))

    def item_link(self, comment):
        return f"{comment.post.full_url}#{comment.anchor}"

    def item_guid(self, comment):
        return self.item_link(comment)

    def item_author_name(self, comment):
        return comment.author_name

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.edited_at or comment.created_at
