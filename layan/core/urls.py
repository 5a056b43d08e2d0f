from django.contrib.auth import views as auth_views
from django.urls import path

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
    path("staf/", views.staff_home, name="staff-home"),
    path("favicon.ico", views.favicon),
]
