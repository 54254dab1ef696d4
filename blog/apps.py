from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from blog import cache
        from blog.models import Audience, Contributor, Topic
        from core import registry

        registry.refresh_pages_on_change(Topic, Contributor, Audience)
        registry.front_cache_urls(cache.post_related_urls)
        registry.front_cache_routes("blog:topic_list", "blog:contributor_list")
        registry.schedule(0, "blog.services.publish_due_posts")
