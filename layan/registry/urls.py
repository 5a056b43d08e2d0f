"""Register pages under /staf/<office>/register/."""

from django.urls import path

from layan.registry import views

urlpatterns = [
    path("", views.registry_home, name="registry-home"),
    path("cari/", views.registry_lookup_view, name="registry-lookup"),
    path("log/", views.registry_log, name="registry-log"),
    path(
        "snapshot/<int:snapshot>/ditolak.csv",
        views.registry_rejections,
        name="registry-rejections",
    ),
    path("beda/", views.registry_diff, name="registry-diff"),
    path("impor/", views.upload_new, name="registry-upload-new"),
    path("impor/<int:pk>/", views.upload_detail, name="registry-upload"),
]
