"""Send (or finish sending) an issue from this process, as the worker does.

``manage.py newsletter_send ISSUE_ID`` sends what is left of an issue that is sending (after
``send_issue`` in the desk), batch by batch; ``--wait`` also waits for rows a killed worker
still holds under its lease and sends them once it has passed. Safe to run beside a worker:
rows are claimed, never shared.
"""

from django.core.management.base import BaseCommand, CommandError

from newsletters import sending
from newsletters.models import Issue


class Command(BaseCommand):
    help = "Send what is left of a newsletter issue from this process (resumes a killed send)."

    def add_arguments(self, parser):
        parser.add_argument("issue_id", type=int)
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Wait for rows leased by a killed worker and send them too.",
        )

    def handle(self, issue_id, wait, **options):
        issue = Issue.objects.filter(pk=issue_id).first()
        if issue is None:
            raise CommandError(f"There is no issue {issue_id}.")
        if issue.status == Issue.Status.DRAFT:
            raise CommandError(
                f"Issue {issue_id} is a draft: start sending it from the desk first."
            )
        try:
            state = sending.run(issue_id, wait_for_leases=wait)
        except sending.MailServerUnavailable as exc:
            raise CommandError(f"The mail server did not answer: {exc}") from exc
        counts = Issue.objects.get(pk=issue_id).counts()
        self.stdout.write(
            f"Issue {issue_id}: {state}; "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
        )
