from django.conf import settings


def site(request):
    """The site name, on every page (the apps add their own: e.g. the navigation's sections)."""
    return {"SITE_NAME": settings.SITE_NAME}
