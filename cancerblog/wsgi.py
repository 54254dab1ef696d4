import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cancerblog.settings")

from core.pagecache import StoredPages  # noqa: E402  (after the settings are chosen)

# Stored pages are answered before Django's handler runs (issue 14, core.pagecache).
application = StoredPages(get_wsgi_application())
