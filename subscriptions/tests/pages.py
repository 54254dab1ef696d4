"""Steps the subscription tests share: read a page's CSRF token, post one of its forms."""

import re


def csrf_token_in(response):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert found, "no CSRF token on the page"
    return found.group(1)


def post_form(browser, url, data):
    """Open the page, then post one of its forms with the page's CSRF token."""
    token = csrf_token_in(browser.get(url))
    return browser.post(url, {**data, "csrfmiddlewaretoken": token})
