"""Case pages under /staf/<office>/permohonan/."""

from django.urls import path

from layan.cases import views

urlpatterns = [
    path("", views.case_queue, name="case-queue"),
    path("baru/", views.case_new, name="case-new"),
    path("rujukan-terdaftar/", views.referrals_back, name="case-referrals-back"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/aksi/", views.case_act_view, name="case-act"),
    path("<int:pk>/koreksi/", views.case_correct_view, name="case-correct"),
    path("<int:pk>/jeda/", views.case_pause_view, name="case-pause"),
    path("<int:pk>/lanjutkan/", views.case_resume_view, name="case-resume"),
    path("<int:pk>/lampiran/", views.attachment_upload, name="case-attachment-add"),
    path("<int:pk>/lampiran/<int:attachment>/", views.attachment_file, name="case-attachment"),
    path("<int:pk>/tanda-terima/", views.case_receipt, name="case-receipt"),
    path("<int:pk>/rujukan/", views.case_referral_slip, name="case-referral-slip"),
]
