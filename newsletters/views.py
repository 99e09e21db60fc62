"""The newsletters' endpoints that are not pages.

``one_click_unsubscribe`` is RFC 8058's: a mailbox provider POSTs
``List-Unsubscribe=One-Click`` to the address in the mail's ``List-Unsubscribe`` header,
with no cookie and no CSRF token, so that one view alone is exempt from CSRF. The signed
token in the address is the whole authority: it names one subscriber and one list, and
nothing else can be changed through it. A GET of the same address is the readers' page with
a button that posts here (``unsubscribe_page``).
"""

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services, tokens
from .models import Subscription
from .pages import unsubscribe_page, unsubscribed_page


@csrf_exempt  # RFC 8058: the provider's POST carries no cookie and no token; the link is signed
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def one_click_unsubscribe(request, token):
    if request.method != "POST":
        return unsubscribe_page(request, token)
    try:
        subscriber, newsletter_list = tokens.read_unsubscribe_token(token)
    except tokens.BadToken as exc:
        return HttpResponseBadRequest(str(exc.message), content_type="text/plain; charset=utf-8")
    # A provider's POST says List-Unsubscribe=One-Click; the readers' page's button may post
    # nothing else: both mean the same, leave this list.
    how = (
        Subscription.How.ONE_CLICK
        if request.POST.get("List-Unsubscribe") == "One-Click"
        else Subscription.How.LINK
    )
    services.unsubscribe(subscriber, newsletter_list, how)
    if how == Subscription.How.ONE_CLICK:
        return HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8")
    return unsubscribed_page(request, subscriber, newsletter_list)
