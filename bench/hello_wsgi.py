"""The "hello" ceiling for bench/web.py: the least a WSGI app can do under the same gunicorn.

It answers every request with a short HTML page and touches neither Django nor the database,
so its requests per second are what gunicorn, the network stack and wrk allow on this machine.

With BENCH_HELLO_BODY naming a file, it answers with that file's bytes instead (read once, at
import): the same ceiling for a page of that size, e.g. the post with 200 comments.
"""

import os
from pathlib import Path

BODY = (
    Path(os.environ["BENCH_HELLO_BODY"]).read_bytes()
    if os.environ.get("BENCH_HELLO_BODY")
    else b"<!doctype html><title>Hello</title><p>Hello, world.</p>\n"
)
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
