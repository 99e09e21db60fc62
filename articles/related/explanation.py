"""The "why these related stories" panel on a story's admin page.

Reads what the worker stored (``RelatedExplanation``) and the editors' pins: the admin never
loads the related engine, numpy or a semantic model.
"""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ..models import Article, RelatedExplanation, RelatedPin

PARTS = ("text", "semantic", "tags", "section", "recency")


def _part_labels():
    return {
        "text": _("text"),
        "semantic": _("semantic"),
        "tags": _("tags"),
        "section": _("section"),
        "recency": _("recency"),
    }


def _reasons():
    return {
        "duplicate": _("duplicate: another version of this story or of one already listed"),
        "variety": _("variety: the list already holds two follow-ups of the same running story"),
        "excluded": _("excluded by an editor"),
    }


def _method_label(method):
    if method == "plain":
        return _("plain text model (TF-IDF and LSA)")
    return _("text model with %(model)s semantic vectors") % {"model": method}


def render(article):
    """The panel's HTML for ``article`` (safe: every value is escaped)."""
    pins = list(
        RelatedPin.objects.filter(article=article)
        .order_by("position")
        .values_list("related_id", "related__headline")
    )
    explanation = RelatedExplanation.objects.filter(article=article).first()
    data = explanation.data if explanation else {}
    shown, left_out = data.get("shown", []), data.get("left_out", [])
    ids = {entry[0] for entry in shown} | {entry[0] for entry in left_out}
    headlines = dict(Article.objects.filter(pk__in=ids).values_list("pk", "headline"))
    labels = _part_labels()

    def link(pk):
        headline = headlines.get(pk)
        if headline is None:
            return format_html("<span>{}</span>", _("(story deleted)"))
        url = reverse("admin:articles_article_change", args=[pk])
        return format_html('<a href="{}">{}</a>', url, headline)

    def breakdown(values):
        return format_html_join(
            ", ",
            "{} {}",
            ((labels[name], f"{value:.3f}") for name, value in zip(PARTS, values, strict=True)),
        )

    sections = []
    if pins:
        sections.append(
            format_html(
                "<h3>{}</h3><ol>{}</ol>",
                _("Pinned by an editor (always shown first)"),
                format_html_join(
                    "",
                    "<li>{}</li>",
                    ((link(pk) if pk in headlines else headline,) for pk, headline in pins),
                ),
            )
        )
    if explanation is None:
        sections.append(
            format_html(
                "<p>{}</p>",
                _(
                    "No explanation yet: the background worker writes it the next time it "
                    "computes this story's list (after a save, or a full rebuild)."
                ),
            )
        )
        return _panel(sections)
    when = date_format(explanation.computed_at, "DATETIME_FORMAT")
    sections.append(
        format_html(
            "<p>{}</p>",
            _("Computed %(when)s with the %(method)s. Score = the parts below, added up.")
            % {"when": when, "method": _method_label(data.get("method", "plain"))},
        )
    )
    rows = format_html_join(
        "",
        '<tr data-related="{}"><td>{}</td><td>{}</td><td>{}</td></tr>',
        ((pk, link(pk), f"{score:.3f}", breakdown(values)) for pk, score, *values in shown),
    )
    sections.append(
        format_html(
            "<h3>{}</h3><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("Listed, best first (the page shows the first ones that are live)"),
            _("story"),
            _("score"),
            _("parts"),
            rows,
        )
        if shown
        else format_html("<p>{}</p>", _("No story scored high enough to be listed."))
    )
    if left_out:
        reasons = _reasons()
        rows = format_html_join(
            "",
            '<tr data-left-out="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (pk, link(pk), f"{score:.3f}", reasons.get(reason, reason), breakdown(values))
                for pk, score, reason, *values in left_out
            ),
        )
        sections.append(
            format_html(
                "<h3>{}</h3><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
                "</tr></thead><tbody>{}</tbody></table>",
                _("Strong candidates left out"),
                _("story"),
                _("score"),
                _("why"),
                _("parts"),
                rows,
            )
        )
    return _panel(sections)


def _panel(sections):
    return format_html(
        '<div class="newsroom-related-why">{}</div>',
        format_html_join("", "{}", ((section,) for section in sections)),
    )
