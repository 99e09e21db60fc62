"""What the readers' pages call for ratings (``newsroom.templating`` hands them over)."""

import functools

from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from articles import languages
from ratings.models import RatingSummary, top_rated


def rating_summary_for(article):
    """The story's rating summary (an all-zero one when nobody has voted yet)."""
    try:
        return article.rating_summary
    except RatingSummary.DoesNotExist:
        return RatingSummary.empty(article.pk)


def rating_average(summary):
    """The average as the page's language writes it: "4.6" in English, "4,6" in French, and a
    plain "0" before the first vote. ratings.js writes it the same way after a vote."""
    if not summary.vote_count:
        return number_format(0)
    return number_format(summary.rounded_average, decimal_pos=1)


def vote_count(votes):
    """A vote count with the page's language's thousands separator: "1,234", "1\xa0234"
    (a no-break space, so the number never breaks across lines)."""
    return number_format(votes, force_grouping=True)


def top_rated_this_week():
    """Stories of the last seven days readers rated highest, in the page's language (one
    query; see ``top_rated``)."""
    return top_rated(timezone.now(), language=languages.current())


def rating_stars():
    """``(stars, label, "you rated" sentence)`` for 1 to 5 stars, in the current language."""
    return _star_texts(translation.get_language())


@functools.cache
def _star_texts(language):
    # The same ten sentences on every story page: translated once per language, not per page.
    with translation.override(language):
        return [
            (
                stars,
                ngettext("%(stars)s star", "%(stars)s stars", stars) % {"stars": stars},
                gettext("You rated this story %(stars)s out of 5.") % {"stars": stars},
            )
            for stars in range(1, 6)
        ]


TEMPLATE_GLOBALS = {
    "rating_summary_for": rating_summary_for,
    "rating_average": rating_average,
    "vote_count": vote_count,
    "rating_stars": rating_stars,
    "top_rated_this_week": top_rated_this_week,
}
