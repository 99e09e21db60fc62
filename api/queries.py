"""What the API reads: every query starts from the published querysets the pages use.

``Article.objects.published()`` is the one definition of "visible to readers"; sections,
tags and authors come from ``Section.objects.public()``, ``public_tags()`` and
``Author.objects.public()``, which are built on it. A retracted story is read through
``Article.objects.retracted()`` only to answer 410 at its own address, as its page does.
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from articles import languages
from articles.models import Article, Author, Byline, Section, TaggedArticle, public_tags

# What ?language= accepts: the stories' codes and Django's (case does not matter).
LANGUAGE_VALUES = {
    **{code: code for code in languages.CODES},
    **{languages.django_code(code): code for code in languages.CODES},
}


def language_param(request):
    """The content language ``?language=`` asks for (``en``/``fr``), or None for both."""
    value = request.query_params.get("language")
    if value is None or value == "":
        return None
    code = LANGUAGE_VALUES.get(value.strip().lower())
    if code is None:
        raise ValidationError(
            {
                "language": _("Unknown language “%(language)s”: use en-ca or fr-ca.")
                % {"language": value[:20]}
            }
        )
    return code


def stories(language=None, section=None, tag=None, author=None):
    """Published stories, newest first, with what a story in a list shows (fixed queries)."""
    found = Article.objects.published()
    if language is not None:
        found = found.in_language(language)
    if section:
        found = found.filter(section__slug=section)
    if tag:
        found = found.filter(tags__slug=tag)
    if author:
        found = found.filter(bylines__author__slug=author)
    return found.with_related_data().defer("search_vector").latest_first()


def published_story(pk=None, slug=None, language=None):
    """The published story with this id, or at this slug in ``language``, or None.

    Loaded by the story page's own loader (``articles.story_page``: ``published()`` and
    ``with_related_data()`` for one story, in its SQL spelling, one round trip), the hot path
    of an uncached answer as of the page; by id, one small query finds its address first.
    """
    from django.utils import timezone

    from articles.story_page import published_story as page_story

    now = timezone.now()
    if pk is not None:
        found = Article.objects.published(now).filter(pk=pk).values_list("slug", "language")
        found = found.first()
        if found is None:
            return None
        slug, language = found
    return page_story(slug, now, language)


def retracted_story(**lookup):
    """The retracted story at that id or address (its 410 notice), or None."""
    return Article.objects.retracted().filter(**lookup).first()


def _published(language):
    found = Article.objects.published()
    return found if language is None else found.in_language(language)


def sections(language=None):
    """Sections readers may open, each with its number of published stories."""
    counts = (
        _published(language)
        .filter(section=OuterRef("pk"))
        .order_by()
        .values("section")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = Section.objects.public()
    if language is not None:
        found = found.filter(language=language)
    return found.annotate(
        story_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    ).order_by("pk")


def _in_each_language(through, field, story_field):
    """``{"has_en": Exists(...), "has_fr": Exists(...)}``: the languages in which the tag's or
    author's public page exists (a published story of that language carries it)."""
    return {
        f"has_{code}": Exists(
            through.objects.filter(
                **{field: OuterRef("pk"), f"{story_field}__in": _published(code)}
            )
        )
        for code in languages.CODES
    }


def tags(language=None):
    """Tags on at least one published story (in ``language``), with their story counts."""
    counts = (
        TaggedArticle.objects.filter(tag=OuterRef("pk"), content_object__in=_published(language))
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        public_tags(language)
        .annotate(
            story_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0),
            **_in_each_language(TaggedArticle, "tag", "content_object"),
        )
        .order_by("slug")
    )


def authors(language=None):
    """Authors with a byline on a published story (in ``language``), with their counts."""
    counts = (
        Byline.objects.filter(author=OuterRef("pk"), article__in=_published(language))
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Author.objects.public(language)
        .annotate(
            story_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0),
            **_in_each_language(Byline, "author", "article"),
        )
        .order_by("slug")
    )


def search(query, language):
    """Published stories in ``language`` matching ``query``, best first (``articles.search``)."""
    return (
        Article.objects.published()
        .search(query, language)
        .with_related_data()
        .defer("search_vector")
    )
