"""The mails themselves: the confirmation mail and an issue as each reader gets it.

An issue is rendered once (HTML with its CSS inlined by css-inline, and the plain text);
each reader's copy only swaps in their own signed links, so 100,000 copies cost 100,000
string replacements and signatures, not 100,000 renders.

Every message carries the sender's identification (outlet name and postal address, CASL
s. 6(2)), an unsubscribe link, and RFC 8058's one-click headers: ``List-Unsubscribe`` with
an https address the mailbox provider POSTs to, and ``List-Unsubscribe-Post``.
"""

import binascii
import email.message
import secrets
from email.header import Header
from email.utils import formataddr, formatdate
from functools import partial

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from articles import languages
from newsroom.siteurl import site_url

from . import tokens

# Placeholders swapped for each reader's own links (never in editors' text: they are made
# of characters the sanitised story fields and the introduction never produce together).
UNSUBSCRIBE_MARK = "@@newsletter-unsubscribe@@"
PREFERENCES_MARK = "@@newsletter-preferences@@"
# Stands for a signed token in an address reversed once per issue (signed tokens are
# URL-safe base64 and ":", which ``reverse()`` leaves as they are).
TOKEN_MARK = "0newslettertoken0"  # noqa: S105 (a placeholder, not a secret)

_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def connection(**kwargs):
    """The newsletters' mail connection: ``NEWSLETTER_EMAIL_BACKEND`` (an anymail backend
    for a provider, or SMTP), with the project's short ``EMAIL_TIMEOUT``."""
    return get_connection(settings.NEWSLETTER_EMAIL_BACKEND, **kwargs)


def sender():
    return formataddr((settings.SITE_NAME, settings.NEWSLETTER_FROM_EMAIL))


def absolute(path):
    return site_url() + path


def _path(language, name, token):
    with translation.override(languages.django_code(language)):
        return reverse(name, args=[token])


def unsubscribe_url(subscriber, newsletter_list):
    token = tokens.unsubscribe_token(subscriber, newsletter_list)
    return absolute(_path(newsletter_list.language, "newsletters:unsubscribe", token))


def preferences_url(subscriber, language):
    token = tokens.preferences_token(subscriber)
    return absolute(_path(language, "newsletters:preferences", token))


def confirmation_url(subscription):
    token = tokens.confirmation_token(subscription)
    return absolute(_path(subscription.list.language, "newsletters:confirm", token))


def _around_token(language, name):
    """The absolute address of ``name`` before and after its token, reversed once."""
    before, mark, after = absolute(_path(language, name, TOKEN_MARK)).partition(TOKEN_MARK)
    assert mark, f"{name} does not end with its token"
    return before, after


def inline_css(html):
    return _inliner.inline(html)


def _identity():
    return {
        "site_name": settings.SITE_NAME,
        "postal_address": settings.NEWSLETTER_POSTAL_ADDRESS,
        "site_url": site_url(),
    }


def confirmation_message(subscription):
    """The double opt-in mail: one link that confirms (on a page with a button: mail
    scanners follow links, so the link itself changes nothing)."""
    newsletter_list = subscription.list
    context = {
        **_identity(),
        "newsletter": newsletter_list,
        "confirm_url": confirmation_url(subscription),
    }
    with translation.override(languages.django_code(newsletter_list.language)):
        subject = render_to_string("newsletters/mail/confirm_subject.txt", context).strip()
        text = render_to_string("newsletters/mail/confirm.txt", context)
        html = inline_css(render_to_string("newsletters/mail/confirm.html", context))
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=sender(),
        to=[subscription.subscriber.email],
        connection=connection(),
    )
    message.attach_alternative(html, "text/html")
    return message


class PreparedMIME(email.message.Message):
    """A reader's copy as the bytes a mail server receives, assembled from parts prepared
    once per issue. Django's SMTP backend asks a message for ``as_bytes()``; building each
    of 100,000 copies through the ``email`` package's generator (header folding, one MIME
    tree per reader) cost more than the SMTP conversation itself."""

    def __init__(self, data):
        super().__init__()
        self._data = data

    def as_bytes(self, unixfrom=False, policy=None, linesep=None):
        return self._data

    def __bytes__(self):
        return self._data


class ReaderMessage(EmailMultiAlternatives):
    """A reader's copy: ``body``, ``alternatives`` and headers as for any message (anymail's
    providers read those), and prepared bytes for SMTP (``message()``)."""

    prepared = None

    def message(self, **kwargs):
        if self.prepared is None:
            return super().message(**kwargs)
        return PreparedMIME(self.prepared())


def _qp(text):
    """UTF-8 quoted-printable with CRLF line ends (binascii's, in C)."""
    data = text.replace("\r\n", "\n").encode("utf-8")
    return binascii.b2a_qp(data, quotetabs=False, istext=True).replace(b"\n", b"\r\n")


def _header(name, value):
    if value.isascii():
        return f"{name}: {value}".encode("ascii")
    encoded = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {encoded}".encode("ascii")


