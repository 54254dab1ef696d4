"""Where authors' files live.

Photos go to the public media storage under a random name. Original Word documents and the
images taken out of them are unpublished work: they go to PRIVATE_MEDIA_ROOT, a directory the
web server must not serve (it has no URL), and reach the author only through the signed status
link and the editor only through the admin.
"""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """File storage under settings.PRIVATE_MEDIA_ROOT, read at use so tests can move it."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage


def random_name(folder, extension):
    """A path that says nothing about the author or the original file name."""
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def photo_path(instance, filename):
    return random_name("submissions/photos", "jpg")


def original_path(instance, filename):
    return random_name("submissions/originals", "docx")


def image_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return random_name("submissions/images", extension if extension in ("png", "jpg") else "png")
