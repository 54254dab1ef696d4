"""Optional Akismet spam check, used only when an API key is configured."""

import http.client
import logging
import re
import urllib.parse
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://rest.akismet.com/1.1/comment-check"
TIMEOUT_SECONDS = 3
SPAM, HAM, UNKNOWN = "spam", "ham", "unknown"
KEY_PATTERN = re.compile(r"[A-Za-z0-9]{1,64}")  # it may become part of a host name
UNKNOWN_REASON = "the Akismet spam check did not answer"


def api_key():
    return getattr(settings, "AKISMET_API_KEY", "") or ""


def enabled():
    return bool(api_key())


def endpoint(key):
    """The comment-check URL; "{key}" in the setting stands for the key (the older
    key-as-subdomain form). The key also travels as api_key, which both forms accept."""
    url = getattr(settings, "AKISMET_ENDPOINT", "") or DEFAULT_ENDPOINT
    return url.replace("{key}", key)


def akismet_verdict(
    *,
    user_ip,
    user_agent="",
    author="",
    email="",
    content="",
    permalink="",
    comment_type="comment",
    timeout=TIMEOUT_SECONDS,
):
    """Akismet's opinion of a submission: SPAM, HAM or UNKNOWN.

    UNKNOWN (no valid key, no answer in time, or an answer we don't understand) means: don't
    call it spam, but hold the comment for a moderator with UNKNOWN_REASON.
    """
    key = api_key()
    if not KEY_PATTERN.fullmatch(key):
        if key:
            logger.warning("AKISMET_API_KEY is not a valid key: no spam check was made")
        return UNKNOWN
    fields = {
        "api_key": key,
        "blog": settings.BASE_URL,
        "user_ip": user_ip,
        "user_agent": user_agent,
        "permalink": permalink,
        "comment_type": comment_type,
        "comment_author": author,
        "comment_author_email": email,
        "comment_content": content,
        "blog_lang": "en",
        "blog_charset": "UTF-8",
    }
    request = urllib.request.Request(
        endpoint(key),
        data=urllib.parse.urlencode(fields).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": "TheCancerBlog/1.0 | Akismet comment check",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(64).decode("utf-8", "replace").strip()
            debug = response.headers.get("X-akismet-debug-help", "")
    # URLError, HTTPError and timeouts are OSErrors; a garbled reply is an HTTPException.
    except (OSError, ValueError, http.client.HTTPException) as error:
        logger.warning("Akismet check failed: %s", error)
        return UNKNOWN
    if answer == "true":
        return SPAM
    if answer == "false":
        return HAM
    logger.warning("Akismet gave an unexpected answer %r %s", answer[:20], debug)
    return UNKNOWN
