from django.conf import settings


def site(request):
    """The site name and the sections for the navigation, on every page."""
    from articles.models import Section

    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_sections": Section.objects.for_navigation(),
    }
