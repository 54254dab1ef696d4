"""gunicorn settings for The Cancer Blog:

    gunicorn -c deploy/gunicorn.conf.py cancerblog.wsgi

Options given on the command line (e.g. --bind, --workers) win over these. Environment:
BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (worker processes, default 2 x cores + 1),
GRACEFUL_TIMEOUT (seconds, default 30).
"""

import os
from pathlib import Path

import environ
from gunicorn.glogging import Logger

# The same .env file the settings read (values already in the environment win).
environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env", overwrite=False)


def _cores():
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, taskset)
    except AttributeError:
        return os.cpu_count() or 1


wsgi_app = "cancerblog.wsgi"
bind = os.environ.get("BIND", "127.0.0.1:8000")

# Synchronous workers, two per core plus one: a request spends part of its time waiting on
# PostgreSQL or Redis, and a second worker per core uses the CPU meanwhile; the extra one
# keeps a core busy while another worker restarts. More than that only adds memory
# (about 100 MB each) and contention for the database connections.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cores() + 1))
worker_class = "sync"
# The application is loaded once, before the workers are forked (issue 14): a worker replaced
# after max_requests starts in milliseconds instead of importing Django and Wagtail again for
# a second or more of CPU, which under load took that time from the workers serving pages.
# Nothing opens a database or cache connection at import, so no socket is shared by forks.
# A deploy therefore restarts gunicorn (`systemctl restart`): SIGHUP (`reload`) would fork new
# workers from the master's old copy of the code.
preload_app = True

# A request that takes longer than this is stuck: its worker is killed and replaced.
timeout = 30
# On SIGTERM (a deploy, a host going down) workers stop accepting, finish the requests they
# hold and exit; after graceful_timeout seconds the rest are killed. The load balancer stops
# sending here as soon as /healthz fails or the port closes.
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", 30))
# Idle keep-alive connections from the proxy are kept this long.
keepalive = 5
# Workers are replaced after this many requests, so a slow memory leak never grows without
# bound. Replacing one costs about 100 ms of CPU (the old interpreter's teardown, the new one's
# first requests): at 5,000 requests, five workers serving cached pages at 4,000 a second were
# replaced every second or so, an eighth of the server's throughput (issue 14). The jitter is as
# wide as the limit: with a narrow one, workers started together reach it together, and under
# steady load all of them restarted within the same second (cached pages' p99 rose from 10 ms
# to nearly a second each time).
max_requests = 50_000
max_requests_jitter = 50_000


def when_ready(server):
    """Before the workers are forked: do what their first request would (core/warmup.py)."""
    from django.conf import settings

    if not settings.configured:  # another WSGI application than the blog's
        return
    try:
        from core.warmup import warm_up

        warm_up()
    except Exception:  # a slower first request is better than no server
        server.log.exception("warming up before forking failed")


# The worker heartbeat file is touched on every request: in memory, not on a disk that may
# block (a container's overlay filesystem, a busy or network disk).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# core.requestlog writes one JSON line per request: no access log here as well.
accesslog = None


class NoAccessLog(Logger):
    """gunicorn's logger, without its access log.

    gunicorn counts its access log as on whenever logconfig_dict (below) is set: every request's
    access line (its URL with the query string, its headers) was built, then dropped by the
    gunicorn.access logger, which has no handler. That was a tenth of a cached page's time
    (issue 14), and a reader's search terms passing through a log record for nothing.
    """

    @property
    def access_log_enabled(self):
        return False


logger_class = NoAccessLog
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn's own lines go to standard error through the filter Django's logs use: a malformed
# request line, or an error outside Django, would otherwise print the whole URL (a reader's
# secret link, a search term). This replaces --error-logfile: the error log is standard error.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "hide_bad_request_lines": {"()": "core.requestlog.HideBadRequestLines"},
        "scrub_secrets": {"()": "core.requestlog.ScrubSecrets"},
    },
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        }
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stderr",
            "filters": ["hide_bad_request_lines", "scrub_secrets"],
        }
    },
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        # No level here: gunicorn sets it from loglevel (or --log-level) before this applies.
        "gunicorn.error": {"handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}

# X-Forwarded-* headers are trusted only from the proxy on this host (FORWARDED_ALLOW_IPS
# overrides); Django reads X-Forwarded-Proto through SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Several gunicorns may run on one host; they are managed with signals, not a shared socket.
control_socket_disable = True
