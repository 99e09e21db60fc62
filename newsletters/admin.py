"""The desk's newsletters: lists with their subscriber counts, issues (stories in order, an
introduction, a preview as readers get it, a test send to oneself, then the send and its
progress), subscribers and suppressed addresses.

Editors only. Subscribers' addresses are shown only to those given the permission
``newsletters.view_subscriber_address`` (nobody by default, superusers aside); others see
``a***@example.ca``. Every change goes through ``newsletters.services``.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from articles import workflow
from desk.admin.permissions import ReadOnlyAdmin

from . import mail, services
from .models import (
    Delivery,
    Issue,
    IssueStory,
    NewsletterList,
    Subscriber,
    Subscription,
    Suppression,
    mask_email,
)

ADDRESS_PERMISSION = "newsletters.view_subscriber_address"


def sees_addresses(user):
    return user.has_perm(ADDRESS_PERMISSION)


class EditorsOnly:
    """Lists, issues and subscribers are the editors' (reporters see no menu, no page)."""

    def has_module_permission(self, request):
        return workflow.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return workflow.is_editor(request.user)

    def has_add_permission(self, request, obj=None):
        return workflow.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return workflow.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return workflow.is_editor(request.user)


@admin.register(NewsletterList)
class NewsletterListAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ["name", "language", "kind", "send_time", "active", "subscribers"]
    list_filter = ["language", "kind", "active"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "language", "kind", "section", "send_time", "description", "active"]
    actions = ["prepare_issue"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_subscriber_count()

    @admin.display(description=gettext_lazy("confirmed subscribers"), ordering="subscriber_count")
    def subscribers(self, obj):
        return obj.subscriber_count

    def has_delete_permission(self, request, obj=None):
        return False  # issues and consent records hang on a list: make it inactive instead

    @admin.action(description=gettext_lazy("Prepare an issue with the default stories"))
    def prepare_issue(self, request, queryset):
        issue = None
        now = timezone.now()
        for newsletter in queryset:
            issue = services.default_issue(
                newsletter, by=request.user, scheduled_for=first_free_day(newsletter, now)
            )
        if issue is not None and queryset.count() == 1:
            return redirect("admin:newsletters_issue_change", issue.pk)
        self.message_user(request, _("The issues are ready to edit."), messages.SUCCESS)
        return None


def first_free_day(newsletter, now):
    """For a list with a send time, the first day still to come without an issue (an editor
    preparing again prepares the next day's); ``None`` for an alert (sent by hand)."""
    if not newsletter.is_scheduled:
        return None
    day = newsletter.next_send_day(now)
    taken = set(
        Issue.objects.filter(list=newsletter, scheduled_for__gte=day).values_list(
            "scheduled_for", flat=True
        )
    )
    while day in taken:
        day += timedelta(days=1)
    return day


def goes_out(issue, now=None):
    """What the desk says of an issue's send: "Goes out automatically at 7:00 a.m. today.",
    why a scheduled one was not sent, or that it is sent by hand."""
    if issue.not_sent:
        return _("Not sent automatically: %(reason)s. Send it by hand if it is still wanted.") % {
            "reason": issue.get_not_sent_display()
        }
    at = issue.goes_out_at()
    if at is None:
        return _("Sent by hand.") if issue.status == Issue.Status.DRAFT else "—"
    now = timezone.now() if now is None else now
    local = timezone.localtime(at, at.tzinfo)
    today = timezone.localdate(now, at.tzinfo)
    values = {
        "time": date_format(local, "TIME_FORMAT"),
        "date": date_format(local, "MONTH_DAY_FORMAT"),
    }
    if local.date() == today:
        if at <= now:
            return _("Due at %(time)s today: going out now.") % values
        return _("Goes out automatically at %(time)s today.") % values
    if local.date() == today + timedelta(days=1):
        return _("Goes out automatically at %(time)s tomorrow.") % values
    return _("Goes out automatically at %(time)s on %(date)s.") % values


class IssueStoryInline(admin.TabularInline):
    model = IssueStory
    fields = ["position", "article"]
    raw_id_fields = ["article"]
    extra = 1
    ordering = ["position", "id"]

    def _draft(self, obj):
        return obj is None or obj.status == Issue.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return workflow.is_editor(request.user) and self._draft(obj)

    def has_change_permission(self, request, obj=None):
        return workflow.is_editor(request.user) and self._draft(obj)

    def has_delete_permission(self, request, obj=None):
        return workflow.is_editor(request.user) and self._draft(obj)

    def has_view_permission(self, request, obj=None):
        return workflow.is_editor(request.user)


@admin.register(Issue)
class IssueAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ["subject", "list", "status", "goes_out", "created_at", "progress"]
    list_filter = ["status", "list"]
    inlines = [IssueStoryInline]
    readonly_fields = ["status", "goes_out", "figures", "tools"]
    change_form_template = "admin/newsletters/issue/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("list")
            .annotate(
                done=Count("deliveries", filter=~Q(deliveries__status__in=["queued", "sending"])),
                total=Count("deliveries"),
            )
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["list", "scheduled_for", "subject", "introduction"]
        return [
            "list",
            "scheduled_for",
            "goes_out",
            "subject",
            "introduction",
            "status",
            "figures",
            "tools",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return ["list", "scheduled_for", "subject", "introduction", *self.readonly_fields]
        if obj is not None:
            return ["list", *self.readonly_fields]
        return []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if "scheduled_for" in form.changed_data:
            obj.not_sent = ""  # set aside for its old day; the new one is a fresh chance
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("goes out"))
    def goes_out(self, obj):
        return goes_out(obj)

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, obj):
        if not obj.total:
            return "—"
        return f"{obj.done:,} / {obj.total:,}"

    @admin.display(description=gettext_lazy("figures"))
    def figures(self, obj):
        counts = obj.counts()
        unsubscribed = 0
        if obj.send_started_at:
            unsubscribed = Subscription.objects.filter(
                list_id=obj.list_id, unsubscribed_at__gte=obj.send_started_at
            ).count()
        rows = [
            ("recipients", _("Recipients"), obj.recipient_count),
            ("sent", pgettext("newsletter status", "Sent"), counts[Delivery.Status.SENT]),
            ("waiting", _("Waiting"), counts["queued"] + counts["sending"]),
            ("failed", _("Failed"), counts[Delivery.Status.FAILED]),
            ("bounced", _("Bounced"), counts[Delivery.Status.BOUNCED]),
            ("skipped", _("Skipped (unsubscribed or suppressed)"), counts["skipped"]),
            ("unsubscribed", _("Unsubscribed since sending"), unsubscribed),
        ]
        return format_html(
            '<dl class="newsletter-figures">{}</dl>',
            format_html_join(
                "", '<dt>{}</dt><dd data-count="{}">{}</dd>', ((t, k, n) for k, t, n in rows)
            ),
        )

    @admin.display(description=gettext_lazy("preview and send"))
    def tools(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("admin:newsletters_issue_preview", args=[obj.pk]),
            _("Preview as readers get it"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview), name="newsletters_issue_preview"),
            path(
                "<int:pk>/send-test/",
                view(require_POST(self.send_test)),
                name="newsletters_issue_send_test",
            ),
            path("<int:pk>/send/", view(require_POST(self.send)), name="newsletters_issue_send"),
            *super().get_urls(),
        ]

    def _issue(self, request, pk):
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        return get_object_or_404(Issue.objects.select_related("list"), pk=pk)

    def preview(self, request, pk):
        issue = self._issue(request, pk)
        message = mail.IssueMail(issue).message(mail.StandIn(request.user.email or "x@x"))
        html = message.alternatives[0][0]
        response = HttpResponse(html)
        response["Cache-Control"] = "private, no-store"
        return response

    def send_test(self, request, pk):
        issue = self._issue(request, pk)
        try:
            services.send_test(issue, request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("A test copy was sent to %(address)s.") % {"address": request.user.email},
                messages.SUCCESS,
            )
        return redirect("admin:newsletters_issue_change", issue.pk)

    def send(self, request, pk):
        issue = self._issue(request, pk)
        try:
            issue = services.send_issue(issue, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Sending to %(count)s readers has started.")
                % {"count": f"{issue.recipient_count:,}"},
                messages.SUCCESS,
            )
        return redirect("admin:newsletters_issue_change", issue.pk)


