"""Work a web worker would otherwise do on its first request, done once before forking.

gunicorn loads the application in its master process and forks the workers from it
(`preload_app`). What the application imports or compiles lazily on a first request (the
URLconf and every view module it names, the Redis client, each template) would be done again
by every new worker, and a worker replaced after `max_requests` answered its first request in
100-150 ms instead of 1. Doing it in the master before the fork leaves it in memory the
workers share.

Then everything the master holds (about 290,000 objects: Django, Wagtail, the templates) is
moved out of the garbage collector's sight with `gc.freeze()`. Otherwise each worker's full
collections walk all of it, 185 ms each on this machine, which a reader whose request arrives
then waits out; and walking it writes to every object's header, which copies the pages the
workers would otherwise share with the master.
"""

import gc
import logging
import time
from pathlib import Path

from django.template import TemplateSyntaxError, engines
from django.urls import resolve

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def template_names(engine):
    """The names of every template the engine finds in its directories (app ones included)."""
    names = set()
    for directory in engine.template_dirs:
        root = Path(directory)
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                names.add(path.relative_to(root).as_posix())
    return sorted(names)


def compile_templates():
    """Load every template through the cached loaders; returns how many compiled."""
    compiled = 0
    for engine in engines.all():
        for name in template_names(engine):
            try:
                engine.get_template(name)
            except TemplateSyntaxError:
                # A partial meant to be included in a particular context (or a third-party
                # template for an app that is not installed): it compiles when it is used.
                continue
            compiled += 1
    return compiled


def warm_up():
    started = time.perf_counter()
    resolve("/")  # imports the URLconf and every view module it names
    try:
        import redis  # noqa: F401  (django's Redis cache imports it on first use)
    except ImportError:
        pass
    compiled = compile_templates()
    gc.collect()
    gc.freeze()
    elapsed = (time.perf_counter() - started) * 1000
    logger.info(
        "warmed up before forking: %d templates in %.0f ms, %d objects frozen",
        compiled,
        elapsed,
        gc.get_freeze_count(),
    )
    return compiled
