"""Converting an uploaded .docx under a time limit, in a child process."""

import base64
import json
import subprocess
import sys
from dataclasses import dataclass, field

from django.conf import settings

TIMED_OUT = (
    "Converting your document took too long, so we stopped. Simplify it (fewer or smaller "
    "images, no embedded objects), save it again as .docx and send it as a revision, or paste "
    "the text instead."
)
FAILED = (
    "We could not convert your document. Save it again as .docx and send it as a revision, "
    "or paste the text instead."
)


@dataclass
class Outcome:
    ok: bool
    html: str = ""
    images: list = field(default_factory=list)  # dicts: name, content_type, alt, data (bytes)
    messages: list = field(default_factory=list)


def convert_with_time_limit(data, timeout=None):
    """documents.convert_docx in a child process killed after `timeout` seconds."""
    timeout = settings.SUBMISSIONS_CONVERSION_TIMEOUT if timeout is None else timeout
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "submissions.convert_worker"],
            input=data,
            capture_output=True,
            timeout=timeout,
            cwd=settings.BASE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(ok=False, messages=[TIMED_OUT])
    try:
        result = json.loads(finished.stdout)
    except ValueError:
        return Outcome(ok=False, messages=[FAILED])
    if not result.get("ok"):
        return Outcome(ok=False, messages=[result.get("message") or FAILED])
    images = [
        {**image, "data": base64.b64decode(image["data"])} for image in result.get("images", [])
    ]
    return Outcome(ok=True, html=result["html"], images=images, messages=result["messages"])
