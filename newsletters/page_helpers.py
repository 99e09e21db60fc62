"""What the readers' pages show of newsletters: the sign-up forms in the footer of every
page and on story pages, registered with the hooks ``newsroom.templating`` and
``articles.page_helpers`` offer (``register()``, from the app's ``ready()``).

Every page is cached and the same for every reader, so the forms are generic: a list's
slug, the page's path and an empty address field. Which lists to offer is read once per
language and kept in the cache (as the footer's site pages are), so a page costs no query
for it; a change to any list forgets that and every cached page (``lists_changed``).
"""

from django.core.cache import cache
from django.utils import formats
from django.utils.translation import gettext as _

from articles import languages
from newsroom import pagecache

from .consent import consent_wording, purpose
from .models import mask_email
from .tokens import preferences_token

FOOTER_TEMPLATE = "newsletters/_footer_signup.html"
STORY_TEMPLATE = "newsletters/_story_signup.html"
CACHE_SECONDS = 60 * 60


def _cache_key(language):
    return f"newsletters:offered:{language}"


def offered(language=None):
    """The active lists of ``language`` (the page's), from the cache: a list of lists."""
    from .models import NewsletterList

    language = language or languages.current()
    lists = cache.get(_cache_key(language))
    if lists is None:
        lists = list(
            NewsletterList.objects.filter(active=True, language=language)
            .select_related("section")
            .order_by("name")
        )
        cache.set(_cache_key(language), lists, CACHE_SECONDS)
    return lists


def footer_list(language=None):
    """The list the footer offers: the language's daily digest (the first, by name)."""
    lists = offered(language)
    digests = [item for item in lists if item.kind == "digest"]
    return (digests or lists or [None])[0]


def story_list(article):
    """The list a story page offers: its section's digest if there is one, else the footer's."""
    lists = offered(article.language)
    for item in lists:
        if item.kind == "section" and item.section_id == article.section_id:
            return item
    return footer_list(article.language)


def story_signup(article):
    """The story page's sign-up block (``register_story_part``), when a list is offered."""
    return STORY_TEMPLATE if story_list(article) is not None else None


def lists_changed(**kwargs):
    """A list was saved or deleted: forget the offered lists and every cached page, whose
    footer may name it (rare: editors add a list a few times a year)."""
    cache.delete_many([_cache_key(code) for code in languages.CODES])
    pagecache.bump(pagecache.SITE_GROUP)


def signup_source(request):
    """The page a sign-up form is on, for the consent record: its path, with a signed
    link's token (the preferences page's footer) left out, since a token is a key."""
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("token") if match else None
    return request.path.replace(token, "…") if token else request.path


def schedule(newsletter):
    """ "Every day at 6:30 a.m. (Toronto time)", or for an alert when it is sent."""
    if newsletter.kind == "alert":
        return _("Sent when major news breaks.")
    if newsletter.send_time is None:
        return ""
    return _("Every day at %(time)s (Toronto time).") % {
        "time": formats.time_format(newsletter.send_time, "TIME_FORMAT")
    }


TEMPLATE_GLOBALS = {
    "consent_wording": consent_wording,
    "newsletter_purpose": purpose,
    "newsletter_schedule": schedule,
    "masked_email": mask_email,
    "signup_source": signup_source,
    "preferences_token": preferences_token,
    "newsletter_for_footer": footer_list,
    "newsletter_for_story": story_list,
}


def register():
    """Hook the forms into the pages, and the cached pages to the lists' changes."""
    from django.db.models.signals import post_delete, post_save

    from articles import page_helpers as story_page
    from newsroom import templating

    from .models import NewsletterList

    templating.register(globals=TEMPLATE_GLOBALS)
    templating.register_page_part("footer", FOOTER_TEMPLATE)
    story_page.register_story_part(story_signup)
    for signal in (post_save, post_delete):
        signal.connect(
            lists_changed, sender=NewsletterList, dispatch_uid=f"newsletters-pages-{signal}"
        )
    # The index and a list's page are not registered with the page cache: one small query
    # each, and nginx's micro-cache location (deploy/nginx/) would then have to cover
    # /newsletters/, where the signed links' pages live too.
