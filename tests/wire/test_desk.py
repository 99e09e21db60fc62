"""The desk's Wire page, an item's page, "Use this", and the story's wire panel."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Photo
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import StaffFactory
from wire import inbox as wire_inbox
from wire.models import WireItem, WireStory

from .conftest import deliver, take
from .test_guards import EMBARGO

pytestmark = pytest.mark.django_db
LIST = "admin:wire_wireitem_changelist"


@pytest.fixture
def wire(inbox, sections):
    deliver(
        inbox,
        "cp-budget-1.ninjs2.json",
        "afp-sommet-1.newsml.xml",
        "cp-photo.ninjs3.json",
        "afp-photo.newsml.xml",
        pictures=["cp-harbour.jpg", "afp-delegues.jpg"],
    )
    wire_inbox.poll()
    # Received one after the other: CP's budget newest.
    for minutes, guid_part in enumerate(
        ["afp-photo", "photo-delegues", "harbour", "sommet", "budget"]
    ):
        WireItem.objects.filter(guid__contains=guid_part).update(
            received_at=timezone.now() - timedelta(minutes=10 - minutes)
        )
    return {item.guid.rsplit(":", 1)[-1]: item for item in WireItem.objects.all()}


def headlines(response):
    return [item.headline for item in response.context["cl"].result_list]


def test_the_wire_page_lists_items_newest_first(client, reporter, wire):
    client.force_login(reporter)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert headlines(response) == [
        "Ontario budget sets aside $3B for transit",
        "Sommet sur le climat : accord sur le quetzalcoatl",
        "Ice on the harbour",
        "Délégués au sommet",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"agency": "AFP"}, ["Délégués au sommet"]),
        (
            {"language__exact": "fr"},
            ["Sommet sur le climat : accord sur le quetzalcoatl", "Délégués au sommet"],
        ),
        ({"subject": "Weather"}, ["Ice on the harbour"]),
        ({"urgency__exact": "3"}, ["Ontario budget sets aside $3B for transit"]),
        ({"q": "zanzibarite"}, ["Ontario budget sets aside $3B for transit"]),
        ({"q": "Changement climatique"}, ["Sommet sur le climat : accord sur le quetzalcoatl"]),
    ],
)
def test_the_wire_page_filters_and_searches(client, reporter, wire, query, expected):
    client.force_login(reporter)
    assert headlines(client.get(reverse(LIST), query)) == expected


def test_the_wire_page_costs_the_same_queries_for_many_items(
    client, editor, wire, django_assert_max_num_queries
):
    client.force_login(editor)
    client.get(reverse(LIST))  # sessions, permissions warmed
    for n in range(20):
        take_copy = WireItem.objects.get(guid__contains="budget")
        take_copy.pk = None
        take_copy.guid = f"urn:test:{n}"
        take_copy.save()
    with django_assert_max_num_queries(12):
        assert client.get(reverse(LIST)).status_code == 200


def test_only_reporters_and_editors_read_the_wire(client, wire):
    item = wire["budget-ontario"]
    urls = [reverse(LIST), reverse("admin:wire_wireitem_change", args=[item.pk])]
    for url in urls:
        assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(StaffFactory(username="no-role"))
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(StaffFactory(username="a-reporter", group="Reporter"))
    for url in urls:
        assert client.get(url).status_code == 200


def test_nobody_edits_or_deletes_a_wire_item_in_the_desk(client, editor, wire):
    client.force_login(editor)
    item = wire["budget-ontario"]
    response = client.post(
        reverse(LIST), {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"}
    )
    assert WireItem.objects.filter(pk=item.pk).exists()
    assert client.get(reverse("admin:wire_wireitem_delete", args=[item.pk])).status_code == 403
    assert response.status_code in (200, 302)


def test_an_items_page_shows_its_text_subjects_embargo_and_the_use_this_form(
    client, reporter, wire
):
    client.force_login(reporter)
    item = wire["budget-ontario"]
    page = client.get(reverse("admin:wire_wireitem_change", args=[item.pk])).content.decode()
    assert "zanzibarite transit lines" in page and "Provincial budgets" in page
    assert "Embargoed until" in page
    assert reverse("admin:wire_wireitem_use", args=[item.pk]) in page
    assert "<script>" not in page.split("<pre>")[0].split('id="content-main"')[1]


def test_a_wire_pictures_file_is_for_the_desk_only(client, reporter, wire):
    picture = wire["photo-harbour-ice"].pictures.get()
    url = reverse("admin:wire_wirepicture_file", args=[picture.pk])
    assert client.get(url).status_code == 302
    client.force_login(reporter)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_use_this_makes_a_prefilled_draft_linked_to_the_item(client, reporter, wire, sections):
    client.force_login(reporter)
    item = wire["budget-ontario"]
    response = client.post(
        reverse("admin:wire_wireitem_use", args=[item.pk]), {"section": sections[0].pk}
    )
    story = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(story)
    assert story.status == Article.Status.DRAFT and story.publish_at is None
    assert story.headline == item.headline and "zanzibarite transit lines" in story.body
    assert "script" not in story.body
    assert [a.name for a in story.byline_authors()] == ["Jane Quill", "The Canadian Press"]
    assert set(story.tags.names()) == {"Provincial budgets", "Public transport"}
    assert story.created_by == reporter
    assert WireStory.objects.get(article=story).item == item
    assert not Article.objects.published().exists()


def test_use_this_puts_the_pictures_in_the_photo_library_with_credit_and_rights(
    client, editor, wire, sections
):
    client.force_login(editor)
    item = wire["photo-harbour-ice"]
    client.post(reverse("admin:wire_wireitem_use", args=[item.pk]), {"section": sections[0].pk})
    story = Article.objects.get()
    photo = story.lead_photo
    assert photo.credit == "THE CANADIAN PRESS/Sam Lens"
    assert photo.usage_terms == "No sales. No archiving."
    assert photo.caption.startswith("Ice forms on Toronto's inner harbour")
    assert photo.image.name.startswith("photos/") and Photo.objects.count() == 1


def test_use_this_refuses_a_killed_item_and_a_section_in_another_language(
    client, reporter, wire, sections
):
    client.force_login(reporter)
    item = wire["sommet-climat"]
    url = reverse("admin:wire_wireitem_use", args=[item.pk])
    response = client.post(url, {"section": sections[0].pk})  # an English section
    assert response.status_code == 200 and not Article.objects.exists()
    take("afp-sommet-3-kill.newsml.xml")
    response = client.post(url, {"section": sections[1].pk})
    assert response.status_code == 200
    assert "killed or withdrew this item: it cannot be used" in response.content.decode()
    assert not Article.objects.exists()


def test_someone_without_a_newsroom_role_cannot_use_the_wire(client, wire, sections):
    client.force_login(StaffFactory(username="no-role-either"))
    item = wire["budget-ontario"]
    url = reverse("admin:wire_wireitem_use", args=[item.pk])
    assert client.post(url, {"section": sections[0].pk}).status_code == 403
    assert not Article.objects.exists()


def test_the_story_page_shows_what_the_wire_changed_and_it_can_be_marked_read(
    client, reporter, wire, sections
):
    client.force_login(reporter)
    item = wire["budget-ontario"]
    client.post(reverse("admin:wire_wireitem_use", args=[item.pk]), {"section": sections[0].pk})
    story = Article.objects.get()
    take("cp-budget-2.ninjs2.json")
    page = client.get(change_url(story)).content.decode()
    assert "The wire updated this (version 2)" in page
    assert "<del>$3 </del><ins>$4 </ins>" in page
    link = WireStory.objects.get(article=story)
    client.post(reverse("admin:wire_wirestory_read", args=[link.pk]))
    assert "The wire updated this" not in client.get(change_url(story)).content.decode()


def test_use_this_leads_to_a_published_story_credited_to_the_agency(
    client, reporter, editor, wire, sections, django_capture_on_commit_callbacks
):
    """From the Wire page to a reader's page: the reporter uses the item, the editor
    publishes once the embargo has passed, and readers see the agency's credit."""
    client.force_login(reporter)
    item = wire["budget-ontario"]
    client.post(reverse("admin:wire_wireitem_use", args=[item.pk]), {"section": sections[0].pk})
    story = Article.objects.get()
    with time_machine.travel(EMBARGO + timedelta(minutes=5), tick=False):
        client.force_login(editor)  # (a session from 2026 has expired by then)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                change_url(story), story_form_data(story, _transition="published")
            )
        assert response.status_code == 302, form_errors(response)
        story.refresh_from_db()
        assert story.status == Article.Status.PUBLISHED
        page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ontario budget sets aside $3B for transit" in text
    assert "The Canadian Press" in text and "Jane Quill" in text