class IssueMail:
    """One issue, rendered once, and each reader's copy of it."""

    def __init__(self, issue):
        self.issue = issue
        self.list = issue.list
        self.language = self.list.language
        self.domain = settings.NEWSLETTER_FROM_EMAIL.rpartition("@")[2] or "localhost"
        stories = issue.ordered_stories()
        context = {
            **_identity(),
            "issue": issue,
            "newsletter": self.list,
            "stories": [(story, absolute(story.get_absolute_url())) for story in stories],
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "preferences_url": PREFERENCES_MARK,
        }
        with translation.override(languages.django_code(self.language)):
            self.text = render_to_string("newsletters/mail/issue.txt", context)
            self.html = inline_css(render_to_string("newsletters/mail/issue.html", context))
        self.from_email = sender()
        self.envelope_from = sanitize_address(self.from_email, "utf-8")
        self.unsubscribe_around = _around_token(self.language, "newsletters:unsubscribe")
        self.preferences_around = _around_token(self.language, "newsletters:preferences")
        self.list_id = f"<{self.list.slug}.{self.domain}>"
        self.boundary = "=_newsletter_" + secrets.token_hex(12)
        self.head = b"\r\n".join(
            [
                _header("Subject", self.issue.subject),
                b"From: " + sanitize_address(self.from_email, "utf-8").encode("ascii"),
                b"MIME-Version: 1.0",
                f'Content-Type: multipart/alternative; boundary="{self.boundary}"'.encode(),
                f"List-Id: {self.list_id}".encode(),
                b"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            ]
        )

    def _bytes(self, to, message_id, unsubscribe, text, html):
        boundary = self.boundary.encode()
        return b"\r\n".join(
            [
                self.head,
                b"To: " + to.encode("ascii"),
                b"Date: " + formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode(),
                b"Message-ID: " + message_id.encode("ascii"),
                b"List-Unsubscribe: <" + unsubscribe.encode("ascii") + b">",
                b"",
                b"--" + boundary,
                b'Content-Type: text/plain; charset="utf-8"',
                b"Content-Transfer-Encoding: quoted-printable",
                b"",
                _qp(text),
                b"--" + boundary,
                b'Content-Type: text/html; charset="utf-8"',
                b"Content-Transfer-Encoding: quoted-printable",
                b"",
                _qp(html),
                b"--" + boundary + b"--",
                b"",
            ]
        )

    def message_id(self, subscriber_id):
        # The same for every attempt at one reader: a copy sent again after a killed worker
        # carries the same id, which many mailbox providers use to drop the duplicate.
        return f"<newsletter.{self.issue.pk}.{subscriber_id}@{self.domain}>"

    def links(self, subscriber):
        """The reader's own unsubscribe and preferences addresses (as ``unsubscribe_url``
        and ``preferences_url`` make them; only the signed token is made per reader)."""
        return (
            tokens.unsubscribe_token(subscriber, self.list).join(self.unsubscribe_around),
            tokens.preferences_token(subscriber).join(self.preferences_around),
        )

    def _parts(self, subscriber):
        unsubscribe, preferences = self.links(subscriber)
        text = self.text.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(
            PREFERENCES_MARK, preferences
        )
        html = self.html.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(
            PREFERENCES_MARK, preferences
        )
        return self.message_id(subscriber.pk), unsubscribe, text, html

    def smtp_copy(self, subscriber):
        """``(message_id, bytes)``: the reader's copy as an SMTP server receives it, with no
        ``EmailMessage`` in between; ``None`` for an address the email package must encode
        or quote (then ``message()`` builds it)."""
        if not _plain_address(subscriber.email):
            return None
        message_id, unsubscribe, text, html = self._parts(subscriber)
        return message_id, self._bytes(subscriber.email, message_id, unsubscribe, text, html)

    def message(self, subscriber, connection=None):
        """``subscriber`` needs ``pk`` and ``email`` (a lightweight stand-in will do)."""
        message_id, unsubscribe, text, html = self._parts(subscriber)
        message = ReaderMessage(
            subject=self.issue.subject,
            body=text,
            from_email=self.from_email,
            to=[subscriber.email],
            connection=connection,
            headers={
                "Message-ID": message_id,
                "List-Id": self.list_id,
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(html, "text/html")
        if _plain_address(subscriber.email):  # else: the email package encodes the address
            message.prepared = partial(
                self._bytes, subscriber.email, message_id, unsubscribe, text, html
            )
        return message


def _plain_address(address):
    """An address written as it is in the envelope and the To header: printable ASCII with
    nothing the email package would quote (a stored address is validated; this is the
    guard that keeps an odd one on the slow path rather than in a header)."""
    return address.isascii() and address.isprintable() and not _QUOTED.intersection(address)


_QUOTED = frozenset(' "(),:;<>[]\\')


class StandIn:
    """A subscriber that is not one: a test send's links are signed for id 0, which no
    subscriber has, so they open an "invalid link" page instead of changing anything."""

    pk = 0

    def __init__(self, email):
        self.email = email


def proof_message(issue, email):
    mail = IssueMail(issue)
    message = mail.message(StandIn(email), connection=connection())
    message.subject = f"[TEST] {message.subject}"
    message.prepared = None  # the subject differs: the email package builds this one
    return message
