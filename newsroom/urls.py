from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from articles import sitemaps

from .health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
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

# A database outage answers 503 (try again), not 500: newsroom/outage.py.
handler500 = "newsroom.outage.server_error"
handler404 = "articles.views.page_not_found"

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

if settings.NEWSROOM_BENCH:
    from .benchmark import hello

    urlpatterns += [path("bench/hello/", hello)]
