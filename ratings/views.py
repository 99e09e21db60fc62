"""Ratings endpoints: the live summary (JSON), the vote, and the reader's own-vote stylesheet.

The story page itself is cached and the same for every reader; everything that depends on
who is asking is served here, uncached.
"""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from newsroom import metrics

from .addresses import address_hash, client_address
from .forms import VoteForm
from .limits import address_cap, over_rate_limit
from .models import (
    LOW_STARS,
    AddressCapReached,
    RatingSummary,
    StoryNotFound,
    Vote,
    record_vote,
)
from .origins import is_same_origin, passes_token_check
from .voters import ensure_voter, new_voter_id, remember_voter, voter_id

# Votes recorded (a reader's second vote on a story counts again); Prometheus' rate() of it
# is the votes per second (docs/operations/runbook.md).
VOTES = metrics.counter("newsroom_votes_total", "Votes recorded by the vote endpoint.")


def _published_article(article_id):
    return get_object_or_404(
        Article.objects.published().only("pk", "slug", "headline"), pk=article_id
    )


def _own_stars(request, article_id):
    voter = voter_id(request)
    if voter is None:
        return None
    return (
        Vote.objects.filter(article_id=article_id, voter=voter)
        .values_list("stars", flat=True)
        .first()
    )


def _summary_data(summary):
    return {
        **summary.as_dict(),
        "average_display": number_format(summary.display_average),
    }


@never_cache  # private, no-store: the answer depends on the reader's cookie
@require_GET
def summary(request, article_id):
    """Live numbers, the reader's own vote and a CSRF token for ratings.js."""
    article = _published_article(article_id)
    data = _summary_data(RatingSummary.for_article_id(article.pk))
    data.update(your_vote=_own_stars(request, article.pk), csrf_token=get_token(request))
    return ensure_voter(request, JsonResponse(data))


@never_cache
@require_GET
def own_vote_css(request, article_id):
    """Shows the reader's own vote on the cached page when JavaScript is off.

    Linked from a ``<noscript>`` in the ratings block: the page's HTML stays the same for
    everybody, and this small uncached stylesheet reveals the matching "You rated…" line.
    """
    article = _published_article(article_id)
    stars = _own_stars(request, article.pk)
    css = ""
    if stars:
        css = (
            f".ratings-yours--{stars} {{ display: block; }}\n"
            f".ratings-star:nth-of-type(-n+{stars}) label {{ color: var(--rating-star); }}\n"
        )
    return ensure_voter(request, HttpResponse(css, content_type="text/css; charset=utf-8"))


FORGERY = _lazy(
    "Your vote could not be checked as coming from this site. Please vote from the story page."
)
NO_SUCH_STORY = _lazy("There is no such story.")
TOO_FAST = _lazy(
    "You have voted too many times in a short while. Please wait a minute and try again."
)
NETWORK_CAP = _lazy(
    "Too many votes on this story have come from your network recently. Thank you for "
    "reading; please try again later."
)


@csrf_exempt  # checked first thing below: Django's token for fetch(), origin for the form
@require_POST
@never_cache
def vote(request, article_id):
    """Record a vote, answering in the language of the page that sent it.

    ``/ratings/`` has no language prefix, so the form says its page's language; without
    it (or with an unknown one), the site's default.
    """
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return _vote(request, article_id)


def _vote(request, article_id):
    """Record a vote: JSON for ratings.js, a redirect back to the story for the plain form.

    The story is checked inside the vote's own statements (``record_vote``), not by a query
    before them; a refused vote looks the story up, so a story readers cannot see answers
    404 whatever else is wrong with the vote.
    """
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not (passes_token_check(request) if wants_json else is_same_origin(request)):
        return _problem(request, wants_json, 403, FORGERY)
    address = address_hash(client_address(request))
    if over_rate_limit(address):
        return _refused(request, wants_json, article_id, 429, TOO_FAST, retry_after=60)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, wants_json, article_id, 400, form.first_error())

    voter = voter_id(request)
    new_voter = voter is None
    if new_voter:
        voter = new_voter_id()
    stars, feedback = form.cleaned_data["stars"], form.cleaned_data["feedback"]
    try:
        recorded = record_vote(
            article_id,
            voter,
            stars,
            address,
            feedback=feedback,
            address_cap=address_cap(),
            new_voter=new_voter,
        )
    except StoryNotFound:
        return _no_such_story(request, wants_json)
    except AddressCapReached:
        return _refused(request, wants_json, article_id, 429, NETWORK_CAP)
    VOTES.inc()

    if wants_json:
        data = _summary_data(recorded.summary)
        if feedback and stars <= LOW_STARS:
            message = _("Thank you: your rating and your comments have been sent to our editors.")
        else:
            message = _("Thank you for rating this story.")
        data.update(your_vote=stars, message=message)
        response = JsonResponse(data)
    else:
        response = redirect(f"{recorded.story.get_absolute_url()}#ratings-thanks")
        response.status_code = 303  # "see other": the browser follows with a GET
    remember_voter(response, voter)
    return response


def _no_such_story(request, wants_json):
    if wants_json:
        return _problem(request, wants_json, 404, NO_SUCH_STORY)
    raise Http404(NO_SUCH_STORY)


def _refused(request, wants_json, article_id, status, message, retry_after=None):
    """A vote refused before it was stored: 404 if readers cannot see the story, else ``status``."""
    try:
        article = _published_article(article_id)
    except Http404:
        return _no_such_story(request, wants_json)
    return _problem(request, wants_json, status, message, article, retry_after)


def _problem(request, wants_json, status, message, article=None, retry_after=None):
    """A refused vote: a JSON error for ratings.js, a short page for the plain form."""
    if wants_json:
        response = JsonResponse({"error": str(message)}, status=status)
    else:
        context = {"message": message, "article": article}
        response = render(request, "ratings/vote_problem.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
