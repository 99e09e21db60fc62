"""The app tells the proxy in front which answers it may keep, and for how long.

nginx (deploy/nginx/) keeps only answers carrying ``X-Accel-Expires``; these tests check
which ones pagecache marks. tests/production/test_two_servers.py checks nginx obeying it.
"""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse

from articles.models import Article
from desk.preview import preview_url
from devtools import nginx
from newsroom import pagecache
from newsroom.urls import bench_hello
from newsroom.urls import urlpatterns as site_urlpatterns
from tests.factories import ArticleFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

# The site's addresses plus the benchmark's minimal view (routed only with NEWSROOM_BENCH).
urlpatterns = [path("bench/hello/", bench_hello), *site_urlpatterns]


@pytest.fixture(autouse=True)
def proxy_on(page_cache_on, settings):
    settings.PAGE_PROXY_SECONDS = 3


def proxy_seconds(response):
    return response.get("X-Accel-Expires")


def test_a_public_story_page_may_be_kept_by_the_proxy_for_the_configured_seconds(client):
    article = ArticleFactory()
    rendered = client.get(article.get_absolute_url())
    from_cache = client.get(article.get_absolute_url())
    assert rendered.status_code == from_cache.status_code == 200
    assert proxy_seconds(rendered) == proxy_seconds(from_cache) == "3"


def test_every_cached_public_page_is_marked_for_the_proxy(client):
    article = ArticleFactory(tags=["Wildfires"])
    author = article.byline_authors()[0] if article.byline_authors() else None
    urls = [
        "/",
        article.section.get_absolute_url(),
        "/tag/wildfires/",
        "/search/?q=wildfire",
        f"{article.section.get_absolute_url()}?page=1",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ]
    if author is not None:
        urls.append(author.get_absolute_url())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert proxy_seconds(response) == "3", url


def test_head_requests_are_marked_like_get(client):
    article = ArticleFactory()
    assert proxy_seconds(client.head(article.get_absolute_url())) == "3"


def test_nothing_is_marked_when_the_proxy_seconds_are_zero(client, settings):
    settings.PAGE_PROXY_SECONDS = 0
    article = ArticleFactory()
    assert proxy_seconds(client.get(article.get_absolute_url())) is None
    assert proxy_seconds(client.get("/")) is None


def test_pages_are_marked_with_the_page_cache_off(client, settings):
    """Without Redis the pages are rendered each time, and the proxy's moment matters more."""
    settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()
    assert proxy_seconds(client.get(article.get_absolute_url())) == "3"


def test_staff_requests_are_never_marked(client):
    article = ArticleFactory()
    client.force_login(StaffFactory())
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert proxy_seconds(response) is None


def test_a_signed_in_reader_gets_the_cached_page_but_unmarked(client):
    article = ArticleFactory()
    client.force_login(UserFactory(is_staff=False))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]  # the page cache still serves it
    assert proxy_seconds(response) is None


