"""What the admin's story form posts, so tests can send it as a browser would (or not)."""

from django.urls import reverse
from django.utils import timezone


def add_url():
    return reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def local_date_time(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def story_form_data(article=None, **overrides):
    """The POST body of the story form, filled from ``article`` (or a fresh story)."""
    data = {
        "headline": "Wildfire forces evacuation of Kelowna suburb",
        "slug": "",
        "standfirst": "Residents of three neighbourhoods told to leave.",
        "language": "en",
        "body": "<p>Crews fought the fire overnight.</p>",
        "section": "",
        "tags": "",
        "loaded_version": "",
        "lead_photo": "",
        "photo_caption": "",
        "photo_credit": "",
        "photo_alt_text": "",
        "publish_at_0": "",
        "publish_at_1": "",
        # Asked once the story is public; empty otherwise.
        "change_kind": "",
        "change_note": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        # Related stories: editors' pins and exclusions (none here).
        "related_pins-TOTAL_FORMS": "0",
        "related_pins-INITIAL_FORMS": "0",
        "related_exclusions-TOTAL_FORMS": "0",
        "related_exclusions-INITIAL_FORMS": "0",
        # The read-only reader-ratings inline, shown to editors (who may view ratings).
        "rating_summary-TOTAL_FORMS": "0",
        "rating_summary-INITIAL_FORMS": "0",
    }
    if article is not None:
        photo = article.lead_photo
        data.update(
            headline=article.headline,
            slug=article.slug,
            standfirst=article.standfirst,
            language=article.language,
            body=article.body,
            section=str(article.section_id),
            tags=", ".join(t.name for t in article.tags.all()),
            loaded_version=str(article.version),
            lead_photo=str(article.lead_photo_id or ""),
            photo_caption=photo.caption if photo else "",
            photo_credit=photo.credit if photo else "",
            photo_alt_text=photo.alt_text if photo else "",
        )
        if article.publish_at:
            data["publish_at_0"], data["publish_at_1"] = local_date_time(article.publish_at)
        bylines = list(article.bylines.all())
        data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = str(len(bylines))
        for i, byline in enumerate(bylines):
            data.update(
                {
                    f"bylines-{i}-id": str(byline.pk),
                    f"bylines-{i}-article": str(article.pk),
                    f"bylines-{i}-author": str(byline.author_id),
                    f"bylines-{i}-position": str(byline.position),
                }
            )
    if "publish_at" in overrides:
        moment = overrides.pop("publish_at")
        data["publish_at_0"], data["publish_at_1"] = local_date_time(moment) if moment else ("", "")
    data.update(overrides)
    return data


def form_errors(response):
    """All error messages on a re-displayed admin form, as one string."""
    context = response.context
    assert context is not None, f"expected a form page, got {response.status_code}"
    form = context["adminform"].form
    messages = [str(m) for m in form.non_field_errors()]
    for field, errors in form.errors.items():
        messages += [f"{field}: {e}" for e in errors]
    return " | ".join(messages)
