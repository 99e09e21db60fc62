"""The readers' newsletter pages: the index of lists, a list's page, signing up, the
"check your inbox" page, the confirmation page, the preferences page and the unsubscribe
page (whose button posts to the one-click endpoint, ``views.one_click_unsubscribe``).

The index and a list's page are the same for everybody (a generic form). Everything else is
about one subscriber: answered ``private, no-store`` (``never_cache``), and no view here is
registered with the page cache, so neither it nor nginx in front keeps them. The sign-up
form sits on cached pages (footer, story), so it cannot carry a per-reader CSRF token: as
the ratings' plain vote form does, the sign-up checks that the browser's ``Origin`` (or
``Referer``) names this site (``ratings.origins``). The pages reached by a signed link are
not cached, so their forms carry Django's CSRF token as usual.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles import languages
from articles.paths import path
from newsroom.addresses import client_address
from ratings.origins import is_same_origin

from . import services, signup_limits, tokens
from .consent import consent_wording, preferences_wording
from .models import NewsletterList, Subscription
from .page_helpers import signup_source
from .reader_forms import PreferencesForm, SignupForm
from .tokens import BadToken

FORGERY = gettext_lazy(
    "Your sign-up could not be checked as coming from this site. Please sign up from one of "
    "our pages."
)
TOO_MANY = gettext_lazy(
    "Too many sign-ups have come from your network or for this address in the last hour. "
    "Nothing was recorded: please try again later."
)
NOTHING_CHANGED = gettext_lazy("Nothing was changed. Sign up again to get a new link.")
USE_LATEST = gettext_lazy("Nothing was changed. Use the link in your latest newsletter.")
CHOICE_GONE = gettext_lazy(
    "One of the newsletters you chose is no longer offered. Nothing was changed: open the "
    "page again to choose among those offered today."
)


# The index's order: the daily digest first, then the sections', then the alerts.
KIND_ORDER = {"digest": 0, "section": 1, "alert": 2}


def offered_lists():
    """The lists readers of the page's language can sign up to."""
    return NewsletterList.objects.active().filter(language=languages.current())


def _index_order(lists):
    return sorted(lists, key=lambda item: (KIND_ORDER.get(item.kind, 3), item.name))


