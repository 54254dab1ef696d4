from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("write-for-us/submit/", views.submit, name="submit"),
    path("submissions/withdrawn/", views.withdrawn, name="withdrawn"),
    path("submissions/<str:token>/", views.status, name="status"),
    path("submissions/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("submissions/<str:token>/preview/", views.preview, name="preview"),
    path("submissions/<str:token>/data/", views.data, name="data"),
    path("submissions/<str:token>/images/<int:pk>/", views.image, name="image"),
]
