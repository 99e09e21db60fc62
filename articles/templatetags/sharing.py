"""Tags for the <head> of a story page: structured data and sharing cards."""

from django import template

from articles import structured_data

register = template.Library()


@register.simple_tag
def story_json_ld(article):
    """NewsArticle and BreadcrumbList JSON-LD in one data block."""
    return structured_data.json_ld_script(
        structured_data.news_article(article), structured_data.breadcrumb_list(article)
    )


@register.simple_tag
def story_share_meta(article):
    """Canonical link, Open Graph and Twitter card tags."""
    return structured_data.share_meta(article)
