from django.contrib import admin
from django.urls import include, path

from layan.api import api
from layan.core import views_errors
from layan.public import views_letters, views_tracking

admin.site.site_header = "Layan — pengaturan kantor"
admin.site.site_title = "Layan"
admin.site.index_title = "Pengaturan"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("layan.core.urls")),
    path("staf/<slug:office>/register/", include("layan.registry.urls")),
    path("staf/<slug:office>/permohonan/", include("layan.cases.urls")),
    path("staf/<slug:office>/surat/", include("layan.letters.urls")),
    path("staf/<slug:office>/pegawai/", include("layan.offices.urls")),
    path("lacak/", views_tracking.track_form, name="track"),
    path("lacak/<str:code>/", views_tracking.track_case, name="track-case"),
    path("verifikasi/", views_letters.verify_home, name="letter-verify-home"),
    path("verifikasi/<str:code>/", views_letters.verify_letter, name="letter-verify"),
    path("", include("layan.public.urls")),
]

handler400 = views_errors.bad_request
handler403 = views_errors.permission_denied
handler404 = views_errors.not_found
handler500 = views_errors.server_error
