"""What an issue carries by default, and its subject line."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from articles import languages
from articles.frontpage import build_home
from articles.models import Article
from ratings.models import top_rated

from .models import NewsletterList

SECTION_STORIES = 6  # a section digest: the section's newest
TOP_RATED_STORIES = 3


def default_stories(newsletter_list, now):
    """The front page's lead and top stories (a section's newest for a section digest), then
    the readers' top rated, each once, published and in the list's language only."""
    language = newsletter_list.language
    if newsletter_list.kind == NewsletterList.Kind.SECTION_DIGEST and newsletter_list.section:
        picks = list(
            Article.objects.published(now)
            .in_language(language)
            .in_section(newsletter_list.section)
            .order_by("-publish_at")[:SECTION_STORIES]
        )
    else:
        home = build_home(now=now, language=language)
        picks = [story for story in [home.lead, *home.top] if story is not None]
    seen = {story.pk for story in picks}
    added = 0
    for story in top_rated(now, language=language):
        if added == TOP_RATED_STORIES:
            break
        if story.pk not in seen:
            picks.append(story)
            seen.add(story.pk)
            added += 1
    return picks


def default_subject(newsletter_list, now):
    """ "The Maple Ledger daily: Dec. 7, 2026", in the list's language."""
    local = timezone.localtime(now)
    with override(languages.django_code(newsletter_list.language)):
        return _("%(name)s: %(date)s") % {
            "name": newsletter_list.name,
            "date": formats.date_format(local, "DATE_FORMAT"),
        }
