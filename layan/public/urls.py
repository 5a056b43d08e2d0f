from django.urls import path

from layan.public import views

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:office>/", views.office_home, name="office-home"),
    path("<slug:office>/layanan/<slug:code>/", views.service_standard, name="service-standard"),
    path("<slug:office>/layanan/<slug:code>/sop/", views.service_sop, name="service-sop"),
    path(
        "<slug:office>/layanan/<slug:code>/sop.pdf", views.service_sop_pdf, name="service-sop-pdf"
    ),
]
