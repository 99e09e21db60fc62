"""The desk's subscriptions to the stories' signals. Connected in ``DeskConfig.ready()``."""

from articles.signals import story_moved

from . import notifications


def connect():
    # Mail to the newsroom for every move, whatever path made it (articles.workflow).
    story_moved.connect(notifications.story_moved, dispatch_uid="desk-story-moved-mail")
