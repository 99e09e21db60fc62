"""Workflow mail in each recipient's desk language, whatever language sent it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import translation

from articles.models import Article
from desk import notifications
from desk.models import DeskPreference
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def _mail_to(user):
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return message


def _spaces(text):
    """French typography's no-break spaces as plain ones, to compare the words."""
    return text.replace("\xa0", " ")


def test_each_editor_is_mailed_in_their_desk_language(reporter, editor, own_draft):
    """Submitted from a French desk: the English-desk editor reads English, the French-desk
    one French, and the editor who chose nothing the site's default (English)."""
    DeskPreference.objects.create(user=reporter, language="fr-ca")
    DeskPreference.objects.create(user=editor, language="en-ca")
    french_editor = StaffFactory(username="redactrice", group="Editor")
    DeskPreference.objects.create(user=french_editor, language="fr-ca")
    default_editor = StaffFactory(username="nochoice", group="Editor")
    with translation.override("fr-ca"):  # the French reporter's request (eager worker)
        sent = notifications.send(own_draft.pk, Status.DRAFT, Status.IN_REVIEW, reporter.pk)
    assert sent == 3
    for english_reader in (editor, default_editor):
        message = _mail_to(english_reader)
        assert message.subject == "For review: “Council approves new transit line”"
        assert "submitted “Council approves new transit line” for review." in message.body
        assert "The story in the newsroom:" in message.body
    french = _mail_to(french_editor)
    subject, body = _spaces(french.subject), _spaces(french.body)
    assert subject == "À réviser : « Council approves new transit line »"
    assert "a soumis « Council approves new transit line » pour révision." in body
    assert "L’article dans la salle de rédaction :" in body


def test_a_french_desk_reporter_is_told_the_scheduled_time_in_french(reporter, editor, own_draft):
    """Scheduled from an English desk, the French-desk reporter reads the date the French way."""
    DeskPreference.objects.create(user=reporter, language="fr-ca")
    own_draft.status = Status.SCHEDULED
    own_draft.publish_at = datetime(2031, 1, 7, 9, 30, tzinfo=ZoneInfo("America/Toronto"))
    own_draft.save()
    with translation.override("en-ca"):
        notifications.send(own_draft.pk, Status.IN_REVIEW, Status.SCHEDULED, editor.pk)
    message = _mail_to(reporter)
    assert _spaces(message.subject).startswith("Programmé pour le mardi 7 janvier 2031 à 9 h 30")
    assert "(heure de Toronto)" in message.body