def test_admin_and_previews_are_never_marked(admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    for url in ("/admin/", f"/admin/articles/article/{draft.pk}/change/", preview_url(draft)):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert proxy_seconds(response) is None, url
    # An anonymous reader holding a preview link is sent to sign in, unmarked.
    response = Client().get(preview_url(draft))
    assert response.status_code == 302
    assert proxy_seconds(response) is None


def test_a_post_to_a_public_page_is_never_marked(client):
    article = ArticleFactory()
    response = client.post(article.get_absolute_url(), {"x": "1"})
    assert proxy_seconds(response) is None


def test_the_ratings_endpoints_are_never_marked(client):
    article = ArticleFactory()
    summary = client.get(reverse("ratings:summary", args=[article.pk]))
    assert summary.status_code == 200
    vote = client.post(
        reverse("ratings:vote", args=[article.pk]), {"stars": 4}, HTTP_ORIGIN="http://testserver"
    )
    assert vote.status_code == 303
    mine = client.get(reverse("ratings:own_vote_css", args=[article.pk]))
    assert mine.status_code == 200
    for response in (summary, vote, mine):
        assert proxy_seconds(response) is None


def test_other_query_parameters_are_never_marked(client):
    article = ArticleFactory()
    assert proxy_seconds(client.get(article.get_absolute_url(), {"utm_source": "x"})) is None
    assert proxy_seconds(client.get("/", {"page": "2", "fbclid": "abc"})) is None


def test_a_drafts_404_is_kept_no_longer_than_the_bound(client, settings):
    """Marked, so nginx replaces a page it holds, and for no longer than a page would be."""
    draft = ArticleFactory(status=Article.Status.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert int(proxy_seconds(response)) <= settings.PAGE_PROXY_SECONDS
    assert "public" not in response.get("Cache-Control", "")


def test_an_unpublished_story_answers_a_marked_404(client, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    url = article.get_absolute_url()
    assert proxy_seconds(client.get(url)) == "3"
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.UNPUBLISHED
        article.save()
    response = client.get(url)
    assert response.status_code == 404
    assert proxy_seconds(response) == "3"


def test_a_retracted_story_answers_a_marked_and_public_410(
    client, django_capture_on_commit_callbacks
):
    """Kept by nginx like the page it replaces; a CDN gets a bounded lifetime too."""
    from articles import workflow
    from tests.factories import StaffFactory

    article = ArticleFactory()
    url = article.get_absolute_url()
    assert proxy_seconds(client.get(url)) == "3"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(
            article, Article.Status.RETRACTED, by=StaffFactory(group="Editor"), note="Wrong."
        )
    response = client.get(url)
    assert response.status_code == 410
    assert proxy_seconds(response) == "3"
    assert "s-maxage" in response["Cache-Control"]


def test_a_renamed_storys_old_address_answers_a_marked_redirect(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(slug="old-address")
    assert client.get("/story/old-address/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        article.slug = "new-address"
        article.save()
    response = client.get("/story/old-address/")
    assert response.status_code == 301
    assert proxy_seconds(response) == "3"


def test_a_404_outside_the_cached_pages_is_not_marked(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert proxy_seconds(response) is None


@pytest.mark.urls(__name__)
def test_the_benchmarks_minimal_view_is_never_marked(client):
    response = client.get("/bench/hello/")
    assert response.status_code == 200
    assert proxy_seconds(response) is None


@pytest.mark.parametrize(
    "make_response",
    [
        pytest.param(lambda: _with_cookie(HttpResponse("page")), id="sets a cookie"),
        pytest.param(lambda: _with(HttpResponse("page"), Vary="Cookie"), id="varies on cookie"),
        pytest.param(lambda: _with(HttpResponse("page"), Vary="*"), id="varies on anything"),
        pytest.param(
            lambda: _with(HttpResponse("page"), **{"Cache-Control": "private"}), id="private"
        ),
        pytest.param(
            lambda: _with(HttpResponse("page"), **{"Cache-Control": "no-store"}), id="no-store"
        ),
        pytest.param(lambda: HttpResponse("error", status=500), id="server error"),
        pytest.param(lambda: HttpResponse("outage", status=503), id="outage page"),
        pytest.param(lambda: HttpResponse("", status=302), id="temporary redirect"),
    ],
)
def test_answers_meant_for_one_reader_or_for_a_moment_are_never_marked(make_response):
    request = RequestFactory().get("/")
    response = make_response()
    pagecache.mark_for_proxy(request, response)
    assert proxy_seconds(response) is None
    # The same request's plain page is marked: the check above can fail.
    plain = HttpResponse("page")
    pagecache.mark_for_proxy(request, plain)
    assert proxy_seconds(plain) == "3"


def test_a_request_carrying_a_session_cookie_is_never_marked(settings):
    request = RequestFactory().get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    response = HttpResponse("page")
    pagecache.mark_for_proxy(request, response)
    assert proxy_seconds(response) is None


def _with(response, **headers):
    for name, value in headers.items():
        response[name] = value
    return response


def _with_cookie(response):
    response.set_cookie("nr_voter", "someone")
    return response


def test_check_deploy_warns_when_nginx_would_not_recognise_the_session_cookie(settings):
    from newsroom import checks

    assert checks.proxy_knows_the_session_cookie(None) == []
    settings.SESSION_COOKIE_NAME = "newsroom_session"
    assert [w.id for w in checks.proxy_knows_the_session_cookie(None)] == ["newsroom.W002"]
    settings.PAGE_PROXY_SECONDS = 0
    assert checks.proxy_knows_the_session_cookie(None) == []


def test_the_nginx_site_bypasses_its_cache_by_the_cookie_the_check_names():
    from newsroom import checks

    site = nginx.LOCATIONS.read_text()
    cookie = f"$cookie_{checks.NGINX_SESSION_COOKIE}"
    assert f"proxy_cache_bypass {cookie}" in site
    assert f"proxy_no_cache {cookie}" in site
