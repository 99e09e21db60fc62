from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from articles import sitemaps
from desk.editor import embed_lookup
from desk.language import desk_language

from . import unlock
from .health import healthz
from .icons import ROOT_ICONS, root_icon, web_manifest
from .locale import language_prefixed
from .metrics import metrics_view
from .storage import serve_media

urlpatterns = [
    path(
        "admin/unlock-sign-in/", admin.site.admin_view(unlock.unlock_sign_in), name="unlock-sign-in"
    ),
    path("admin/desk-language/", admin.site.admin_view(desk_language), name="desk-language"),
    path("admin/embed-lookup/", admin.site.admin_view(embed_lookup), name="desk-embed-lookup"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Prometheus, not public (newsroom/metrics.py): 404 but for METRICS_ALLOWED_ADDRESSES.
    path("metrics", metrics_view, name="metrics"),
    path("ratings/", include("ratings.urls")),
    # Agencies push wire items here (signed; wire/views.py): not a reader's page.
    path("wire/", include("wire.urls")),
    # The public API: one address per answer, the language a filter (api/urls.py).
    path("api/v1/", include("api.urls")),
    # Providers' bounce and complaint webhooks (anymail checks their signatures).
    path("newsletters/webhooks/", include("anymail.urls")),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
    # Asked for by every browser (and iOS) whatever the page links: newsroom/icons.py.
    *(path(name, root_icon, {"name": name}, name=f"icon-{name}") for name in ROOT_ICONS),
    path("manifest.webmanifest", web_manifest, name="web-manifest"),
]
# The readers' pages and sitemaps: English at / as always, French under /fr/
# (newsroom/locale.py, docs/architecture/languages.md).
urlpatterns += language_prefixed(
    path("", include("newsletters.urls")),
    path("", include("live.urls")),
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
)

# A database outage answers 503 (try again), not 500: newsroom/outage.py.
handler500 = "newsroom.outage.server_error"
# A refusal in the admin looks like the admin: newsroom/errors.py.
handler403 = "newsroom.errors.permission_denied"
handler404 = "articles.views.page_not_found"

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [
        path("media/<path:path>", serve_media),
    ]


def bench_hello(request):
    """The smallest Django view, for bench/load.py to measure the server's ceiling.

    It runs through the same middleware as every page, so a page's rate divided by this one's
    shows what the page itself costs. Three lines, so it lives here rather than in a module of
    its own; the benchmark's tools are in devtools/, which the site never imports.
    """
    return HttpResponse(b"Hello, world", content_type="text/plain")


# Only routed when NEWSROOM_BENCH is on (never in production).
if settings.NEWSROOM_BENCH:
    urlpatterns += [path("bench/hello/", bench_hello)]
