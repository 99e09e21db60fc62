"""IPTC NewsML-G2 news items (XML): a text item (XHTML or NITF body) or a picture item.

Parsed hardened, as the WordPress import is: no DTD loaded, no entity expanded, no network,
lxml's default size limits; a document that declares a DOCTYPE at all is refused (news items
have none, and that is where entity tricks live). The structure is checked where it matters
to us: one ``newsItem`` in the NewsML-G2 namespace with a guid and version, its itemMeta
(item class, provider, version time) and, for a usable item, content.
"""

from django.utils.html import escape
from lxml import etree

from articles.sanitize import clean_html

from . import common
from .item import CANCELED, USABLE, WITHDRAWN, BadItem, Picture, Subject, WireItemData

NAR = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
NS = {"n": NAR, "h": XHTML}
PUBSTATUS = {"stat:usable": USABLE, "stat:withheld": WITHDRAWN, "stat:canceled": CANCELED}
ITEM_CLASSES = {"ninat:text": "text", "ninat:picture": "picture"}


def _parser():
    return etree.XMLParser(
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(raw):
    common.check_size(raw)
    if isinstance(raw, str):
        raw = raw.encode()
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as error:
        raise BadItem(f"The item is not well-formed XML: {error}.") from None
    if root.getroottree().docinfo.doctype:
        raise BadItem("The item declares a DOCTYPE; NewsML-G2 items have none (refused).")
    if root.tag == f"{{{NAR}}}newsMessage":
        items = root.findall("n:itemSet/n:newsItem", NS)
        if len(items) != 1:
            raise BadItem("A news message must carry exactly one newsItem.")
        root = items[0]
    if root.tag != f"{{{NAR}}}newsItem":
        raise BadItem("The XML is not a NewsML-G2 newsItem (namespace " + NAR + ").")
    return _item(root)


def _first(node, path):
    found = node.find(path, NS)
    return found


def _text(node, path):
    found = node.find(path, NS)
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _label(node):
    """A provider's or holder's name: its ``name`` child, else its literal or qcode."""
    if node is None:
        return ""
    return _text(node, "n:name") or node.get("literal", "") or node.get("qcode", "")


def _item(root):
    guid = (root.get("guid") or "").strip()
    if not guid:
        raise BadItem("The newsItem has no guid.")
    if root.get("standard") not in (None, "NewsML-G2"):
        raise BadItem("The newsItem's standard is not NewsML-G2.")
    meta = _first(root, "n:itemMeta")
    content_meta = _first(root, "n:contentMeta")
    if meta is None or content_meta is None:
        raise BadItem("The newsItem needs itemMeta and contentMeta.")
    item_class = _first(meta, "n:itemClass")
    if item_class is None or item_class.get("qcode") not in ITEM_CLASSES:
        raise BadItem("The item class must be ninat:text or ninat:picture.")
    provider = _label(_first(meta, "n:provider"))
    if not provider:
        raise BadItem("The item names no provider (itemMeta/provider).")
    if not _text(meta, "n:versionCreated"):
        raise BadItem("The item has no versionCreated.")
    status = _first(meta, "n:pubStatus")
    pubstatus = PUBSTATUS.get(status.get("qcode") if status is not None else "stat:usable")
    if pubstatus is None:
        raise BadItem(f"Unknown publishing status “{status.get('qcode')}”.")
    rights = _first(root, "n:rightsInfo")
    holder = _label(_first(rights, "n:copyrightHolder")) if rights is not None else ""
    usage = _text(rights, "n:usageTerms") if rights is not None else ""
    language = _first(content_meta, "n:language")
    item_type = ITEM_CLASSES[item_class.get("qcode")]
    credit = _text(content_meta, "n:creditline") or holder or provider
    urgency_text = _text(content_meta, "n:urgency")
    item = WireItemData(
        guid=guid,
        version=common.version(root.get("version")),
        format="newsml-g2",
        item_type=item_type,
        provider=provider,
        language=common.language(
            language.get("tag")
            if language is not None
            else root.get("{http://www.w3.org/XML/1998/namespace}lang")
        ),
        headline=_text(content_meta, "n:headline"),
        byline=_text(content_meta, "n:by") or _label(_first(content_meta, "n:creator")),
        credit=credit,
        usage_terms=usage,
        subjects=_subjects(content_meta),
        urgency=_urgency(urgency_text),
        embargo=common.moment(_text(meta, "n:embargoed"), "embargo time"),
        pubstatus=pubstatus,
        version_created=common.moment(_text(meta, "n:versionCreated"), "version time"),
    )
    content = _first(root, "n:contentSet")
    if item_type == "text":
        if not item.headline:
            raise BadItem("A text item needs a headline (contentMeta/headline).")
        item.body_html = _body(content) if content is not None else ""
        if pubstatus == USABLE and not item.body_html:
            raise BadItem("A usable text item needs a body (contentSet/inlineXML).")
    else:
        caption = _text(content_meta, "n:description")
        item.headline = item.headline or caption[:200]
        item.pictures = _pictures(content, caption, credit, usage)
        if pubstatus == USABLE and not item.pictures:
            raise BadItem("A usable picture item needs a remoteContent with an href.")
    return item


def _urgency(text):
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise BadItem(f"The urgency “{text}” is not a whole number.") from None
    if not 1 <= value <= 9:
        raise BadItem(f"The urgency {value} is not between 1 and 9.")
    return value


def _subjects(content_meta):
    found = []
    for subject in content_meta.findall("n:subject", NS):
        code = subject.get("qcode") or subject.get("literal") or ""
        name = _text(subject, "n:name") or code
        if name:
            found.append(Subject(code=code[:200], name=name[:100]))
    return found


def _body(content):
    """The body of an inline XHTML or NITF document, as the site's sanitised HTML."""
    inline = _first(content, "n:inlineXML")
    if inline is None:
        data = _first(content, "n:inlineData")
        if data is None or not (data.text or "").strip():
            return ""
        paragraphs = [p.strip() for p in data.text.split("\n\n") if p.strip()]
        return clean_html("".join(f"<p>{escape(p)}</p>" for p in paragraphs))
    body = inline.find(".//h:body", NS)
    if body is None:  # NITF: body/body.content, in its own or no namespace
        body = next((e for e in inline.iter() if etree.QName(e).localname == "body.content"), None)
    if body is None:
        return ""
    parts = []
    for child in body:
        # Namespaces off, so the sanitiser sees plain <p>, <h2>…
        for element in child.iter():
            if isinstance(element.tag, str):
                element.tag = etree.QName(element).localname
        parts.append(etree.tostring(child, encoding="unicode", with_tail=False))
    etree.cleanup_namespaces(body)
    html = "".join(parts).replace(f' xmlns="{XHTML}"', "")
    return clean_html(html)


def _pictures(content, caption, credit, usage):
    if content is None:
        return []
    renditions = content.findall("n:remoteContent", NS)

    def size(node):
        return int(node.get("width") or 0) * int(node.get("height") or 0)

    for node in sorted(renditions, key=lambda n: -size(n)):
        href = node.get("href") or node.get("residref") or ""
        if not href:
            continue
        return [
            Picture(
                name=node.get("rendition", ""),
                href=href,
                content_type=node.get("contenttype", ""),
                caption=caption,
                credit=credit,
                usage_terms=usage,
                width=int(node.get("width")) if (node.get("width") or "").isdigit() else None,
                height=int(node.get("height")) if (node.get("height") or "").isdigit() else None,
            )
        ]
    return []
