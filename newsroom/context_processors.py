from django.conf import settings


def site(request):
    """The site name, the sections for the navigation and the footer's pages, on every page."""
    from articles.models import InfoPage, Section

    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_sections": Section.objects.for_navigation(),
        "footer_pages": InfoPage.objects.for_footer(),
    }
