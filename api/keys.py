"""The one service for partners' keys: create (the key is shown once), revoke, look up.

Every path (the desk's form and action, a shell) calls these; the desk only draws them.
"""

import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import workflow

from .models import ApiKey

# "nrk_" + 43 URL-safe characters (32 random bytes): recognisable in a leaked log or paste.
KEY_MARK = "nrk_"
PREFIX_LENGTH = 12  # the mark and 8 random characters: shown in the desk, unique


def hashed(raw_key):
    return hashlib.sha256(raw_key.encode()).hexdigest()


def create_key(name, by, requests_per_minute=None):
    """A new key for ``name``: returns ``(ApiKey, the key)``; the key is never stored.

    Editors only: anyone else gets a ``ValidationError`` with a sentence, and nothing is
    written.
    """
    if not workflow.is_editor(by):
        raise ValidationError(_("Only editors may create API keys."))
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Say who the key is for."))
    raw = KEY_MARK + secrets.token_urlsafe(32)
    key = ApiKey(
        name=name,
        prefix=raw[:PREFIX_LENGTH],
        hashed_key=hashed(raw),
        requests_per_minute=requests_per_minute,
        created_by=by,
    )
    key.full_clean()
    with transaction.atomic():
        key.save()
    return key, raw


def revoke_keys(keys, by):
    """Revoke these keys now (those already revoked keep their first date); the count."""
    if not workflow.is_editor(by):
        raise ValidationError(_("Only editors may revoke API keys."))
    ids = [key.pk for key in keys]
    return ApiKey.objects.filter(pk__in=ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )


def find_key(raw_key):
    """The active key whose value this is, or None (unknown, revoked or malformed)."""
    if not raw_key or not raw_key.startswith(KEY_MARK) or len(raw_key) > 100:
        return None
    key = ApiKey.objects.active().filter(prefix=raw_key[:PREFIX_LENGTH]).first()
    if key is None or not hmac.compare_digest(key.hashed_key, hashed(raw_key)):
        return None
    return key
