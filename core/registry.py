"""What the domain apps tell core, from their AppConfig.ready(): core imports no domain app.

- refresh_pages_on_change(*models): every save or delete of these models changes public pages.
- front_cache_urls(find): find(page) gives the URLs that list a page (its topics, its authors),
  which a front cache drops with it; front_cache_routes(*names) adds listings dropped every time.
- schedule(every, path): run_scheduler calls the function at dotted `path` every N seconds
  (0: every tick), in the order apps registered them.
"""

from core import signals

scheduled_jobs = []


def refresh_pages_on_change(*models):
    for model in models:
        signals.connect_model(model)


def front_cache_urls(find):
    signals.page_url_finders.append(find)
    return find


def front_cache_routes(*names):
    signals.HUB_ROUTES.extend(names)


def schedule(every, path):
    scheduled_jobs.append((every, path))
