from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from articles import sitemaps

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ratings/", include("ratings.urls")),
    path("", include("articles.urls")),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path(
        "sitemap-news.xml",
        sitemaps.sitemap,
        {"sitemaps": sitemaps.NEWS_SITEMAPS, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
]

if settings.DEBUG:
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
