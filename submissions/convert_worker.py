"""Run as `python -m submissions.convert_worker`: a .docx on stdin, JSON on stdout.

A separate process, so a hostile document that makes the converter loop or swell can be
killed at the time limit and cannot take the task worker's memory with it.
"""

import base64
import json
import sys

MEMORY_LIMIT = 1024 * 1024 * 1024


def _limit_memory():
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):  # not on this platform: the time limit remains
        pass


def main():
    _limit_memory()
    from submissions.documents import DocumentError, convert_docx

    data = sys.stdin.buffer.read()
    try:
        converted = convert_docx(data)
    except DocumentError as error:
        result = {"ok": False, "message": error.message}
    else:
        result = {
            "ok": True,
            "html": converted.html,
            "messages": converted.messages,
            "images": [
                {
                    "name": image.name,
                    "content_type": image.content_type,
                    "alt": image.alt,
                    "data": base64.b64encode(image.data).decode("ascii"),
                }
                for image in converted.images
            ],
        }
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
