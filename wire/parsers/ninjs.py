"""IPTC ninjs 2.x and 3.0 (News in JSON).

Checked against ``ninjs-accepted.json`` (Newsroom's description of the fields it reads: see
the module docstring of ``wire.parsers``), then mapped field by field. 3.0 names a body's or
rendition's type ``contenttype`` where 2.x says ``mimetype``; both are read.
"""

import functools
import json
from pathlib import Path

from django.utils.html import escape
from jsonschema import Draft202012Validator

from articles.sanitize import clean_html

from . import common
from .item import CANCELED, USABLE, WITHDRAWN, BadItem, Picture, Subject, WireItemData

SCHEMA_PATH = Path(__file__).with_name("ninjs-accepted.json")
PUBSTATUS = {"usable": USABLE, "withheld": WITHDRAWN, "canceled": CANCELED}
# infosources roles that name the agency that sent the item, best first.
PROVIDER_ROLES = ("originator", "source", "provider", "")


@functools.cache
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(document):
    """The schema's objections to ``document``, as sentences (empty: it is accepted)."""
    found = sorted(validator().iter_errors(document), key=lambda error: list(error.path))
    return [_sentence(error) for error in found]


def _sentence(error):
    where = "/".join(str(part) for part in error.absolute_path) or "the item"
    return f"{where}: {error.message}"


def parse(raw):
    common.check_size(raw)
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadItem(f"The item is not valid JSON: {error}.") from None
    if not isinstance(document, dict):
        raise BadItem("A ninjs item is a JSON object.")
    found = problems(document)
    if found:
        raise BadItem("The ninjs item does not match the schema: " + "; ".join(found[:5]))
    major = document["standard"]["version"].split(".")[0]
    headline = _text(document.get("headlines"))
    description = _text(document.get("descriptions"))
    item_type = document["type"]
    if item_type == "text" and not headline:
        raise BadItem("A ninjs text item needs a headline (headlines).")
    provider = _provider(document)
    credit = document.get("copyrightholder") or provider
    item = WireItemData(
        guid=document["uri"],
        version=common.version(document["version"]),
        format=f"ninjs{major}",
        item_type=item_type,
        provider=provider,
        language=common.language(document.get("language")),
        headline=headline or description[:200],
        body_html=_body(document.get("bodies")),
        byline=document.get("by", ""),
        credit=credit,
        usage_terms=document.get("usageterms", ""),
        subjects=_subjects(document.get("subjects")),
        urgency=document.get("urgency"),
        embargo=common.moment(document.get("embargoed"), "embargo time"),
        pubstatus=PUBSTATUS[document.get("pubstatus", "usable")],
        version_created=common.moment(document.get("versioncreated"), "version time"),
    )
    if item_type == "picture":
        item.pictures = _pictures(document, credit, description)
        if not item.pictures:
            raise BadItem("A ninjs picture item needs a rendition with an href.")
    for association in document.get("associations") or []:
        if association.get("type", "picture") != "picture":
            continue
        own_credit = association.get("copyrightholder") or credit
        item.pictures += _pictures(association, own_credit, _text(association.get("descriptions")))
    return item


def _text(values, prefer=("", "main", "caption", "summary")):
    """The main value of a ``headlines``/``descriptions`` list (plain text)."""
    values = [v for v in values or [] if v.get("value", "").strip()]
    for role in prefer:
        for value in values:
            if value.get("role", "") == role:
                return value["value"].strip()
    return values[0]["value"].strip() if values else ""


def _content_type(value):
    return (value.get("contenttype") or value.get("mimetype") or "").split(";")[0].strip()


def _body(bodies):
    """The HTML body when there is one, else the plain text as paragraphs; sanitised."""
    bodies = [b for b in bodies or [] if b.get("value", "").strip()]
    for body in bodies:
        if _content_type(body) in ("text/html", "application/xhtml+xml"):
            return clean_html(body["value"])
    for body in bodies:
        paragraphs = [p.strip() for p in body["value"].split("\n\n") if p.strip()]
        return clean_html("".join(f"<p>{escape(p)}</p>" for p in paragraphs))
    return ""


def _provider(document):
    sources = document.get("infosources") or []
    for role in PROVIDER_ROLES:
        for source in sources:
            if source.get("role", "") == role and source.get("name"):
                return source["name"]
    return document.get("copyrightholder", "")


def _subjects(subjects):
    found = []
    for subject in subjects or []:
        code = subject.get("uri") or subject.get("literal") or subject.get("name", "")
        name = subject.get("name") or subject.get("literal") or code
        if name:
            found.append(Subject(code=code[:200], name=name[:100]))
    return found


def _pictures(document, credit, caption):
    """The picture of ``document`` (a picture item or an association): its largest rendition."""
    by = document.get("by", "")
    renditions = sorted(
        document.get("renditions") or [],
        key=lambda r: -(r.get("width") or 0) * (r.get("height") or 0),
    )
    pictures = [
        Picture(
            name=rendition.get("name", document.get("name", "")),
            href=rendition["href"],
            content_type=_content_type(rendition),
            caption=caption,
            credit=f"{credit}/{by}" if by and credit else (credit or by),
            usage_terms=document.get("usageterms", ""),
            width=rendition.get("width"),
            height=rendition.get("height"),
        )
        for rendition in renditions
    ]
    return pictures[:1]  # the largest rendition: the photo library makes its own sizes
