"""The old site's addresses keep working: a permanent redirect to the imported story.

Two kinds of old address lead to a story: the path of the post's link
(``/2026/01/06/carney-paris-talks/``) and WordPress's short link ``/?p=<post id>``. Only
published stories are redirected to, so an old address never reveals a draft: it stays a
404 until the story is published, and ``/?p=<id>`` of a draft (or of no post at all) is a
404 like any unpublished story, not the home page.

Old tag and category pages (``/tag/<slug>/``, ``/category/<parent>/<slug>/``, and
Polylang's ``/fr/…`` forms) lead to the tag or section page they became
(``LegacyTermAddress``).
"""

from django.http import Http404, HttpResponsePermanentRedirect

from articles.models import Article

from .models import LegacyAddress, LegacyTermAddress, WordPressPost

_SHORT_LINK_PATHS = {"/", "/index.php"}


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
            target = LegacyTermAddress.objects.live_target(request.path)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        return response


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
