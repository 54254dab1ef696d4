from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("consent/", views.consent, name="consent"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("follow/<str:token>/", views.follow, name="follow"),
    path("stop/<str:token>/", views.stop, name="stop"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/erase/", views.erase, name="erase"),
    path("erased/", views.erased, name="erased"),
    path("address/<str:token>/", views.address, name="address"),
]
