"""The articles app's models, one module per concern; everything is importable from here."""

from .desk import Autosave, FieldComment, PendingChange, StoryNote
from .pages import INFO_PAGES_CACHE_KEY, FrontPage, FrontPageStory, InfoPage, InfoPageQuerySet
from .people import (
    NAV_CACHE_KEY,
    Author,
    AuthorQuerySet,
    Section,
    SectionQuerySet,
)
from .photos import Photo
from .record import StoryChange
from .related import (
    RelatedArticle,
    RelatedExclusion,
    RelatedExplanation,
    RelatedIndexChunk,
    RelatedIndexSnapshot,
    RelatedPin,
    StoryEmbedding,
)
from .stories import Article, ArticleQuerySet, Byline, SlugRedirect, TaggedArticle, public_tags

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "AuthorQuerySet",
    "Autosave",
    "Byline",
    "FieldComment",
    "FrontPage",
    "FrontPageStory",
    "INFO_PAGES_CACHE_KEY",
    "InfoPage",
    "InfoPageQuerySet",
    "NAV_CACHE_KEY",
    "PendingChange",
    "Photo",
    "RelatedArticle",
    "RelatedExclusion",
    "RelatedExplanation",
    "RelatedIndexChunk",
    "RelatedIndexSnapshot",
    "RelatedPin",
    "Section",
    "SectionQuerySet",
    "SlugRedirect",
    "StoryChange",
    "StoryEmbedding",
    "StoryNote",
    "TaggedArticle",
    "public_tags",
]
