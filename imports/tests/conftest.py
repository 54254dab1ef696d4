"""Fixtures for the importer's tests: a real local HTTP server with real image bytes, and small
WordPress exports written to files."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import pytest
from PIL import Image as PILImage


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Imported images land in a fresh directory per test: tests that look at what was stored
    must not see another test's files (the suite runs in several processes)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _local_server_allowed(settings):
    """The test server below is on 127.0.0.1, which imports refuse unless the operator allows
    it (test_image_addresses.py checks the refusal without this)."""
    settings.IMPORT_ALLOWED_HOSTS = ["127.0.0.1"]


def image_bytes(fmt="PNG", size=(40, 30), color=(200, 30, 60)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        route = self.server.routes.get(self.path)
        self.server.hits.append(self.path)
        if route is None:
            self.send_error(404)
            return
        status, headers, body, delay = route
        if delay:
            time.sleep(delay)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class LocalServer:
    """A real HTTP server on 127.0.0.1; `serve(path, body, ...)` adds a route."""

    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.routes, self.httpd.hits = {}, []
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def hits(self):
        return self.httpd.hits

    def serve(self, path, body=b"", *, status=200, content_type="image/png", delay=0, headers=None):
        self.httpd.routes[path] = (
            status,
            {"Content-Type": content_type, **(headers or {})},
            body,
            delay,
        )
        return self.url + path

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def http_server():
    server = LocalServer()
    yield server
    server.close()


# Small WordPress exports ---------------------------------------------------------------------


def cdata(text):
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wxr_item(
    wp_id,
    title="A post",
    *,
    post_type="post",
    status="publish",
    content="<p>Some words about cancer care.</p>",
    excerpt="",
    slug=None,
    link=None,
    creator="ana",
    date="2021-03-04 10:00:00",
    parent=0,
    password="",
    sticky=False,
    comment_status="open",
    attachment_url="",
    terms=(),
    meta=None,
    comments=(),
    base="https://old.example.org",
):
    """One <item>; `terms` are (taxonomy, slug, name), `comments` raw <wp:comment> strings."""
    slug = f"post-{wp_id}" if slug is None else slug
    link = link if link is not None else f"{base}/{date[:4]}/{date[5:7]}/{slug}/"
    terms_xml = "".join(
        f'<category domain="{t}" nicename="{escape(s)}">{cdata(n)}</category>' for t, s, n in terms
    )
    meta_xml = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in (meta or {}).items()
    )
    return f"""
<item>
  <title>{cdata(title)}</title>
  <link>{escape(link)}</link>
  <pubDate>Thu, 04 Mar 2021 10:00:00 +0000</pubDate>
  <dc:creator>{cdata(creator)}</dc:creator>
  <guid isPermaLink="false">{base}/?p={wp_id}</guid>
  <description></description>
  <content:encoded>{cdata(content)}</content:encoded>
  <excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
  <wp:post_id>{wp_id}</wp:post_id>
  <wp:post_date>{cdata(date)}</wp:post_date>
  <wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>
  <wp:post_modified>{cdata(date)}</wp:post_modified>
  <wp:post_modified_gmt>{cdata(date)}</wp:post_modified_gmt>
  <wp:comment_status>{cdata(comment_status)}</wp:comment_status>
  <wp:ping_status>{cdata("open")}</wp:ping_status>
  <wp:post_name>{cdata(slug)}</wp:post_name>
  <wp:status>{cdata(status)}</wp:status>
  <wp:post_parent>{parent}</wp:post_parent>
  <wp:menu_order>0</wp:menu_order>
  <wp:post_type>{cdata(post_type)}</wp:post_type>
  <wp:post_password>{cdata(password)}</wp:post_password>
  <wp:is_sticky>{1 if sticky else 0}</wp:is_sticky>
  {f"<wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>" if attachment_url else ""}
  {terms_xml}{meta_xml}{"".join(comments)}
</item>"""


def wxr_comment(wp_id, content="A comment.", *, parent=0, author="Reader", approved="1"):
    return f"""
<wp:comment>
  <wp:comment_id>{wp_id}</wp:comment_id>
  <wp:comment_author>{cdata(author)}</wp:comment_author>
  <wp:comment_author_email>{cdata("reader@example.net")}</wp:comment_author_email>
  <wp:comment_author_url></wp:comment_author_url>
  <wp:comment_author_IP>{cdata("192.0.2.1")}</wp:comment_author_IP>
  <wp:comment_date>{cdata("2021-03-05 09:00:00")}</wp:comment_date>
  <wp:comment_date_gmt>{cdata("2021-03-05 09:00:00")}</wp:comment_date_gmt>
  <wp:comment_content>{cdata(content)}</wp:comment_content>
  <wp:comment_approved>{cdata(approved)}</wp:comment_approved>
  <wp:comment_type>{cdata("comment")}</wp:comment_type>
  <wp:comment_parent>{parent}</wp:comment_parent>
  <wp:comment_user_id>0</wp:comment_user_id>
</wp:comment>"""


DEFAULT_AUTHORS = (("ana", "ana@old.example.org", "Ana Ribeiro", 1),)


def wxr_export(items=(), *, authors=DEFAULT_AUTHORS, categories=(), tags=(), base=None):
    """A whole export; `authors` are (login, email, display name, id), `categories`
    (slug, name, parent slug, id), `tags` (slug, name)."""
    base = base or "https://old.example.org"
    authors_xml = "".join(
        f"<wp:author><wp:author_id>{i}</wp:author_id>"
        f"<wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata('')}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata('')}</wp:author_last_name></wp:author>"
        for login, email, name, i in authors
    )
    categories_xml = "".join(
        f"<wp:category><wp:term_id>{i}</wp:term_id>"
        f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
        for slug, name, parent, i in categories
    )
    tags_xml = "".join(
        f"<wp:tag><wp:term_id>{100 + n}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
        f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>"
        for n, (slug, name) in enumerate(tags)
    )
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old blog</title>
  <link>{base}</link>
  <description>An old blog</description>
  <language>en-GB</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{base}</wp:base_site_url>
  <wp:base_blog_url>{base}</wp:base_blog_url>
  {authors_xml}{categories_xml}{tags_xml}
  {"".join(items)}
</channel>
</rss>
"""


@pytest.fixture
def write_export(tmp_path):
    """Write an export made of `items` (and wxr_export keywords) to a file; returns its path."""
    counter = iter(range(1, 1000))

    def write(items=(), **kwargs):
        path = tmp_path / f"blog_{next(counter)}.xml"
        path.write_text(wxr_export(items, **kwargs), encoding="utf-8")
        return path

    return write
