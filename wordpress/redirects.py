"""The old site's addresses keep working: a permanent redirect to the imported story.

Two kinds of old address lead to a story: the path of the post's link
(``/2026/01/06/carney-paris-talks/``) and WordPress's short link ``/?p=<post id>``. Only
published stories are redirected to, so an old address never reveals a draft: it stays a
404 until the story is published, and ``/?p=<id>`` of a draft (or of no post at all) is a
404 like any unpublished story, not the home page.

Old tag and category pages (``/tag/<slug>/``, ``/category/<parent>/<slug>/``, and
Polylang's ``/fr/…`` forms) lead to the tag or section page they became
(``LegacyTermAddress``). The old feeds readers subscribed to (``/feed/``,
``/category/<slug>/feed/``, ``/tag/<slug>/feed/``, and their ``atom/`` forms) lead to the
matching feed here.
"""

import re

from django.http import Http404, HttpResponsePermanentRedirect

from articles import languages
from articles.models import Article
from articles.paths import in_language

from .models import LegacyAddress, LegacyTermAddress, WordPressPost

_SHORT_LINK_PATHS = {"/", "/index.php"}
# WordPress's feed addresses: /feed/, /feed/rss2/, /feed/atom/ after the site, a category or a
# tag (Polylang's /fr/ before them).
_FEED = re.compile(r"^(?P<page>(?:/[a-z]{2})?(?:/.*)?)/feed(?:/(?P<kind>rss2?|atom|rdf))?/?$")


class WordPressRedirectMiddleware:
    """``/?p=123`` before the view; an old post path only once the site answered 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        post_id = request.GET.get("p", "")
        if request.path in _SHORT_LINK_PATHS and post_id.isdigit() and len(post_id) < 19:
            story = story_for_post_id(int(post_id))
            if story is None:
                # WordPress answers an unknown or unpublished ?p= with a 404; the home page
                # with 200 would tell crawlers the address is alive.
                raise Http404("No published story has this WordPress post id.")
            return HttpResponsePermanentRedirect(story.get_absolute_url())
        response = self.get_response(request)
        if response.status_code == 404 and request.method in {"GET", "HEAD"}:
            story = LegacyAddress.objects.live_target(request.path)
            if story is not None:
                return HttpResponsePermanentRedirect(story.get_absolute_url())
            target = LegacyTermAddress.objects.live_target(request.path) or old_feed(request.path)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        return response


def old_feed(path):
    """The feed here for an old WordPress feed address, or None."""
    found = _FEED.match(path)
    if found is None:
        return None
    kind = "atom" if found.group("kind") == "atom" else "rss"
    page = found.group("page").strip("/")
    if not page or page in languages.CODES:  # the site's feed (Polylang: /fr/feed/)
        return in_language(page or languages.DEFAULT, f"articles:feed-latest-{kind}")
    return LegacyTermAddress.objects.live_target(f"/{page}/", feed=kind)


def story_for_post_id(post_id):
    """The published story imported from WordPress post ``post_id``, or None."""
    found = (
        WordPressPost.objects.filter(wp_id=post_id, article__in=Article.objects.published())
        .select_related("article")
        .only("article__slug")
        .order_by("pk")
        .first()
    )
    return found.article if found else None
