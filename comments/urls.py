from django.urls import path

from comments import feeds, views, views_reader

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
    path("follow/<int:post_id>/", views_reader.follow, name="follow"),
    path("follow/<int:post_id>/sent/", views_reader.follow_sent, name="follow_sent"),
    path("follow/confirm/<str:token>/", views_reader.follow_confirm, name="follow_confirm"),
    path("follow/stop/<str:token>/", views_reader.unfollow, name="unfollow"),
    path("my-data/", views_reader.my_data, name="my_data"),
    path("my-data/sent/", views_reader.my_data_sent, name="my_data_sent"),
    path("my-data/erased/", views_reader.my_data_erased, name="my_data_erased"),
    path("my-data/<str:token>/", views_reader.my_data_manage, name="my_data_manage"),
]
