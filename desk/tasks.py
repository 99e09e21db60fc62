"""The desk's background work, run by the worker (`scripts/worker`): mail to the newsroom."""

from celery import shared_task

from . import notifications


@shared_task(ignore_result=True)
def send_story_moved_mail(article_id, old, new, actor_id):
    """Mail the people a move concerns (``desk.notifications``); eager in development."""
    return notifications.send(article_id, old, new, actor_id)
