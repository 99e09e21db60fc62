"""The newsroom's desk on the admin's front page: what waits for review, what goes out next."""

from django import template
from django.utils import timezone

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
