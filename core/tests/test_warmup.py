"""core/warmup.py: what gunicorn's master does before forking the workers."""

import gc
import logging

from django.template import engines

from core.warmup import compile_templates, template_names, warm_up


def cached_names():
    engine = engines["django"].engine
    (loader,) = engine.template_loaders
    return {key.split("-")[0] for key in loader.get_template_cache}


def test_every_template_is_compiled_before_a_request_asks_for_it(settings, caplog):
    engine = engines["django"].engine
    (loader,) = engine.template_loaders
    loader.reset()

    with caplog.at_level(logging.INFO, logger="core.warmup"):
        try:
            compiled = warm_up()
            frozen = gc.get_freeze_count()
        finally:
            gc.unfreeze()  # this test process goes on: its objects may be collected again

    names = template_names(engines["django"])
    assert "base.html" in names and "pages/post_page.html" in names
    assert compiled > 100
    assert {"base.html", "pages/post_page.html", "comments/comment.html"} <= cached_names()
    assert f"warmed up before forking: {compiled} templates" in caplog.text
    # Everything loaded so far is out of the collector's sight, so a worker's full collection
    # walks only what it made itself.
    assert frozen > 100_000
    assert f"{frozen} objects frozen" in caplog.text


def test_a_template_that_does_not_compile_alone_is_skipped(settings, tmp_path):
    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "fine.txt").write_text("hello {{ name }}")
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
            "APP_DIRS": False,
        }
    ]
    # Changing TEMPLATES makes Django's test signals reset the engines, now and after.
    assert compile_templates() == 1
