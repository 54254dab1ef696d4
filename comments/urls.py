from django.urls import path

from comments import feeds, views

app_name = "comments"

urlpatterns = [
    path("token/", views.form_token, name="form_token"),
    path("post/<int:post_id>/", views.post_comment, name="post"),
    path("status/<str:token>/", views.status, name="status"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<int:pk>/edit/", views.edit, name="edit_own"),
    path("<int:pk>/edit/<str:token>/", views.edit, name="edit"),
    path("<int:pk>/report/", views.report, name="report"),
    path("stop/<str:token>/", views.stop_replies, name="stop_replies"),
    path("feed/<int:post_id>/", feeds.PostCommentsFeed(), name="feed"),
]
