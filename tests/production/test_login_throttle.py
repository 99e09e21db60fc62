"""Password guessing on the admin login is stopped after a few failures.

Per account strictly; per address only for accounts that never signed in from there, so a
stranger behind an office's address cannot lock the office out. Counts are in the
database: they hold while Redis is down.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.production.test_health import UNREACHABLE_REDIS

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


def login(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client, editor, settings):
    settings.LOGIN_FAILURES_PER_USER = 5
    for _ in range(5):
        assert login(client, "editor", "guess").status_code == 200  # the form again
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    # Until the first of the five failures (a few seconds ago) leaves the window.
    window = settings.LOGIN_LOCKOUT_SECONDS
    assert window - 60 < int(response["Retry-After"]) <= window + 1
    assert "ask an editor to unlock your account" in response.content.decode()
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


def test_a_rotating_x_forwarded_for_from_an_untrusted_peer_counts_against_the_peer(
    editor, settings
):
    """Guesses sent past the proxy with made-up addresses are all the sender's."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    for n in range(4):
        forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        login(Client(), f"someone{n}", "guess", address="192.0.2.70", **forged)
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert login(Client(), "editor", PASSWORD, address="192.0.2.70", **forged).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_is_the_address_counted(editor, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    for n in range(4):
        via_proxy = {"HTTP_X_FORWARDED_FOR": "192.0.2.80"}
        login(Client(), f"someone{n}", "guess", address="127.0.0.1", **via_proxy)
    guesser = {"HTTP_X_FORWARDED_FOR": "192.0.2.80"}
    assert login(Client(), "editor", PASSWORD, address="127.0.0.1", **guesser).status_code == 429
    other_reader = {"HTTP_X_FORWARDED_FOR": "192.0.2.81"}
    assert (
        login(Client(), "editor", PASSWORD, address="127.0.0.1", **other_reader).status_code == 302
    )


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
    with time_machine.travel(timezone.now(), tick=False) as clock:
        login(client, "editor", "guess")
        login(client, "editor", "guess")
        assert login(client, "editor", PASSWORD).status_code == 429
        clock.shift(timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS - 5))
        assert login(client, "editor", PASSWORD).status_code == 429
        clock.shift(timedelta(seconds=10))
        assert login(client, "editor", PASSWORD).status_code == 302


def test_a_wrong_password_while_redis_is_down_is_the_form_again_not_a_500(editor, settings):
    settings.CACHES = UNREACHABLE_REDIS
    client = Client(raise_request_exception=False)
    response = login(client, "editor", "guess")
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_the_throttle_still_limits_guessing_while_redis_is_down(editor, settings):
    settings.CACHES = UNREACHABLE_REDIS
    settings.LOGIN_FAILURES_PER_USER = 3
    client = Client(raise_request_exception=False)
    for _ in range(3):
        assert login(client, "editor", "guess").status_code == 200
    assert login(client, "editor", PASSWORD).status_code == 429


def test_a_stranger_at_the_office_address_cannot_lock_out_colleagues_who_signed_in_there(
    editor, settings
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    office = "198.51.100.20"
    colleague = staff("reporter")
    for user in (editor, colleague):
        browser = Client()
        assert login(browser, user.username, PASSWORD, address=office).status_code == 302
    stranger = Client()
    for n in range(10):
        login(stranger, f"someone{n}", "guess", address=office)
    # The stranger is stopped, even with a real account's username and password...
    newcomer = staff("newcomer")
    assert login(stranger, newcomer.username, PASSWORD, address=office).status_code == 429
    # ...but the people who sign in from the office every day still can.
    for user in (editor, colleague):
        assert login(Client(), user.username, PASSWORD, address=office).status_code == 302


def test_colleagues_keep_their_own_strict_limit_at_a_busy_address(editor, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    settings.LOGIN_FAILURES_PER_USER = 3
    office = "198.51.100.21"
    assert login(Client(), "editor", PASSWORD, address=office).status_code == 302
    for n in range(6):
        login(Client(), f"someone{n}", "guess", address=office)
    for _ in range(3):
        login(Client(), "editor", "guess", address=office)
    assert login(Client(), "editor", PASSWORD, address=office).status_code == 429


def test_unlock_login_lets_a_locked_account_sign_in_at_once(client, editor, settings, capsys):
    settings.LOGIN_FAILURES_PER_USER = 3
    for _ in range(3):
        login(client, "editor", "guess")
    assert login(client, "editor", PASSWORD).status_code == 429
    call_command("unlock_login", "Editor")
    assert "Unlocked Editor" in capsys.readouterr().out
    assert login(client, "editor", PASSWORD).status_code == 302


def test_unlock_login_can_free_an_address(client, editor, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        login(client, f"someone{n}", "guess", address="192.0.2.60")
    assert login(client, "editor", PASSWORD, address="192.0.2.60").status_code == 429
    call_command("unlock_login", "--address", "192.0.2.60")
    assert login(client, "editor", PASSWORD, address="192.0.2.60").status_code == 302


def test_failed_sign_ins_keep_no_username_or_address_in_the_clear(client, editor):
    from newsroom.models import FailedSignIn

    login(client, "editor", "guess", address="203.0.113.99")
    row = FailedSignIn.objects.get()
    assert "editor" not in row.username_key and "203.0.113" not in row.address_key


def test_an_editor_unlocks_a_locked_colleague_from_the_admin(client, settings):
    from tests.factories import StaffFactory

    settings.LOGIN_FAILURES_PER_USER = 3
    reporter = StaffFactory(username="rita", group="Reporter")
    for _ in range(3):
        login(Client(), "rita", "guess")
    assert login(Client(), "rita", PASSWORD).status_code == 429
    client.force_login(StaffFactory(username="ed", group="Editor"))
    assert "Unlock a colleague" in client.get(reverse("admin:index")).content.decode()
    page = client.get(reverse("unlock-sign-in"))
    assert page.status_code == 200 and "rita" in page.content.decode()
    response = client.post(reverse("unlock-sign-in"), {"username": reporter.username})
    assert response.status_code == 302
    assert "No account is locked" in client.get(reverse("unlock-sign-in")).content.decode()
    assert login(Client(), "rita", PASSWORD).status_code == 302


def test_a_reporter_cannot_unlock_accounts(client):
    from tests.factories import StaffFactory

    client.force_login(StaffFactory(username="rita", group="Reporter"))
    assert client.get(reverse("unlock-sign-in")).status_code == 403
    assert client.post(reverse("unlock-sign-in"), {"username": "ed"}).status_code == 403