def _problem(request, status, heading, message, retry_after=None):
    """A refusal: a short page with a sentence, never kept by a cache."""
    response = render(
        request,
        "newsletters/problem.html",
        {"heading": heading, "message": message},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _bad_link(request, refusal, what_now):
    """A link that is altered, expired, used or for something gone: 400, nothing changed."""
    return _problem(request, 400, _("This link does not work"), f"{refusal.message} {what_now}")


@require_GET
def index(request):
    """Every list of the page's language, each with its sign-up form."""
    lists = _index_order(offered_lists().select_related("section"))
    return render(request, "newsletters/index.html", {"lists": lists})


@require_GET
def list_page(request, slug):
    newsletter = _list_or_404(slug)
    return render(request, "newsletters/list.html", {"newsletter": newsletter})


def _list_or_404(slug):
    return get_object_or_404(offered_lists().select_related("section"), slug=slug)


@csrf_exempt  # checked first thing: the page's origin (the form is on cached pages)
@require_POST
@never_cache
def subscribe(request):
    """Sign an address up: a pending subscription and a confirmation mail, then the
    "check your inbox" page. Refusals store nothing: forgery 403, flood 429, a bad address
    the list's page again with the error in the form (400)."""
    if not is_same_origin(request):
        return _problem(request, 403, _("You are not signed up"), FORGERY)
    if signup_limits.over_address_limit(client_address(request)):
        return _problem(request, 429, _("You are not signed up"), TOO_MANY, retry_after=3600)
    form = SignupForm(request.POST, lists=offered_lists().select_related("section"))
    if not form.is_valid():
        return _form_again(request, form)
    email = form.cleaned_data["email"]
    if signup_limits.over_email_limit(email):
        return _problem(request, 429, _("You are not signed up"), TOO_MANY, retry_after=3600)
    newsletter = form.cleaned_data["newsletter"]
    try:
        services.subscribe(
            email, newsletter, consent_wording(newsletter), form.cleaned_data["source"]
        )
    except ValidationError as refusal:  # the list closed since the form was checked
        form.add_error("email", refusal.messages[0])
        return _form_again(request, form)
    # The same answer whether or not the address was known: the page says nothing of it.
    response = redirect(path("newsletters:check-inbox"))
    response.status_code = 303
    return response


def _form_again(request, form):
    """The list's page (or the index, for an unknown list) with the form's error in place."""
    newsletter = form.cleaned_data.get("newsletter")
    context = {"form": form, "email_value": request.POST.get("email", "")[:254]}
    if newsletter is None:
        lists = _index_order(offered_lists().select_related("section"))
        context.update(lists=lists, problem=form.first_error())
        return render(request, "newsletters/index.html", context, status=400)
    context["newsletter"] = newsletter
    return render(request, "newsletters/list.html", context, status=400)


@never_cache
@require_GET
def check_inbox(request):
    return render(request, "newsletters/check_inbox.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners open links; they do not press buttons), POST
    confirms. A link that was used, expired or altered: 400, nothing changed."""
    try:
        subscription = tokens.read_confirmation_token(token)
    except BadToken as refusal:
        return _bad_link(request, refusal, NOTHING_CHANGED)
    if request.method == "GET":
        return render(request, "newsletters/confirm.html", {"subscription": subscription})
    try:
        subscription = services.confirm(token)
    except BadToken as refusal:
        return _bad_link(request, refusal, NOTHING_CHANGED)
    return render(
        request,
        "newsletters/confirmed.html",
        {
            "subscription": subscription,
            "preferences_token": tokens.preferences_token(subscription.subscriber),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    """Choose lists, or leave them all, by the signed link of the mails (no account).

    The link proves the address (it came in a mail to it), so a list ticked here starts at
    once, with the page's consent sentence recorded as shown.
    """
    try:
        subscriber = tokens.read_preferences_token(token)
    except BadToken as refusal:
        return _bad_link(request, refusal, USE_LATEST)
    lists = NewsletterList.objects.active().select_related("section")
    saved = None
    if request.method == "POST":
        if "unsubscribe_all" in request.POST:
            services.update_preferences(subscriber, [])
            saved = _("You are unsubscribed from every newsletter. You will get no more mail.")
        else:
            form = PreferencesForm(request.POST, lists=lists)
            if not form.is_valid():
                return _problem(request, 400, _("Your choices were not saved"), CHOICE_GONE)
            services.update_preferences(
                subscriber,
                list(form.cleaned_data["newsletters"]),
                wording=preferences_wording(),
                source_path=signup_source(request),  # never the link itself
            )
            saved = _("Your choices are saved.")
    chosen = set(
        Subscription.objects.filter(subscriber=subscriber)
        .exclude(status=Subscription.Status.UNSUBSCRIBED)
        .values_list("list_id", flat=True)
    )
    context = {
        "subscriber": subscriber,
        "choices": _choices(lists, chosen),
        "saved": saved,
        "wording": preferences_wording(),
    }
    return render(request, "newsletters/preferences.html", context)


def _choices(lists, chosen):
    """``[(list, ticked)]``: the page's language's lists first."""
    language = languages.current()
    ordered = sorted(
        lists,
        key=lambda item: (item.language != language, KIND_ORDER.get(item.kind, 3), item.name),
    )
    return [(item, item.pk in chosen) for item in ordered]


@never_cache
def unsubscribe_page(request, token):
    """The page of a mail's unsubscribe link (a GET of the one-click address, which
    ``views.one_click_unsubscribe`` hands over): a button that posts to the same address.
    Opening the link changes nothing: mail scanners open links too."""
    try:
        subscriber, newsletter = tokens.read_unsubscribe_token(token)
    except BadToken as refusal:
        return _bad_link(request, refusal, USE_LATEST)
    return render(
        request,
        "newsletters/unsubscribe.html",
        {"subscriber": subscriber, "newsletter": newsletter},
    )


def unsubscribed_page(request, subscriber, newsletter):
    """After the unsubscribe page's button: done, with the way to choose other lists."""
    return render(
        request,
        "newsletters/unsubscribed.html",
        {"subscriber": subscriber, "newsletter": newsletter},
    )
