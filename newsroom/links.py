"""Links editors type (the breaking-news banner's, say): http(s) or an address on this site.

A link field that takes any text takes ``javascript:…`` or ``data:…`` too, and the page
that renders it runs the script for every reader who clicks. Every field holding a link
has ``validate_link`` on the model, and templates output such a value only through
``safe_link`` (which gives "" for anything else), so a value stored before the validator
existed is never rendered as an ``href``.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

_absolute = URLValidator(schemes=["http", "https"])


def is_safe_link(value):
    """True for an http(s) URL or a site-relative address (``/story/…``)."""
    if not isinstance(value, str) or not value:
        return False
    # Browsers drop tabs and newlines inside URLs ("java\tscript:") and read "\" as "/":
    # neither has a place in a link an editor types.
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in value) or "\\" in value:
        return False
    if value.startswith("/"):
        return not value.startswith("//")  # "//evil.example" is another site
    try:
        _absolute(value)
    except ValidationError:
        return False
    return True


@deconstructible
class LinkValidator:
    message = _(
        "Enter an address starting with https:// or http://, or one on this site starting "
        "with / (for example /story/some-story/)."
    )
    code = "invalid_link"

    def __call__(self, value):
        if value and not is_safe_link(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, LinkValidator)


validate_link = LinkValidator()


def safe_link(value):
    """``value`` when it is a safe link, else "" (for templates: no href then)."""
    return value if is_safe_link(value) else ""
