"""The desk's background work, run by the worker (`scripts/worker`): mail to the newsroom."""

from celery import shared_task

from . import notifications


@shared_task(ignore_result=True)
def send_story_moved_mail(article_id, old, new, actor_id):
    """Mail the people a move concerns (``desk.notifications``); eager in development."""
    return notifications.send(article_id, old, new, actor_id)


@shared_task(ignore_result=True)
def send_pending_change_mail(article_id, action, actor_id):
    """Mail the people a pending change concerns (submitted: editors; published: reporters)."""
    return notifications.send_pending(article_id, action, actor_id)


@shared_task(ignore_result=True)
def send_field_comment_mail(comment_id, action, actor_id):
    """Mail the people a comment on a field concerns (added: reporters; resolved: its author)."""
    return notifications.send_comment(comment_id, action, actor_id)
