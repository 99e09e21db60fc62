"""Every receiver of the desk, connected in ``DeskConfig.ready()``."""

from django.contrib.auth.signals import user_logged_in

from articles.signals import pending_change, story_moved

from . import language, notifications


def connect():
    # Mail to the newsroom for every move, whatever path made it (articles.workflow).
    story_moved.connect(notifications.story_moved, dispatch_uid="desk-story-moved-mail")
    # …and for pending changes to live stories (submitted, published).
    pending_change.connect(notifications.pending_change, dispatch_uid="desk-pending-change-mail")
    # The desk speaks the language the journalist chose, from their first page after sign-in.
    user_logged_in.connect(language.on_sign_in, dispatch_uid="desk-language-on-sign-in")
