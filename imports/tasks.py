"""Background work for imports: an import started from the admin, and what saving each page
would have started, done once after an import."""

from django.tasks import task

from imports import jobs

CHUNK = 200


@task()
def refresh_imported_pages(page_ids, changed_ids=()):
    """Index the pages an import wrote in bulk (search index, reference index: their
    post_save handlers did not run) and tell the caches about them and about the posts whose
    comments changed. Idempotent: indexing a page twice gives the same entries."""
    from modelsearch.backends import get_search_backends
    from wagtail.models import Page, ReferenceIndex

    from core import pagecache
    from core.signals import front_cache_enabled, purge_front_cache

    pagecache.invalidate()
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(page_ids), CHUNK):
        pages = list(Page.objects.filter(pk__in=page_ids[start : start + CHUNK]).specific())
        by_model = {}
        for page in pages:
            by_model.setdefault(type(page), []).append(page)
        for model, objects in by_model.items():
            for backend in backends:
                backend.add_bulk(model, objects)
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
    if front_cache_enabled():
        ids = [*page_ids, *changed_ids]
        for start in range(0, len(ids), CHUNK):
            purge_front_cache(pages=list(Page.objects.filter(pk__in=ids[start : start + CHUNK])))


@task()
def run_import(job_id):
    """An import started from the admin (imports.jobs): once, however often it is queued."""
    return jobs.run_job(job_id)
