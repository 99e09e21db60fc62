"""The push endpoint: a signed item is stored raw and queued; a bad signature stores nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wire import tasks
from wire.models import InboundItem, RejectedItem, WireItem
from wire.views import signature

from .conftest import item_bytes

pytestmark = pytest.mark.django_db

URL = "/wire/push/"


def push(client, body, sign_with=None, header=None):
    headers = {}
    if header is not None:
        headers["HTTP_X_WIRE_SIGNATURE"] = header
    elif sign_with is not None:
        headers["HTTP_X_WIRE_SIGNATURE"] = signature(body, sign_with)
    return client.post(URL, body, content_type="application/json", **headers)


def test_a_signed_item_is_stored_and_the_worker_ingests_it(
    client, push_secret, django_capture_on_commit_callbacks
):
    body = item_bytes("cp-budget-1.ninjs2.json")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = push(client, body, sign_with=push_secret)
    assert response.status_code == 202
    assert len(queued) == 1  # the task, sent once the raw item is committed
    item = WireItem.objects.get()
    assert item.source == "push" and item.headline.startswith("Ontario budget")
    assert not InboundItem.objects.exists()  # the raw copy goes once ingested


def test_the_endpoint_itself_only_stores_the_raw_item(client, push_secret):
    body = item_bytes("afp-sommet-1.newsml.xml")
    response = push(client, body, sign_with=push_secret)  # on-commit work not run
    assert response.status_code == 202
    assert bytes(InboundItem.objects.get().raw) == body
    assert not WireItem.objects.exists()


@pytest.mark.parametrize(
    "header",
    [None, "", "sha256=" + "0" * 64, "sha1=abc", "sha256="],
    ids=["missing", "empty", "wrong", "other-scheme", "blank-digest"],
)
def test_a_bad_or_missing_signature_answers_403_and_stores_nothing(
    client, push_secret, header, django_capture_on_commit_callbacks
):
    body = item_bytes("cp-budget-1.ninjs2.json")
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, body, header=header) if header is not None else push(client, body)
    assert response.status_code == 403
    assert "signature" in response.content.decode()
    assert not InboundItem.objects.exists()
    assert not WireItem.objects.exists() and not RejectedItem.objects.exists()


def test_a_body_signed_with_another_secret_or_changed_after_signing_is_refused(client, push_secret):
    body = item_bytes("cp-budget-1.ninjs2.json")
    assert push(client, body, sign_with="another-secret").status_code == 403
    header = signature(body, push_secret)
    assert push(client, body.replace(b"$3B", b"$9B"), header=header).status_code == 403
    assert not InboundItem.objects.exists()


def test_without_a_configured_secret_every_push_is_refused(client, settings):
    settings.WIRE_PUSH_SECRET = ""
    body = item_bytes("cp-budget-1.ninjs2.json")
    assert push(client, body, sign_with="").status_code == 403
    assert not InboundItem.objects.exists()


def test_only_post_is_accepted(client, push_secret):
    assert client.get(URL).status_code == 405


def test_an_empty_signed_body_answers_400_with_a_sentence(client, push_secret):
    response = push(client, b"", sign_with=push_secret)
    assert response.status_code == 400 and "empty" in response.content.decode()


def test_a_bad_pushed_item_is_kept_aside_by_the_worker(
    client, push_secret, django_capture_on_commit_callbacks
):
    body = b'{"uri": "urn:x"}'
    with django_capture_on_commit_callbacks(execute=True):
        assert push(client, body, sign_with=push_secret).status_code == 202
    rejected = RejectedItem.objects.get()
    assert rejected.source == "push" and rejected.raw == '{"uri": "urn:x"}'
    assert not WireItem.objects.exists() and not InboundItem.objects.exists()


def test_a_pushed_item_whose_task_was_lost_is_taken_by_the_next_poll(settings, tmp_path):
    settings.WIRE_INBOX_DIR = ""
    InboundItem.objects.create(raw=item_bytes("cp-budget-1.ninjs2.json"))
    assert tasks.poll_all() == {}  # too young: its task may still be on its way
    InboundItem.objects.update(received_at=timezone.now() - timedelta(minutes=5))
    assert tasks.poll_all() == {"created": 1}
    assert WireItem.objects.count() == 1 and not InboundItem.objects.exists()
