"""Chromium enforces our Content-Security-Policy: the site and the admin must not trip it."""

import pytest

from tests.factories import ArticleFactory, PhotoFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_csp_violation_on_public_pages_or_in_the_admin(live_server, browser):
    article = ArticleFactory(lead_photo=PhotoFactory(), tags=["Wildfires"])
    UserFactory(username="desk", is_staff=True, is_superuser=True)
    violations = []
    page = browser.new_page()
    page.on(
        "console",
        lambda m: (
            violations.append((page.url, m.text)) if "Content Security Policy" in m.text else None
        ),
    )
    for path in (
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        "/about/",
        "/no-such-page/",
    ):
        page.goto(live_server.url + path)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for path in (
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/photo/add/",
        "/admin/articles/photo/",  # the photo library
        "/admin/articles/photo/?_to_field=id&_popup=1",  # the story form's picker
        f"/admin/articles/photo/{article.lead_photo_id}/change/",  # the focal point picker
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert violations == []
