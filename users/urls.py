from django.urls import path

from users import views

app_name = "users"

urlpatterns = [
    path("setup/", views.setup, name="two_factor_setup"),
    path("verify/", views.verify, name="two_factor_verify"),
    path("recovery-codes/", views.recovery_codes, name="two_factor_recovery_codes"),
    path("reset/<int:user_id>/", views.reset, name="two_factor_reset"),
]
