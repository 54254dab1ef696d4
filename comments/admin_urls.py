from django.urls import path

from comments import admin_views

app_name = "comments_admin"

urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    path("<int:pk>/", admin_views.CommentView.as_view(), name="comment"),
    path("<int:pk>/moderate/", admin_views.ModerateOneView.as_view(), name="moderate"),
    path("blocks/", admin_views.BlocksView.as_view(), name="blocks"),
]
