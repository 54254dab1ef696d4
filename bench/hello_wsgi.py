"""The "hello" ceiling for bench/web.py: the least a WSGI app can do under the same gunicorn.

It answers every request with a short HTML page and touches neither Django nor the database,
so its requests per second are what gunicorn, the network stack and wrk allow on this machine.
"""

BODY = b"<!doctype html><title>Hello</title><p>Hello, world.</p>\n"
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
