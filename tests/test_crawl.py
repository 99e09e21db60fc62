"""A reader's crawl of the whole public site finds nothing of what is not published.

Starting from the home page, every feed and every sitemap, the crawl follows every
same-site link (``<a href>``, ``<link href>``, sitemap ``<loc>``, feed ``<link>``) with
drafts, stories in review, scheduled, future-dated, unpublished and deleted stories present,
each with its own words, tag, byline and photo, and the page cache on. The unpublished and
deleted stories were public first and the site was crawled then, so a cache that keeps a
page, sitemap or feed too long fails this test too. Stories go by every path: unpublished,
deleted one at a time, deleted with the admin's "Delete selected" action, retracted (only
its own 410 notice and its history may show it: its headline, and in the history its text,
never its tags, byline or photo) and removed for legal reasons (nothing at all, its history
and its photo's files included); and a public story's photo is
deleted. Wire items, from the folder and the push endpoint, and a draft made from one, are
private: none of their words, bylines or captions may show. The last test crawls through the
repository's nginx with the app server stopped: nothing the proxy kept may bring any of it
back.
"""

import json
import re
import threading
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import PurePosixPath
from socketserver import ThreadingMixIn
from urllib.parse import urljoin, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.etree import ElementTree

import pytest
from django.core.files.base import ContentFile
from django.core.wsgi import get_wsgi_application
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from devtools.cluster import (
    Processes,
    fetch,
    free_port,
    nginx_binary,
    start_nginx,
    wait_for,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    StaffFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.ca"
START = [
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/feeds/latest/rss/",
    "/feeds/latest/atom/",
    # The French site (its robots.txt lines and switchers lead here too).
    "/fr/",
    "/fr/sitemap.xml",
    "/fr/fils/recents/rss/",
    # The public record: corrections in each language, and their feeds.
    "/corrections/",
    "/feeds/corrections/rss/",
    "/fr/corrections/",
    # The public API: its answers name the stories, sections, tags and authors, the pages'
    # addresses and the next pages of results, all followed.
    "/api/v1/stories/?limit=2",
    "/api/v1/stories/?format=ninjs",
    "/api/v1/stories/?language=fr-ca",
    "/api/v1/sections/",
    "/api/v1/tags/",
    "/api/v1/authors/?limit=2",
]
API = "/api/"
NOT_CRAWLED = ("/admin/", "/static/", "/media/")
MAX_PAGES = 800

HIDDEN_KINDS = {
    "draft": {"status": Article.Status.DRAFT, "publish_at": None},
    "review": {"status": Article.Status.IN_REVIEW, "publish_at": None},
    "scheduled": {
        "status": Article.Status.SCHEDULED,
        "publish_at": timezone.now() + timedelta(days=2),
    },
    "future": {
        "status": Article.Status.PUBLISHED,
        "publish_at": timezone.now() + timedelta(hours=3),
    },
    # These are public first, then unpublished or deleted (below).
    "unpublished": {},
    "deleted": {},
    "bulk_deleted": {},
    "retracted": {},
    "removed": {},
}
GONE_LATER = ("unpublished", "deleted", "bulk_deleted", "retracted", "removed")
# Made-up words: they cannot turn up in a page by chance.
WORDS = {
    "draft": "Quillometric",
    "review": "Brantifold",
    "scheduled": "Vesperlune",
    "future": "Oskarwyn",
    "unpublished": "Tamblerook",
    "deleted": "Fennimaw",
    "bulk_deleted": "Grindlewhar",
    "retracted": "Morvantile",
    "removed": "Quessabrine",
}
# French stories that readers must not see: a draft translation of a public English story
# (which must not name it in its switcher or hreflang), and a French story public first,
# then unpublished.
FRENCH_WORDS = {"fr_draft": "Bouquenelle", "fr_unpublished": "Chantevrille"}
# A public story keeps going; only its photo, with this word in its caption, is deleted.
PHOTO_WORD = "Plimsoret"
# A public story whose drafts were never public: one written before its first publication
# (and taken out before it), one between two public versions (unpublished, edited, then
# published again as a correction). Neither may turn up anywhere, its history page included.
RECORD_WORDS = {"draft before publication": "Draftovine", "draft between versions": "Interimbrook"}
RECORD_NOTE = "An earlier version of this story misstated the tally."
# Live coverage: an update of a public live story, public first, then deleted; and an update
# of the draft story, covered live before it is published.
LIVE_WORDS = {"deleted live update": "Scrivelane", "draft live update": "Morrowquist"}
# Wire items (tests/wire/items/), from the folder and the push endpoint, all private: their
# made-up words, bylines and captions; one is used for a draft, which stays a draft.
WIRE_WORDS = {
    "wire text (ninjs)": ["Zanzibarite", "Jane Quill"],
    "wire text (NewsML-G2)": ["Quetzalcoatl", "Luc Plume"],
    "wire picture (ninjs)": ["Ice forms on Toronto", "Sam Lens"],
    "wire picture (NewsML-G2)": ["Marie Objectif", "Des délégués au sommet"],
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.found.append(attrs["href"])


def links_in(response, base):
    content_type = response.get("Content-Type", "")
    if not any(kind in content_type for kind in ("html", "xml", "json", "text/plain")):
        return []  # an icon, the manifest: nothing to follow
    text = response.content.decode()
    if "html" in content_type:
        parser = Links()
        parser.feed(text)
        found = parser.found
    elif "xml" in content_type:
        root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
        found = []
        for element in root.iter():
            name = element.tag.rsplit("}", 1)[-1]
            if name in ("loc", "link"):
                found.append(element.get("href") or (element.text or "").strip())
    elif "json" in content_type:
        found = [value for value in strings_in(json.loads(text)) if "://" in value]
    elif "text/plain" in content_type:
        found = re.findall(r"^Sitemap:\s*(\S+)", text, flags=re.MULTILINE)
    else:
        found = []
    return [urljoin(base, link) for link in found if link]


def strings_in(data):
    """Every string in a JSON document, however deep."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def api_story_ids(pages):
    """The ids of the stories the crawled API answers list or show."""
    found = set()
    for path, response in pages.items():
        if not path.startswith(API) or response.status_code != 200:
            continue
        for value in strings_in(response.json()):
            match = re.search(r"/api/v1/stories/(\d+)/", value)
            if match:
                found.add(int(match.group(1)))
    return found


def same_site_path(url):
    parts = urlsplit(url)
    if parts.scheme and f"{parts.scheme}://{parts.netloc}" not in (SITE, "http://testserver"):
        return None
    if parts.path.startswith(NOT_CRAWLED) or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, also=()):
    """Every same-site URL reachable from the start points (and ``also``): ``{path: response}``."""
    seen, queue, pages = {*START, *also}, [*START, *also], {}
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        pages[path] = response
        assert len(pages) < MAX_PAGES, "the crawl does not end: a link loop?"
        if response.status_code in (301, 302):
            targets = [response["Location"]]
        elif response.status_code == 200:
            targets = links_in(response, f"{SITE}{path}")
        else:
            continue
        for target in targets:
            target_path = same_site_path(target)
            if target_path and target_path not in seen:
                seen.add(target_path)
                queue.append(target_path)
    return pages


def photo(word):
    return PhotoFactory(
        image=ContentFile(image_bytes(size=(480, 320)), name=f"{word.lower()}-portrait.jpg"),
        caption=f"{word} caption",
        alt_text=f"{word} alt text",
        credit=f"{word} Photo Agency",
    )


def story_with_its_own_names(word, section, **fields):
    return ArticleFactory(
        headline=f"{word} inquiry widens",
        standfirst=f"What the {word} papers show.",
        body=f"<p>{word} said the plan was ready.</p>",
        section=section,
        tags=[f"{word} Affair"],
        authors=[AuthorFactory(name=f"Ada {word}", slug=f"ada-{word.lower()}")],
        lead_photo=photo(word),
        **fields,
    )


def markers(article):
    """Every string of a story that must not reach a reader: words, names, file names."""
    photo = article.lead_photo
    # Renditions share their file names ("480w.jpg") with every photo: their whole path
    # is what is the story's own. The upload keeps its name (whatever naming is in use).
    renditions = [
        path
        for rendition in photo.renditions
        for path in rendition.values()
        if isinstance(path, str)
    ]
    found = {
        article.slug,
        *(tag.name for tag in article.tags.all()),
        *(tag.slug for tag in article.tags.all()),
        *(author.name for author in article.byline_authors()),
        *(author.slug for author in article.byline_authors()),
        photo.image.name,
        PurePosixPath(photo.image.name).name,
        *renditions,
    }
    return {marker.lower() for marker in found if marker}


@pytest.fixture
def newsroom(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    settings.API_ANONYMOUS_REQUESTS_PER_MINUTE = 0  # a crawl is many requests from one address
    settings.PAGE_CACHE_SECONDS = 600
    shared = SectionFactory(name="Politics", slug="politics")
    politique = SectionFactory(
        name="Politique", slug="politique", language="fr", translation_of=shared
    )
    with django_capture_on_commit_callbacks(execute=True):
        public = [
            ArticleFactory(
                headline=f"Council debates budget, part {n}",
                section=shared,
                tags=["Budget", "City hall"],
                lead_photo=PhotoFactory(image=ContentFile(image_bytes(size=(480, 320)), "p.jpg")),
            )
            for n in range(3)
        ]
        hidden = {
            kind: story_with_its_own_names(WORDS[kind], shared, **fields)
            for kind, fields in HIDDEN_KINDS.items()
        }
        public += [
            ArticleFactory(
                headline=f"Le conseil débat du budget, partie {n}",
                language="fr",
                section=politique,
                tags=["Budget municipal"],
                translation_of=public[n],
            )
            for n in range(2)
        ]
        hidden["fr_draft"] = story_with_its_own_names(
            FRENCH_WORDS["fr_draft"],
            politique,
            language="fr",
            translation_of=public[2],
            status=Article.Status.DRAFT,
        )
        hidden["fr_unpublished"] = story_with_its_own_names(
            FRENCH_WORDS["fr_unpublished"], politique, language="fr"
        )
        public.append(
            ArticleFactory(headline="Harbour reopens", section=shared, lead_photo=photo(PHOTO_WORD))
        )
    for kind in ("draft", "review", "fr_draft"):
        Article.objects.filter(pk=hidden[kind].pk).update(publish_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        public.insert(-1, corrected_story(shared))  # the photo story stays last
    return public, hidden


def corrected_story(section):
    """A story with two public versions and two drafts readers never saw (RECORD_WORDS)."""
    editor = StaffFactory(group="Editor")
    story = ArticleFactory(
        headline="Recount confirms result",
        body=f"<p>{RECORD_WORDS['draft before publication']} draft text.</p>",
        section=section,
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    story.body = "<p>The tally was 512 to 498.</p>"
    story.save()
    workflow.move(story, Article.Status.PUBLISHED, by=editor)
    workflow.move(story, Article.Status.UNPUBLISHED, by=editor)
    story.body = f"<p>The tally was {RECORD_WORDS['draft between versions']}.</p>"
    story.save()
    story.body = "<p>The tally was 512 to 489.</p>"
    story.save()
    workflow.move(story, Article.Status.PUBLISHED, by=editor, change=("correction", RECORD_NOTE))
    return story


@pytest.fixture
def live_updates(newsroom, django_capture_on_commit_callbacks):
    """A public story covered live, with an update that will be deleted, and a draft story
    covered live with an update of its own."""
    from live import services
    from tests.factories import StaffFactory

    public, hidden = newsroom
    editor = StaffFactory(username="live-desk", group="Editor")
    with django_capture_on_commit_callbacks(execute=True):
        coverage = services.start(public[0], by=editor)
        services.post(coverage, by=editor, body="<p>Council opens the budget debate.</p>")
        doomed = services.post(
            coverage, by=editor, body=f"<p>{LIVE_WORDS['deleted live update']} walks out.</p>"
        )
        draft = services.start(hidden["draft"], by=editor)
        services.post(draft, by=editor, body=f"<p>{LIVE_WORDS['draft live update']} waits.</p>")
    return public[0], doomed, editor


@pytest.fixture
def wire_items(newsroom, settings, tmp_path, client, django_capture_on_commit_callbacks):
    """Every test wire item, by the folder and by the push endpoint, and a draft made from
    the ninjs picture (its photo in the library, its subjects as tags)."""
    from tests.wire.conftest import deliver, item_bytes
    from wire import inbox, services
    from wire.models import WireItem
    from wire.views import signature

    settings.WIRE_INBOX_DIR = str(tmp_path / "inbox")
    (tmp_path / "inbox").mkdir()
    deliver(
        tmp_path / "inbox",
        "cp-budget-1.ninjs2.json",
        "cp-photo.ninjs3.json",
        "afp-photo.newsml.xml",
        pictures=["cp-harbour.jpg", "afp-delegues.jpg"],
    )
    assert inbox.poll() == {"created": 3}
    settings.WIRE_PUSH_SECRET = "crawl-test-secret-of-thirty-two-chars"
    body = item_bytes("afp-sommet-1.newsml.xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/wire/push/",
            body,
            content_type="application/xml",
            HTTP_X_WIRE_SIGNATURE=signature(body, settings.WIRE_PUSH_SECRET),
        )
    assert response.status_code == 202
    assert WireItem.objects.count() == 4
    editor = StaffFactory(username="wire-desk", group="Editor")
    draft = services.use_item(WireItem.objects.get(format="ninjs3"), by=editor)
    return draft


def photo_markers(photo):
    """The deleted photo's words and file names."""
    copies = [*photo.renditions, *photo.crops]
    names = [photo.image.name, *(v for c in copies for v in c.values() if isinstance(v, str))]
    return {PHOTO_WORD.lower(), *(name.lower() for name in names)}


def take_down(hidden, photo_story, admin_client):
    """Every way a story or photo leaves the site: unpublish, delete, bulk delete, photo."""
    for kind in ("unpublished", "fr_unpublished"):
        hidden[kind].status = Article.Status.UNPUBLISHED
        hidden[kind].save()
    hidden["deleted"].delete()
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [hidden["bulk_deleted"].pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=hidden["bulk_deleted"].pk).exists()
    photo_story.lead_photo.delete()
    for kind, name in (("retracted", "retract"), ("removed", "remove")):
        response = admin_client.post(
            reverse(f"admin:articles_article_{name}", args=[hidden[kind].pk]),
            {"note": f"Withdrawn ({kind}): the sources did not hold up."},
        )
        assert response.status_code == 302


def leaks(text, everything_hidden):
    """``[(kind, marker), …]`` of what the text shows that it must not."""
    return [(kind, s) for kind, strings in everything_hidden.items() for s in strings if s in text]


def test_a_crawl_of_the_public_site_finds_no_trace_of_unpublished_stories(
    client, admin_client, newsroom, live_updates, wire_items, django_capture_on_commit_callbacks
):
    public, hidden = newsroom
    live_story, doomed_update, live_editor = live_updates
    words = {**WORDS, **FRENCH_WORDS}
    everything_hidden = {
        kind: markers(story) | {words[kind].lower()} for kind, story in hidden.items()
    }
    everything_hidden["deleted photo"] = photo_markers(public[-1].lead_photo)
    for kind, word in RECORD_WORDS.items():
        everything_hidden[kind] = {word.lower()}
    everything_hidden.update({kind: {word.lower()} for kind, word in LIVE_WORDS.items()})
    everything_hidden.update(
        {kind: {word.lower() for word in words} for kind, words in WIRE_WORDS.items()}
    )
    # The agency's own name is public already (the public photos' credits name it).
    everything_hidden["draft from the wire"] = markers(wire_items) - {
        "the canadian press",
        "the-canadian-press",
    }
    live_addresses = [
        reverse("live:updates", args=[live_story.slug]),
        reverse("live:feed", args=[live_story.slug]),
        reverse("live:entry", args=[live_story.slug, doomed_update.pk]),
    ]

    # While they are public, those that will go are on the site (and in its caches).
    before = crawl(client)
    text_before = "\n".join(r.content.decode(errors="replace").lower() for r in before.values())
    for kind in GONE_LATER:
        assert WORDS[kind].lower() in text_before
        assert f"/tag/{WORDS[kind].lower()}-affair/" in before
    assert PHOTO_WORD.lower() in text_before
    # The API listed them too (and its answers are in the page cache now).
    assert {hidden[kind].pk for kind in GONE_LATER} <= api_story_ids(before)
    # The French site was crawled: its stories, and the French one that will go.
    assert public[3].get_absolute_url() in before
    assert FRENCH_WORDS["fr_unpublished"].lower() in text_before
    # The live update that will go was public, on the story page, in its feed and endpoint.
    assert LIVE_WORDS["deleted live update"].lower() in text_before
    for address in live_addresses:
        assert client.get(address, follow=True).status_code == 200, address
    assert live_addresses[1] in before  # the feed is linked from the story page

    with django_capture_on_commit_callbacks(execute=True):
        take_down(hidden, public[-1], admin_client)
        from live import services

        services.delete(doomed_update, by=live_editor)

    # The withdrawn stories' addresses are crawled too (nothing links to them any more).
    retracted_url, removed_url = (hidden[k].get_absolute_url() for k in ("retracted", "removed"))
    also = [retracted_url, removed_url, f"{retracted_url}history/", f"{removed_url}history/"]
    pages = crawl(client, also=also)
    for url in (removed_url, f"{removed_url}history/"):
        removed = pages.pop(url)
        assert removed.status_code == 404
        assert not leaks(removed.content.decode().lower(), everything_hidden)
    # The retracted story's history stays public: its headline, text and the retraction's
    # note; never its tags, byline or photo.
    record = pages.pop(f"{retracted_url}history/")
    record_text = record.content.decode().lower()
    assert record.status_code == 200 and "sources did not hold up" in record_text
    assert f"{WORDS['retracted'].lower()} inquiry widens" in record_text
    notice = pages.pop(retracted_url)
    assert notice.status_code == 410
    notice_text = notice.content.decode().lower()
    # Its headline and note, and nothing else of it: no text, tag, byline or photo.
    assert f"{WORDS['retracted'].lower()} inquiry widens" in notice_text
    assert "sources did not hold up" in notice_text
    allowed = {WORDS["retracted"].lower(), hidden["retracted"].slug}
    for text in (notice_text, record_text):
        assert not leaks(text, {"retracted": everything_hidden["retracted"] - allowed})
    assert "said the plan was ready" not in notice_text
    assert public[0].get_absolute_url() in pages
    # The corrected story's history was crawled, with both public versions and the note.
    history = pages[f"{public[-2].get_absolute_url()}history/"].content.decode()
    assert "<del>498.</del><ins>489.</ins>" in history and RECORD_NOTE in history
    assert RECORD_NOTE in pages["/corrections/"].content.decode()
    assert len(pages) > 20
    assert public[-1].get_absolute_url() in pages
    assert public[3].get_absolute_url() in pages and "/fr/rubrique/politique/" in pages
    for path, response in pages.items():
        leaked = leaks(response.content.decode(errors="replace").lower(), everything_hidden)
        assert not leaked, f"{path} shows what is gone: {leaked}"
    for address in live_addresses[:2]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert not leaks(response.content.decode(errors="replace").lower(), everything_hidden), (
            address
        )
    assert client.get(live_addresses[2]).status_code == 404  # the deleted update's permalink
    draft = hidden["draft"].slug
    for address in (f"/story/{draft}/live/updates/", f"/story/{draft}/live/feed/"):
        assert client.get(address).status_code == 404, address
    for words in WIRE_WORDS.values():
        search = client.get("/search/", {"q": words[0]})
        results = search.content.decode().lower()
        assert search.status_code == 200 and words[1].lower() not in results
    assert client.get("/wire/push/").status_code == 405  # the push endpoint shows nothing
    # The API was crawled, and lists only stories readers may see, none of the others.
    crawled_api = [path for path in pages if path.startswith(API)]
    assert any("cursor=" in path for path in crawled_api), "the API's next pages were followed"
    listed = api_story_ids(pages)
    assert listed and listed <= set(Article.objects.published().values_list("pk", flat=True))
    assert not listed & {story.pk for story in hidden.values()}
    for kind, story in hidden.items():
        answer = client.get(f"/api/v1/stories/{story.pk}/")
        assert answer.status_code == (410 if kind == "retracted" else 404), kind
        if kind == "retracted":
            assert not leaks(
                answer.content.decode().lower(),
                {"retracted": everything_hidden["retracted"] - allowed},
            )
        word = (WORDS | FRENCH_WORDS)[kind]
        language = "fr-ca" if kind.startswith("fr_") else "en-ca"
        found = client.get("/api/v1/search/", {"q": word, "language": language})
        assert found.json()["results"] == [], kind
    for kind in HIDDEN_KINDS:
        word = WORDS[kind].lower()
        assert not any(word in path for path in pages), f"a link to the {kind} story's pages"
        search = client.get("/search/", {"q": WORDS[kind]})
        assert search.status_code == 200
        results = search.content.decode().lower()  # echoes the query, so look for the story
        assert f"{word} inquiry widens" not in results and "ada " + word not in results
        for url in (
            f"/tag/{word}-affair/",
            f"/author/ada-{word}/",
            f"/feeds/tag/{word}-affair/rss/",
        ):
            assert client.get(url).status_code == 404, url


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ThreadedWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class AppServer:
    """This process's Django on a port of its own, stopped and started by the test."""

    def __init__(self):
        self.port = free_port()
        self.server = make_server(
            "127.0.0.1",
            self.port,
            get_wsgi_application(),
            server_class=ThreadedWSGIServer,
            handler_class=QuietHandler,
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=10)


@pytest.fixture
def app_behind_nginx(settings, tmp_path):
    """The repository's nginx (devtools/nginx.py) in front of an app server here."""
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    settings.ALLOWED_HOSTS = ["*"]
    settings.PAGE_PROXY_SECONDS = 1
    app = AppServer()
    processes = Processes(tmp_path)
    try:
        base, _log = start_nginx(processes, tmp_path, [app.port])
        yield base, app
    finally:
        processes.stop_all()
        app.stop()


@pytest.mark.django_db(transaction=True)
def test_nothing_gone_comes_back_from_nginx_while_the_app_server_is_down(
    client, admin_client, newsroom, app_behind_nginx
):
    """Crawled through nginx, then taken down, then the app stopped: nginx shows none of it."""
    base, app = app_behind_nginx
    public, hidden = newsroom
    everything_hidden = {kind: markers(hidden[kind]) | {WORDS[kind].lower()} for kind in GONE_LATER}
    everything_hidden["deleted photo"] = photo_markers(public[-1].lead_photo)
    paths = [path for path, response in crawl(client).items() if response.status_code == 200]
    shown = set()
    for path in paths:  # nginx keeps each page it may keep
        status, headers, body = fetch(base + path)
        assert status == 200, path
        if leaks(body.decode(errors="replace").lower(), everything_hidden):
            shown.add(path)
    assert hidden["unpublished"].get_absolute_url() in shown
    assert public[-1].get_absolute_url() in shown

    take_down(hidden, public[-1], admin_client)  # committed at once: no test transaction
    app.stop()

    for path in paths:
        # nginx's copy is fresh for a second or two: wait until it has to ask the app.
        status, headers, body = wait_for(
            lambda path=path: (
                (answer := fetch(base + path))[1]["X-Cache-Status"] != "HIT" and answer
            ),
            10,
            f"nginx's copy of {path} to expire",
        )
        leaked = leaks(body.decode(errors="replace").lower(), everything_hidden)
        assert not leaked, f"nginx handed out {path} with what is gone: {leaked}"
        assert status == 503, (path, status)
        assert "Back in a moment" in body.decode()
        assert headers["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_nginx_keeps_a_retracted_storys_410_as_a_410(app_behind_nginx):
    """The micro-cache (deploy/nginx/) passes the notice on unchanged, then serves its copy."""
    from articles import workflow
    from tests.factories import StaffFactory

    base, _app = app_behind_nginx
    story = ArticleFactory(headline="Morvantile inquiry widens")
    url = base + story.get_absolute_url()
    assert fetch(url)[0] == 200
    workflow.move(
        story, Article.Status.RETRACTED, by=StaffFactory(group="Editor"), note="Sources failed."
    )
    answers = [
        wait_for(lambda: (answer := fetch(url))[0] == 410 and answer, 10, "nginx to ask the app")
    ]
    answers.append(fetch(url))
    for status, _headers, body in answers:
        assert status == 410
        assert "Sources failed." in body.decode() and "Morvantile" in body.decode()
    assert {answers[0][1]["X-Cache-Status"], answers[1][1]["X-Cache-Status"]} >= {"HIT"}
