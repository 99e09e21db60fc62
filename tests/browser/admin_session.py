"""Signing in to the admin in a browser test."""

from playwright.sync_api import expect

from tests.factories import PASSWORD


def log_in(page, base_url, username):
    """Sign ``username`` (made by ``StaffFactory``) in through the login form; wait for the desk."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#newsroom-desk")).to_be_visible()
