import pytest


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploaded files land in a fresh directory per test, public and private apart."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
