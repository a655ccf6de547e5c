from django.urls import path

from . import views

proposal = "khen-thuong/de-nghi/<int:pk>/"
session = "khen-thuong/phien-hop/<int:pk>/"
posting = "khen-thuong/cong-khai/<int:pk>/"
urlpatterns = [
    path("khen-thuong/", views.index, name="awards-index"),
    path("khen-thuong/xuat-excel/", views.export_proposals, name="awards-export"),
    path("khen-thuong/de-nghi/moi/", views.proposal_create, name="awards-proposal-create"),
    path(proposal, views.proposal_detail, name="awards-proposal"),
    path(proposal + "sua/", views.proposal_edit, name="awards-proposal-edit"),
    path(proposal + "gui/", views.proposal_submit, name="awards-proposal-submit"),
    path(proposal + "minh-chung/", views.evidence_upload, name="awards-evidence-upload"),
    path(proposal + "minh-chung/<int:file_pk>/", views.evidence_download, name="awards-evidence"),
    path(proposal + "minh-chung/<int:file_pk>/xoa/", views.evidence_delete, name="awards-evidence-delete"),
    path(proposal + "kiem-tra/", views.proposal_check, name="awards-proposal-check"),
    path(proposal + "tra-lai/", views.proposal_return, name="awards-proposal-return"),
    path(proposal + "chuyen-hoi-dong/", views.proposal_forward, name="awards-proposal-forward"),
    path(proposal + "rut/", views.proposal_withdraw, name="awards-proposal-withdraw"),
    path("khen-thuong/phien-hop/", views.session_list, name="awards-sessions"),
    path("khen-thuong/phien-hop/moi/", views.session_create, name="awards-session-create"),
    path(session, views.session_detail, name="awards-session"),
    path(session + "diem-danh/", views.session_attendance, name="awards-session-attendance"),
    path(session + "bat-dau/", views.session_open, name="awards-session-open"),
    path(session + "bo-phieu/", views.session_vote, name="awards-session-vote"),
    path(session + "ket-thuc/", views.session_close, name="awards-session-close"),
    path(session + "quyet-dinh/", views.session_decide, name="awards-session-decide"),
    path(session + "to-trinh/", views.session_letter, name="awards-session-letter"),
    path(session + "quyet-dinh-cap-tren/", views.session_higher, name="awards-session-higher"),
    path(session + "bien-ban.pdf", views.session_minutes_pdf, name="awards-minutes-pdf"),
    path(session + "quyet-dinh.pdf", views.session_decision_pdf, name="awards-decision-pdf"),
    path(session + "to-trinh.pdf", views.session_letter_pdf, name="awards-letter-pdf"),
    path("khen-thuong/cong-khai/", views.posting_list, name="awards-postings"),
    path("khen-thuong/cong-khai/moi/", views.posting_create, name="awards-posting-create"),
    path(posting, views.posting_detail, name="awards-posting"),
    path(posting + "danh-sach/", views.posting_public, name="awards-posting-public"),
    path(posting + "thong-bao.pdf", views.posting_pdf, name="awards-posting-pdf"),
    path(posting + "y-kien/", views.posting_comment, name="awards-posting-comment"),
    path(
        posting + "y-kien/<int:comment_pk>/giai-quyet/",
        views.posting_response,
        name="awards-posting-response",
    ),
    path("khen-thuong/so-khen-thuong/", views.registry, name="awards-registry"),
    path("khen-thuong/so-khen-thuong/xuat-excel/", views.registry_export, name="awards-registry-export"),
    path("khen-thuong/don-vi/<str:code>/", views.unit_history, name="awards-unit"),
    path("khen-thuong/danh-hieu/", views.title_list, name="awards-titles"),
    path("khen-thuong/danh-hieu/<int:pk>/sua/", views.title_edit, name="awards-title-edit"),
]
