import pytest


@pytest.fixture(params=["post", "page"])
def make_commentable(request, make_post, make_page):
    """Make a post, or a standard page open to comments: the specs that use this hold for both."""
    if request.param == "post":
        return make_post
    return lambda **fields: make_page(comment_mode="open", **fields)
