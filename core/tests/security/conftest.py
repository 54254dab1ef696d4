import pytest


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploads land in a fresh directory per test, public and private apart, so a test can
    list every file written and prove none landed outside them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def editor(make_user):
    return make_user("sec-editor", "Editors", first_name="Eva", last_name="Editor")


@pytest.fixture
def moderator(make_user):
    return make_user("sec-mod", "Moderators", first_name="Mona", last_name="Ortiz")
