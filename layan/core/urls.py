from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from layan.core import views

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # The one-time link an office admin hands to a new account (or after a reset):
    # Django's password-reset token, so the link dies once a password is set.
    path(
        "masuk/sandi/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="core/password_set.html", success_url=reverse_lazy("password-set-done")
        ),
        name="password-set",
    ),
    path(
        "masuk/sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="core/password_set_done.html"),
        name="password-set-done",
    ),
    path("staf/", views.staff_home, name="staff-home"),
    path("favicon.ico", views.favicon),
]
