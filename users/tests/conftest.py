import pytest


@pytest.fixture
def staff(make_user):
    return make_user("editor", "Editors")
