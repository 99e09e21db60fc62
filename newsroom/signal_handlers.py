"""Every receiver of the project package, connected in ``NewsroomConfig.ready()``."""

from django.contrib.auth.signals import user_logged_in, user_login_failed

from . import login_throttle


def connect():
    # The sign-in throttle counts failures per account and per client, and forgets an
    # account's failures once it signs in.
    user_login_failed.connect(login_throttle.record_failure, dispatch_uid="login-throttle-failure")
    user_logged_in.connect(login_throttle.record_success, dispatch_uid="login-throttle-success")
