"""The public record's pages: a story's history and the corrections page.

Both read only what readers may see: stories from ``Article.objects.with_public_record()``
and, of their record, the versions already public (``StoryChange.objects.public()``).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import languages
from .diff import readable_text, word_diff
from .models import Article, InfoPage, StoryChange
from .models.record import PUBLIC_TEXT, Kind
from .paths import language_path
from .views import alternates, requested_page

# The corrections page's address; the corrections policy is the site page it replaced there.
CORRECTIONS_ROUTE = pgettext_lazy("address", "corrections/")
FIELD_LABELS = {"headline": _("Headline"), "standfirst": _("Standfirst"), "body": _("Text")}


class Entry:
    """One public version on the history page, with what changed since the one before."""

    def __init__(self, version, previous):
        self.version = version
        self.kind = Kind(version.kind).label
        self.first = previous is None
        # Its text is all a version carried over from before the record can show.
        self.text_kept = not version.carried_over or self.first
        self.changes = []
        if previous is not None and self.text_kept:
            for field in PUBLIC_TEXT:
                before = readable_text(getattr(previous, field))
                after = readable_text(getattr(version, field))
                if before != after:
                    self.changes.append((FIELD_LABELS[field], word_diff(before, after)))

    @property
    def text(self):
        """The first version's words, one paragraph per line."""
        return [
            (FIELD_LABELS[field], readable_text(getattr(self.version, field)).splitlines())
            for field in PUBLIC_TEXT
            if getattr(self.version, field)
        ]


def history(request, slug):
    """Every public version of a story, newest first, each with its difference from the
    one before it; a story readers may not see is a 404, its history too."""
    story = get_object_or_404(
        Article.objects.with_public_record()
        .in_language(languages.current())
        .select_related("section"),
        slug=slug,
    )
    versions = list(story.public_versions.public().order_by("at", "pk"))
    entries = [Entry(v, versions[i - 1] if i else None) for i, v in enumerate(versions)]
    translations = story.published_translations()
    pages = {}
    if translations:
        pages = {
            code: language_path(code, "articles:history", other.slug)
            for code, other in {story.language: story, **translations}.items()
        }
    return render(
        request,
        "articles/history.html",
        {"article": story, "entries": entries[::-1], "alternates": pages},
    )


def corrections(request):
    """The corrections policy (the site page at this address), then every correction and
    clarification of the page's language, newest first, in pages."""
    language = languages.current()
    policy = InfoPage.objects.filter(
        language=language, slug=str(CORRECTIONS_ROUTE).strip("/")
    ).first()
    found = StoryChange.objects.corrections().filter(article__language=language)
    page = requested_page(Paginator(found, settings.NEWSROOM_PAGE_SIZE), request.GET.get("page"))
    return render(
        request,
        "articles/corrections.html",
        {
            "policy": policy,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "alternates": alternates("articles:corrections"),
        },
    )
