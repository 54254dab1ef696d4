"""What the restore tests share: a site worth backing up, and `manage.py` run as an operator
would, in a process of its own pointed at another database and other media folders."""

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage

ROOT = Path(__file__).resolve().parents[2]
RESULT = "RESULT:"
SUBSCRIBERS = ["ana@example.org", "ben@example.org", "chloe@example.org"]


def seed_site(make_post, tmp_path):
    """Posts with an image, comments, subscribers alerted once (the delivery ledger), and a
    guest submission whose original Word file is private. Returns the alerted post."""
    from wagtail.images.models import Image

    from comments.models import Comment, Commenter
    from submissions.models import Submission
    from subscriptions.models import Delivery, Subscriber

    for email in SUBSCRIBERS:
        Subscriber.objects.create(email=email, status=Subscriber.Status.CONFIRMED)
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 700), (30, 110, 140)).save(buffer, "JPEG")
    image = Image.objects.create(title="Day unit", file=ImageFile(buffer, name="day-unit.jpg"))
    make_post(title="An older post", at=timezone.now() - timezone.timedelta(days=30))
    # Published now: its alert goes out at once (tasks run immediately in the tests).
    post = make_post(
        title="Survivorship clinics across Europe",
        at=None,
        hero_image=image,
        hero_alt="A nurse at a day unit",
    )
    sent = Delivery.objects.filter(mailing__post=post, status=Delivery.Status.SENT).count()
    assert sent == len(SUBSCRIBERS), "the alert should have gone out before the backup"
    commenter = Commenter.objects.create(
        name="Hanna K.", email="hanna@example.org", confirmed_at=timezone.now()
    )
    Comment.objects.create(
        post=post,
        commenter=commenter,
        author_name="Hanna K.",
        body="Being believed was the first step. Thank you for this.",
        status=Comment.Status.APPROVED,
        approved_at=timezone.now(),
    )
    Submission.objects.create(
        name="Dr Lena Novak",
        email="lena@example.org",
        title="What the day unit taught me",
        standfirst="Twelve years of small kindnesses.",
        body_source="docx",
        original=ContentFile(b"PK\x03\x04 a Word file, private", name="post.docx"),
        conflicts_of_interest="None",
        funding="None",
    )
    return post


def files_under(root):
    """{relative path: sha256} of every file under `root`."""
    root = Path(root)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def environment(tmp_path, database_url, media, private, **extra):
    """A production-like environment for a child process; nothing it writes leaves tmp_path."""
    return {
        **os.environ,
        "SECRET_KEY": settings.SECRET_KEY,
        "TASKS_BACKEND": "immediate",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(private),
        "CACHE_URL": "locmemcache://backup-test",
        "PAGE_CACHE_GENERATION_FILE": str(tmp_path / "pagecache-generation"),
        "EMAIL_URL": "smtp://127.0.0.1:9",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(env, *args, stdin=None, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=300,
    )
    if check and result.returncode:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed:\n{result.stdout.decode()}\n"
            f"{result.stderr.decode()}"
        )
    return result


def run_python(env, code):
    """Run `code` in `manage.py shell`; it ends with result(value). Returns the value."""
    prologue = f"import json\ndef result(value): print({RESULT!r} + json.dumps(value))\n"
    output = manage(env, "shell", "--no-startup", "-c", prologue + code).stdout.decode()
    line = next(line for line in output.splitlines() if line.startswith(RESULT))
    return json.loads(line.removeprefix(RESULT))


RENDER = """
from django.test import Client, override_settings

storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
pages = {}
with override_settings(STORAGES=storages, PAGE_CACHE=False):
    client = Client()
    for path in PATHS:
        response = client.get(path)
        pages[path] = [response.status_code, response.content.decode()]
result(pages)
"""


def render(env, paths):
    """{path: [status, body]} as the site in `env` serves them to an anonymous reader."""
    code = "from django.conf import settings\n" + f"PATHS = {list(paths)!r}\n" + RENDER
    return run_python(env, code)


RESEND = """
from blog.models import PostPage
from blog.services import add_post
from subscriptions import sending
from subscriptions.models import Mailing

# Everything that could send the old alert again: publishing its post again, the stalled
# mailing check the scheduler runs, and a sender run over every mailing in the ledger.
post = PostPage.objects.get(pk=POST)
post.save_revision().publish()
sending.resume_stalled()
for pk in Mailing.objects.values_list("pk", flat=True):
    sending.send_mailing(pk)
"""

PUBLISH_NEW = """
from blog.models import BlogIndexPage, Contributor

index = BlogIndexPage.objects.get()
add_post(
    index,
    title="A post published after the restore",
    standfirst="News, after the restore.",
    contributors=[Contributor.objects.first()],
)
result("done")
"""
