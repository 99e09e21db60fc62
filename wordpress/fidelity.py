"""The fidelity report: for each post, what a reader saw on the old site that the story
shows differently, or not at all.

Every finding has a kind:

* **lost**: something a reader saw is gone from the story (an image whose file was not found,
  a featured image a posts-only export left out, a player of an unknown kind). ``--strict``
  makes the command fail when there is any.
* **changed**: it is there in another form a reader can still follow (a video from a host
  not on the embed allow-list made a link, a link to a file left on the old site, an
  unknown shortcode kept as written).
* **left out**: not carried over by design, and said so (comment threads, forms and ads of
  plugins).
* **refused**: a value the import would not take (Rate My Post totals no votes could give).

The findings of a post are remembered with it (``WordPressPost.fidelity``), so that a run
that finds the post unchanged lists them again: nothing refused or lost the first time is
forgotten the second. The report is written as CSV (for a spreadsheet) and HTML (to open in
a browser), beside the export unless ``--report`` names the file.
"""

import csv
import html
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

LOST = "lost"
CHANGED = "changed"
LEFT_OUT = "left out"
REFUSED = "refused"
KINDS = (LOST, CHANGED, LEFT_OUT, REFUSED)


def kind_label(kind):
    return {
        LOST: pgettext("fidelity", "lost"),
        CHANGED: pgettext("fidelity", "changed"),
        LEFT_OUT: pgettext("fidelity", "left out"),
        REFUSED: pgettext("fidelity", "refused"),
    }.get(kind, kind)


@dataclass
class Finding:
    """One thing of one post: its kind, what it is (a sentence) and a detail (an address)."""

    kind: str
    what: str
    detail: str = ""

    def stored(self):
        return [self.kind, self.what, self.detail]

    @classmethod
    def from_stored(cls, value):
        kind, what, detail = (list(value) + ["", "", ""])[:3]
        return cls(str(kind), str(what), str(detail))


class Findings(list):
    """The findings of one post, filled while its content is converted."""

    def add(self, kind, what, detail=""):
        self.append(Finding(kind, what, str(detail)[:500]))

    def lost(self, what, detail=""):
        self.add(LOST, what, detail)

    def changed(self, what, detail=""):
        self.add(CHANGED, what, detail)

    def left_out(self, what, detail=""):
        self.add(LEFT_OUT, what, detail)


@dataclass
class PostFindings:
    """A post's row group in the report."""

    wp_id: int
    title: str
    link: str
    story: str  # the story's address here ("" when it has none yet)
    findings: list


def default_paths(export_path):
    """The report files beside the export: ``export.fidelity.csv`` and ``.html``."""
    return [export_path.with_name(f"{export_path.stem}.fidelity{ext}") for ext in (".csv", ".html")]


def paths_for(option, export_path):
    """The files ``--report PATH`` asks for (by its suffix), else both beside the export."""
    if not option:
        return default_paths(export_path)
    path = Path(option)
    if path.suffix.lower() in {".csv", ".html", ".htm"}:
        return [path]
    return [path.with_name(f"{path.name}{ext}") for ext in (".csv", ".html")]


def write(report, paths):
    """Write the report's findings to each of ``paths`` (CSV or HTML by suffix)."""
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".csv":
            _write_csv(report, path)
        else:
            _write_html(report, path)


def _header():
    return [
        _("WordPress id"),
        _("title"),
        _("old address"),
        _("story"),
        _("kind"),
        _("what"),
        _("detail"),
    ]


def _rows(report):
    for post in report.fidelity:
        for finding in post.findings:
            yield [
                post.wp_id,
                post.title,
                post.link,
                post.story,
                kind_label(finding.kind),
                finding.what,
                finding.detail,
            ]


def _write_csv(report, path):
    # utf-8-sig: spreadsheets then read the accents right.
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(_header())
        for row in _rows(report):
            # A cell starting with = + - @ would be a formula in a spreadsheet.
            out.writerow([_formula_safe(cell) for cell in row])


def _formula_safe(cell):
    """A text cell a spreadsheet would run as a formula (= + - @ first) gets a quote first."""
    if isinstance(cell, str) and cell and cell[0] in "=+-@":
        return f"'{cell}"
    return cell


def _write_html(report, path):
    counts = report.fidelity_counts()
    esc = html.escape
    heading = esc(_("WordPress import: fidelity report"))
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{heading}</title>",
        "<style>body{font:16px/1.4 system-ui,sans-serif;margin:1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25rem .5rem;"
        "text-align:left;vertical-align:top}.lost{background:#fdd}.changed{background:#ffd}"
        "</style></head><body>",
        f"<h1>{heading}</h1>",
        "<p>"
        + esc(
            _("Lost: %(lost)s. Changed: %(changed)s. Left out: %(left)s. Refused: %(refused)s.")
            % {
                "lost": counts[LOST],
                "changed": counts[CHANGED],
                "left": counts[LEFT_OUT],
                "refused": counts[REFUSED],
            }
        )
        + "</p>",
    ]
    if report.recovered:
        lines.append(f"<p>{esc(recovered_sentence(report.recovered))}</p>")
    lines.append("<table><thead><tr>")
    lines += [f'<th scope="col">{esc(h)}</th>' for h in _header()]
    lines.append("</tr></thead><tbody>")
    for post in report.fidelity:
        for finding in post.findings:
            link = f'<a href="{esc(post.link)}">{esc(post.link)}</a>' if post.link else ""
            story = f'<a href="{esc(post.story)}">{esc(post.story)}</a>' if post.story else ""
            lines.append(
                f'<tr class="{esc(finding.kind.replace(" ", "-"))}"><td>{post.wp_id}</td>'
                f"<td>{esc(post.title)}</td><td>{link}</td><td>{story}</td>"
                f"<td>{esc(kind_label(finding.kind))}</td><td>{esc(finding.what)}</td>"
                f"<td>{esc(finding.detail)}</td></tr>"
            )
    lines.append("</tbody></table></body></html>")
    path.write_text("\n".join(lines), encoding="utf-8")


def recovered_sentence(reason):
    return _(
        "The export is not well-formed XML (%(reason)s): it was read past that error, "
        "as WordPress's own importer reads it."
    ) % {"reason": reason}
