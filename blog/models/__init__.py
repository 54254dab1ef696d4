from .pages import (
    BlogIndexPage,
    HomePage,
    PostContributor,
    PostCorrection,
    PostPage,
    PostTag,
    StandardPage,
)
from .snippets import Audience, Contributor, Topic

__all__ = [
    "Audience",
    "BlogIndexPage",
    "Contributor",
    "HomePage",
    "PostContributor",
    "PostCorrection",
    "PostPage",
    "PostTag",
    "StandardPage",
    "Topic",
]
