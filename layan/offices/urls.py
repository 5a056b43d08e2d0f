"""Staff pages under /staf/<office>/pegawai/."""

from django.urls import path

from layan.offices import views

urlpatterns = [
    path("", views.staff_list, name="staff-list"),
    path("baru/", views.staff_new, name="staff-new"),
    path("<int:pk>/", views.staff_detail, name="staff-detail"),
    path("<int:pk>/ubah/", views.staff_edit, name="staff-edit"),
    path("<int:pk>/peran/", views.staff_role_grant, name="staff-role-grant"),
    path("<int:pk>/peran/<str:role>/cabut/", views.staff_role_revoke, name="staff-role-revoke"),
    path("<int:pk>/nonaktifkan/", views.staff_deactivate, name="staff-deactivate"),
    path("<int:pk>/tautan-sandi/", views.staff_link, name="staff-password-link"),
]
