"""Letter pages under /staf/<office>/surat/."""

from django.urls import path

from layan.letters import views

urlpatterns = [
    path("", views.letter_archive, name="letter-archive"),
    path("<int:pk>/berkas.pdf", views.letter_pdf, name="letter-pdf"),
    path("<int:pk>/cabut/", views.letter_revoke_view, name="letter-revoke"),
    path("permohonan/<int:case_id>/draf/", views.letter_draft_view, name="letter-draft"),
]
