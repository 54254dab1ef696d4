from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from blog.models.pages import CARD_ANNOTATIONS
        from comments import cache
        from comments.models import Comment, post_comment_count
        from core import registry

        post_save.connect(cache.comment_saved, sender=Comment, dispatch_uid="pagecache.comment")
        post_delete.connect(
            cache.comment_deleted, sender=Comment, dispatch_uid="pagecache.comment.del"
        )
        CARD_ANNOTATIONS["comment_count"] = post_comment_count
        registry.schedule(300, "comments.moderation.alert_if_comments_waiting")
        registry.schedule(3600, "comments.privacy.purge_expired")
