import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries
from django.utils.translation import gettext as _

from articles.management.progress import progress_bar
from wordpress import derived, fidelity, importer
from wordpress.report import format_report
from wordpress.wxr import WXRError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR, from Tools → Export): posts become stories, with "
        "their authors, categories, tags, featured images, Rate My Post ratings and old "
        "addresses. Running it again updates changed posts and creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the export file (.xml)")
        parser.add_argument(
            "--media-dir", help="the site's wp-content/uploads folder, copied from the old server"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read everything and print the report, but write nothing",
        )
        parser.add_argument(
            "--report",
            metavar="PATH",
            help=(
                "where to write the fidelity report (.csv or .html; default: both, beside "
                "the export, as <export>.fidelity.csv and .html)"
            ),
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit with status 1 when anything a reader saw was lost (see the report)",
        )

    def handle(
        self, *args, export, media_dir=None, dry_run=False, report=None, strict=False, **options
    ):
        path = Path(export)
        if not path.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": export})
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(_("There is no folder at %(path)s.") % {"path": media_dir})
        started = time.monotonic()
        report_paths = fidelity.paths_for(report, path)
        try:
            report = importer.run(
                path, media_dir=media_dir, dry_run=dry_run, progress=self._progress()
            )
        except WXRError as exc:
            raise CommandError(str(exc)) from None
        imported_at = time.monotonic()
        if not dry_run and derived.pending():
            self.stderr.write(_("Queuing photo renditions and the related-stories rebuild…"))
            derived.after_import(stdout=self.stderr)
        for line in format_report(report):
            self.stdout.write(line)
        try:
            fidelity.write(report, report_paths)
        except OSError as exc:
            raise CommandError(
                _("The fidelity report cannot be written: %(why)s.") % {"why": exc.strerror or exc}
            ) from None
        for report_path in report_paths:
            self.stdout.write(_("Fidelity report: %(path)s") % {"path": report_path})
        self.stdout.write(
            _("Import %(a).0f s, derived work %(b).0f s.")
            % {"a": imported_at - started, "b": time.monotonic() - imported_at}
        )
        if strict and report.lost:
            raise CommandError(
                _("%(n)s thing(s) readers saw were lost (--strict): see the fidelity report.")
                % {"n": report.lost}
            )
        if report.has_refusals:
            raise CommandError(
                _("%(n)s item(s) refused: see the list above.") % {"n": len(report.refused)}
            )

    def _progress(self):
        """A progress bar on stderr, redrawn at most five times a second; called after each
        batch of posts."""
        bar = progress_bar(self.stderr, unit=_("posts"), min_interval=0.2)

        def show(done, total):
            # With DEBUG on, Django keeps the SQL of the last 9,000 statements, and a batch's
            # INSERT carries 250 story bodies: forgotten batch by batch, or memory grows with
            # the archive (by 150 MiB over 50,000 posts).
            reset_queries()
            bar(done, total)

        return show
