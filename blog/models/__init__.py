from .glossary import GlossaryTerm
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
    "GlossaryTerm",
    "HomePage",
    "PostContributor",
    "PostCorrection",
    "PostPage",
    "PostTag",
    "StandardPage",
    "Topic",
]
