"""Reading ninjs 2.x, ninjs 3.0 and NewsML-G2 items into one shape, and refusing bad ones."""

import json
from datetime import UTC, datetime

import pytest

from wire.parsers import CANCELED, USABLE, BadItem, ninjs, parse

from .conftest import item_bytes


def test_a_ninjs_2_text_item_with_an_embargo_is_read_field_by_field():
    item = parse(item_bytes("cp-budget-1.ninjs2.json"))
    assert (item.format, item.version, item.item_type) == ("ninjs2", 1, "text")
    assert item.guid == "urn:newsml:thecanadianpress.com:2026:budget-ontario"
    assert item.provider == "The Canadian Press" and item.credit == "The Canadian Press"
    assert item.language == "en" and item.urgency == 3
    assert item.headline == "Ontario budget sets aside $3B for transit"
    assert item.byline == "Jane Quill, The Canadian Press"
    assert item.embargo == datetime(2030, 1, 6, 14, 30, tzinfo=UTC)
    assert item.pubstatus == USABLE
    assert [s.name for s in item.subjects] == ["Provincial budgets", "Public transport"]


def test_the_body_is_sanitised_with_the_sites_allow_list():
    body = parse(item_bytes("cp-budget-1.ninjs2.json")).body_html
    assert "<p>The plan runs over ten years.</p>" in body
    assert "script" not in body and "onclick" not in body and "alert" not in body
    french = parse(item_bytes("afp-sommet-1.newsml.xml")).body_html
    assert "style" not in french and "<p>Le texte final sera publié mardi.</p>" in french


def test_a_kill_is_read_as_canceled():
    assert parse(item_bytes("cp-budget-3-kill.ninjs2.json")).pubstatus == CANCELED
    assert parse(item_bytes("afp-sommet-3-kill.newsml.xml")).pubstatus == CANCELED


def test_a_ninjs_3_picture_item_takes_its_largest_rendition_with_credit_and_rights():
    item = parse(item_bytes("cp-photo.ninjs3.json"))
    assert (item.format, item.item_type) == ("ninjs3", "picture")
    [picture] = item.pictures
    assert picture.href == "cp-harbour.jpg" and picture.content_type == "image/jpeg"
    assert picture.credit == "THE CANADIAN PRESS/Sam Lens"
    assert picture.usage_terms == "No sales. No archiving."
    assert picture.caption.startswith("Ice forms on Toronto's inner harbour")


def test_a_newsml_g2_text_item_is_read_field_by_field():
    item = parse(item_bytes("afp-sommet-1.newsml.xml"))
    assert (item.format, item.version, item.language) == ("newsml-g2", 1, "fr")
    assert item.provider == "Agence France-Presse" and item.credit == "AFP"
    assert item.headline == "Sommet sur le climat : accord sur le quetzalcoatl"
    assert item.byline == "Luc Plume, AFP" and item.urgency == 4
    assert item.embargo == datetime(2030, 1, 6, 14, 30, tzinfo=UTC)
    assert [s.name for s in item.subjects] == ["Changement climatique"]
    assert item.body_html.startswith("<p>MONTRÉAL — Les délégués")
    assert "Sommet</" not in item.body_html  # the XHTML head's title is not body text


def test_a_newsml_g2_picture_item_reads_its_remote_content_and_rights():
    item = parse(item_bytes("afp-photo.newsml.xml"))
    [picture] = item.pictures
    assert item.item_type == "picture" and picture.href == "afp-delegues.jpg"
    assert picture.credit == "AFP/Marie Objectif"
    assert picture.usage_terms == "Pas de ventes. Pas d'archivage."


def _ninjs(**changes):
    document = json.loads(item_bytes("cp-budget-1.ninjs2.json"))
    document.update(changes)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"uri": None}, "uri"),
        ({"version": "two"}, "version"),
        ({"pubstatus": "maybe"}, "pubstatus"),
        ({"urgency": 12}, "urgency"),
        ({"standard": {"name": "ninjs", "version": "1.4"}}, "standard/version"),
        ({"headlines": []}, "needs a headline"),
        ({"embargoed": "next tuesday"}, "not a date and time"),
        ({"embargoed": "2030-01-06T09:30:00"}, "no time zone"),
    ],
)
def test_a_ninjs_item_outside_the_schema_is_refused_with_a_sentence(changes, words):
    with pytest.raises(BadItem, match=words):
        parse(_ninjs(**changes))


def test_the_accepted_ninjs_schema_is_itself_a_valid_json_schema():
    assert ninjs.validator() is not None  # check_schema raises otherwise
    assert ninjs.problems(json.loads(item_bytes("cp-photo.ninjs3.json"))) == []


def test_newsml_g2_with_a_doctype_or_entities_is_refused_without_expanding_them():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x" version="1">'
        b"<itemMeta/><contentMeta><headline>&lol2;</headline></contentMeta></newsItem>"
    )
    with pytest.raises(BadItem, match="DOCTYPE"):
        parse(bomb)
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">&e;</newsItem>'
    )
    with pytest.raises(BadItem):
        parse(external)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"<html><body>hello</body></html>", "not a NewsML-G2 newsItem"),
        (b"<newsItem", "not well-formed"),
        (b"{not json", "not valid JSON"),
        (b"hello", "neither a ninjs item"),
        (
            item_bytes("afp-sommet-1.newsml.xml")
            .replace(b"<provider", b"<notprovider")
            .replace(b"</provider>", b"</notprovider>"),
            "no provider",
        ),
        (item_bytes("afp-sommet-1.newsml.xml").replace(b' version="1"', b""), "version"),
    ],
)
def test_other_bad_items_are_refused_with_a_sentence(raw, words):
    with pytest.raises(BadItem, match=words):
        parse(raw)
