"""The newsletters' addresses, under /newsletters/ (French under /fr/newsletters/)."""

from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    # GET: the readers' page with a button; POST: RFC 8058 one-click (no CSRF, signed link).
    path(
        "newsletters/unsubscribe/<str:token>/",
        views.one_click_unsubscribe,
        name="unsubscribe",
    ),
    path("newsletters/confirm/<str:token>/", views.confirm_page, name="confirm"),
    path("newsletters/preferences/<str:token>/", views.preferences_page, name="preferences"),
]
