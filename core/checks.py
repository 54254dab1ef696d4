"""System checks of our own: what `manage.py check --deploy` says about production settings."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs=None, **kwargs):
    """Each gunicorn worker (and each host) keeps its own local-memory cache, a file cache is
    not shared between hosts, and the dummy cache keeps nothing: cached pages and comment
    threads are then made again by every worker. Limits and one-off claims live in the database
    and hold anyway, but production wants Redis (or memcached, or the database cache)."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            f"The cache ({backend.rsplit('.', 1)[-1]}) is not shared between processes.",
            hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1, so every "
            "web worker and host shares the cached pages.",
            id="core.W001",
        )
    ]
