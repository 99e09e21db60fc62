"""The old site's addresses keep working: a permanent redirect to the imported story.

Two kinds of old address lead to a story: the path of the post's link
(``/2026/01/06/carney-paris-talks/``) and WordPress's short link ``/?p=<post id>``. Only
published stories are redirected to, so an old address never reveals a draft: it stays a
404 until the story is published.
"""

from django.http import HttpResponsePermanentRedirect

from articles.models import Article

from .models import LegacyAddress, WordPressPost

_SHORT_LINK_PATHS = {"/", "/index.php"}


class WordPressRedirectMiddleware:
    """``/?p=123`` before the view; an old post path only once the site answered 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        post_id = request.GET.get("p", "")
        if request.path in _SHORT_LINK_PATHS and post_id.isdigit() and len(post_id) < 19:
            story = story_for_post_id(int(post_id))
            if story is not None:
                return HttpResponsePermanentRedirect(story.get_absolute_url())
        response = self.get_response(request)
        if response.status_code == 404 and request.method in {"GET", "HEAD"}:
            story = LegacyAddress.objects.live_target(request.path)
            if story is not None:
                return HttpResponsePermanentRedirect(story.get_absolute_url())
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
