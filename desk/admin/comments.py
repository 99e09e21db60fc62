"""The story admin's comments on a field: the panel on the story page and its two POST
endpoints (add, resolve), each a thin call into ``desk.comments``."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _

from articles import workflow
from articles.models import Article, FieldComment
from desk import comments


class CommentsMixin:
    """URLs ``admin:articles_article_comment_add`` and ``…_comment_resolve``."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/comments/<int:comment_id>/resolve/",
                view(self.comment_resolve_view),
                name="articles_article_comment_resolve",
            ),
            path(
                "<path:object_id>/comments/",
                view(self.comment_add_view),
                name="articles_article_comment_add",
            ),
            *super().get_urls(),
        ]

    def _back(self, article):
        return redirect(reverse("admin:articles_article_change", args=[article.pk]) + "#comments")

    def comment_add_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not workflow.can_preview(request.user, article):
            raise PermissionDenied
        try:
            comments.add(
                article,
                by=request.user,
                field=request.POST.get("field", "body"),
                quote=request.POST.get("quote", ""),
                text=request.POST.get("text", ""),
            )
        except ValidationError as refused:
            if refused.code == "not_allowed":
                raise PermissionDenied from refused
            self.message_user(
                request,
                _("The comment was not added: %(why)s") % {"why": " ".join(refused.messages)},
                messages.ERROR,
            )
        else:
            self.message_user(request, _("Comment added."), messages.SUCCESS)
        return self._back(article)

    def comment_resolve_view(self, request, object_id, comment_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = get_object_or_404(
            FieldComment.objects.select_related("article"),
            pk=comment_id,
            article_id=unquote(object_id),
        )
        try:
            comments.resolve(comment, by=request.user)
        except ValidationError as refused:
            raise PermissionDenied from refused
        self.message_user(request, _("Comment resolved."), messages.SUCCESS)
        return self._back(comment.article)


def comments_panel(request, article):
    """The story page's "Comments on the text" panel, for the story's people."""
    if not workflow.can_preview(request.user, article):
        return None
    found = list(
        FieldComment.objects.filter(article=article).select_related("author", "resolved_by")
    )
    for comment in found:
        comment.can_resolve = comments.can_resolve(request.user, comment)
    html = render_to_string(
        "admin/articles/article/_comments_panel.html",
        {
            "article": article,
            "open_comments": [c for c in found if not c.is_resolved],
            "resolved_comments": [c for c in found if c.is_resolved],
            "can_comment": comments.can_comment(request.user, article),
            "fields": FieldComment.Field.choices,
            "add_url": reverse("admin:articles_article_comment_add", args=[article.pk]),
        },
        request=request,
    )
    # render_to_string's answer is already safe HTML (autoescaped).
    return html, forms.Media(js=["desk/field_comments.js"], css={"all": ["desk/editing.css"]})
