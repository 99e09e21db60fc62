"""Password guessing on the admin login is stopped after a few failures."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def staff(username):
    user = UserFactory(username=username, is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def editor():
    return staff("editor")


def login(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client, editor, settings):
    settings.LOGIN_FAILURES_PER_USER = 5
    for _ in range(5):
        assert login(client, "editor", "guess").status_code == 200  # the form again
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert int(response["Retry-After"]) == settings.LOGIN_LOCKOUT_SECONDS
    assert "_auth_user_id" not in client.session


def test_lock_is_per_username_and_case_insensitive(client, editor, settings):
    settings.LOGIN_FAILURES_PER_USER = 3
    for _ in range(3):
        login(client, "EDITOR", "guess", address="198.51.100.1")
    assert login(client, "editor", PASSWORD, address="198.51.100.2").status_code == 429
    staff("reporter")
    assert login(client, "reporter", PASSWORD, address="198.51.100.2").status_code == 302


def test_one_address_guessing_many_usernames_is_stopped(client, editor, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    for n in range(4):
        login(client, f"someone{n}", "guess", address="192.0.2.50")
    assert login(client, "editor", PASSWORD, address="192.0.2.50").status_code == 429
    assert login(client, "editor", PASSWORD, address="192.0.2.51").status_code == 302


def test_a_successful_login_clears_the_count(client, editor, settings):
    settings.LOGIN_FAILURES_PER_USER = 3
    login(client, "editor", "guess")
    login(client, "editor", "guess")
    assert login(client, "editor", PASSWORD).status_code == 302
    client.logout()
    login(client, "editor", "guess")
    login(client, "editor", "guess")
    assert login(client, "editor", PASSWORD).status_code == 302


def test_lock_ends_when_the_window_passes(client, editor, settings):
    settings.LOGIN_FAILURES_PER_USER = 2
    login(client, "editor", "guess")
    login(client, "editor", "guess")
    assert login(client, "editor", PASSWORD).status_code == 429
    from django.core.cache import cache

    cache.clear()  # what the expiry of the counters does after LOGIN_LOCKOUT_SECONDS
    assert login(client, "editor", PASSWORD).status_code == 302