class SubscriptionInline(ReadOnlyAdmin, admin.TabularInline):
    model = Subscription
    fields = [
        "list",
        "status",
        "consent_wording",
        "consented_at",
        "source_path",
        "confirmed_at",
        "unsubscribed_at",
        "unsubscribed_how",
    ]
    readonly_fields = fields
    extra = 0


@admin.register(Subscriber)
class SubscriberAdmin(EditorsOnly, ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["address", "created_at", "lists"]
    inlines = [SubscriptionInline]
    fields = ["address", "created_at"]
    readonly_fields = ["address", "created_at"]

    def has_view_permission(self, request, obj=None):
        return workflow.is_editor(request.user)

    def get_search_fields(self, request):
        # Searching by address tells whether an address subscribes: only for those who may
        # see addresses.
        return ["email"] if sees_addresses(request.user) else []

    def get_queryset(self, request):
        self._sees = sees_addresses(request.user)
        return (
            super()
            .get_queryset(request)
            .annotate(confirmed=Count("subscriptions", filter=Q(subscriptions__status="confirmed")))
        )

    @admin.display(description=gettext_lazy("email address"), ordering="email")
    def address(self, obj):
        return obj.email if getattr(self, "_sees", False) else mask_email(obj.email)

    @admin.display(description=gettext_lazy("confirmed lists"))
    def lists(self, obj):
        return obj.confirmed

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._sees = sees_addresses(request.user)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Suppression)
class SuppressionAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ["address", "reason", "at"]
    list_filter = ["reason"]

    def get_fields(self, request, obj=None):
        return ["email", "reason"] if obj is None else ["address", "reason", "at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["address", "reason", "at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # lifting a suppression could mail someone who complained

    def get_queryset(self, request):
        self._sees = sees_addresses(request.user)
        return super().get_queryset(request)

    @admin.display(description=gettext_lazy("email address"), ordering="email")
    def address(self, obj):
        return obj.email if getattr(self, "_sees", False) else mask_email(obj.email)

    def save_model(self, request, obj, form, change):
        services.suppress(obj.email, obj.reason)
