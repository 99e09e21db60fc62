"""The newsroom's desk on the admin's front page: what waits for review, what goes out next."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article

register = template.Library()

DESK_LENGTH = 8


@register.simple_tag(takes_context=True)
def newsroom_desk(context):
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return None
    stories = Article.objects.select_related("section", "last_edited_by")
    now = timezone.now()
    return {
        "in_review": list(
            stories.filter(status=Article.Status.IN_REVIEW).order_by("updated_at")[:DESK_LENGTH]
        ),
        "scheduled": list(
            stories.filter(status=Article.Status.SCHEDULED, publish_at__gt=now).order_by(
                "publish_at"
            )[:DESK_LENGTH]
        ),
        "my_drafts": list(
            stories.filter(status=Article.Status.DRAFT, created_by=user).order_by("-updated_at")[
                :DESK_LENGTH
            ]
        ),
    }


# The desk's main places, in the bar under the header (admin/base_site.html): the admin's
# own list of models the user may open, narrowed to the ones a journalist uses every day.
DESK_PLACES = [
    ("articles", "Article"),
    ("articles", "Photo"),
    ("articles", "FrontPage"),
    ("live", "LiveEntry"),
    ("ratings", "RatingSummary"),
    ("articles", "StoryChange"),
]


@register.simple_tag(takes_context=True)
def desk_places(context):
    """(label, address, is current) for each desk place the user may open, after the desk
    page itself; empty outside the admin's pages (no ``available_apps``)."""
    apps = context.get("available_apps")
    request = context.get("request")
    if not apps or request is None:
        return []
    models = {
        (app["app_label"], model["object_name"]): model
        for app in apps
        for model in app["models"]
        if model.get("admin_url")
    }
    index = reverse("admin:index")
    places = [(_("Today’s desk"), index, request.path == index)]
    for key in DESK_PLACES:
        model = models.get(key)
        if model is not None:
            address = model["admin_url"]
            places.append((model["name"], address, request.path.startswith(address)))
    return places
