from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    path("<int:article_id>/", views.summary, name="summary"),
    path("<int:article_id>/vote/", views.vote, name="vote"),
    path("<int:article_id>/mine.css", views.own_vote_css, name="own_vote_css"),
]
