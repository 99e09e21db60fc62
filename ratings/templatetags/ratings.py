from django import template

from ratings.models import RatingSummary

register = template.Library()


@register.simple_tag
def rating_summary_for(article):
    """The story's rating summary (an all-zero one when nobody has voted yet)."""
    try:
        return article.rating_summary
    except RatingSummary.DoesNotExist:
        return RatingSummary.empty(article.pk)
