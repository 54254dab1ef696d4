from django.urls import path

from users import views

app_name = "users"

urlpatterns = [
    path("setup/", views.setup, name="two_factor_setup"),
    path("verify/", views.verify, name="two_factor_verify"),
    path("recovery-codes/", views.recovery_codes, name="two_factor_recovery_codes"),
    path("reset/<int:user_id>/", views.reset, name="two_factor_reset"),
    path("invitation/revoke/<int:user_id>/", views.revoke, name="invitation_revoke"),
    # The token is named `token`, so request logs show it as :token (core/requestlog.py).
    path("invitation/<str:token>/", views.accept_invitation, name="invitation"),
]
