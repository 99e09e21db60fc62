"""What the formats share: dates, languages and limits."""

from datetime import UTC, datetime

from .item import BadItem

# An item this large is not news copy (a misdelivered archive, say): refused before parsing.
MAX_ITEM_BYTES = 5 * 1024 * 1024


def moment(value, what):
    """An ISO 8601 date and time with its offset, as an aware datetime; ``None`` when empty."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise BadItem(f"The {what} “{value}” is not a date and time (ISO 8601).") from None
    if parsed.tzinfo is None:
        raise BadItem(f"The {what} “{value}” has no time zone offset.")
    return parsed.astimezone(UTC)


def language(value):
    """ "en-CA" → "en": the site's languages are two letters."""
    return (value or "").split("-")[0].lower()[:2]


def version(value):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise BadItem(f"The version “{value}” is not a whole number.") from None
    if number < 1:
        raise BadItem(f"The version “{value}” must be 1 or more.")
    return number


def check_size(raw):
    if len(raw) > MAX_ITEM_BYTES:
        raise BadItem(f"The item is larger than {MAX_ITEM_BYTES // (1024 * 1024)} MB.")
