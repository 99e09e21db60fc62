"""What every page of the site shows of the newsroom's content (settings.TEMPLATES)."""


def navigation(request):
    """The sections for the navigation and the footer's site pages, on every page."""
    from .models import InfoPage, Section

    return {
        "nav_sections": Section.objects.for_navigation(),
        "footer_pages": InfoPage.objects.for_footer(),
    }
