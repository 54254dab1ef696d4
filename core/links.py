from django.conf import settings


def absolute(url):
    """A root-relative URL made absolute against BASE_URL; absolute URLs are left alone."""
    return settings.BASE_URL + url if url.startswith("/") else url
