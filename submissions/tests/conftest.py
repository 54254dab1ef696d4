import pytest


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploaded files land in a fresh directory per test, public and private apart."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _site(site_tree):
    """Every submission test runs on a site with a home page and a blog."""
    return site_tree


@pytest.fixture
def editor(make_user):
    return make_user("editor", "Editors", first_name="Eva", last_name="Editor")
