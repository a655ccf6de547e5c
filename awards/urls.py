from django.urls import path

from .views import (
    achievements,
    certificates,
    decisions,
    documents,
    households,
    law,
    postings,
    proposals,
    sessions,
    titles,
)

proposal = "khen-thuong/de-nghi/<int:pk>/"
session = "khen-thuong/phien-hop/<int:pk>/"
posting = "khen-thuong/cong-khai/<int:pk>/"
group = "khen-thuong/ho-gia-dinh/<str:code>/"
review = "khen-thuong/binh-xet/<int:pk>/"
household_decision = "khen-thuong/gia-dinh-van-hoa/quyet-dinh/<int:pk>/"
decision = "khen-thuong/quyet-dinh/<int:pk>/"
urlpatterns = [
    path("khen-thuong/", proposals.index, name="awards-index"),
    path("khen-thuong/xuat-excel/", proposals.export_proposals, name="awards-export"),
    path("khen-thuong/de-nghi/moi/", proposals.proposal_create, name="awards-proposal-create"),
    path(proposal, proposals.proposal_detail, name="awards-proposal"),
    path(proposal + "sua/", proposals.proposal_edit, name="awards-proposal-edit"),
    path(proposal + "gui/", proposals.proposal_submit, name="awards-proposal-submit"),
    path(proposal + "minh-chung/", proposals.evidence_upload, name="awards-evidence-upload"),
    path(proposal + "minh-chung/<int:file_pk>/", proposals.evidence_download, name="awards-evidence"),
    path(
        proposal + "minh-chung/<int:file_pk>/xoa/", proposals.evidence_delete, name="awards-evidence-delete"
    ),
    path(proposal + "bao-cao-thanh-tich/", achievements.achievement_report, name="awards-achievement-report"),
    path(
        proposal + "bao-cao-thanh-tich.pdf",
        achievements.achievement_report_pdf,
        name="awards-achievement-report-pdf",
    ),
    path(proposal + "kiem-tra/", proposals.proposal_check, name="awards-proposal-check"),
    path(proposal + "tra-lai/", proposals.proposal_return, name="awards-proposal-return"),
    path(proposal + "chuyen-hoi-dong/", proposals.proposal_forward, name="awards-proposal-forward"),
    path(proposal + "rut/", proposals.proposal_withdraw, name="awards-proposal-withdraw"),
    path("khen-thuong/phien-hop/", sessions.session_list, name="awards-sessions"),
    path("khen-thuong/phien-hop/moi/", sessions.session_create, name="awards-session-create"),
    path(session, sessions.session_detail, name="awards-session"),
    path(session + "diem-danh/", sessions.session_attendance, name="awards-session-attendance"),
    path(session + "gio-hop/", sessions.session_hours, name="awards-session-hours"),
    path(session + "bat-dau/", sessions.session_open, name="awards-session-open"),
    path(session + "bo-phieu/", sessions.session_vote, name="awards-session-vote"),
    path(session + "ket-thuc/", sessions.session_close, name="awards-session-close"),
    path(session + "quyet-dinh/", decisions.session_decide, name="awards-session-decide"),
    path(session + "du-thao-quyet-dinh/", decisions.session_draft, name="awards-session-draft"),
    path(session + "to-trinh/", decisions.session_letter, name="awards-session-letter"),
    path(session + "quyet-dinh-cap-tren/", decisions.session_higher, name="awards-session-higher"),
    path(session + "bien-ban.pdf", documents.session_minutes_pdf, name="awards-minutes-pdf"),
    path(session + "quyet-dinh.pdf", documents.session_decision_pdf, name="awards-decision-pdf"),
    path(session + "to-trinh.pdf", documents.session_letter_pdf, name="awards-letter-pdf"),
    path(
        session + "bien-ban-binh-xet-to-dan-pho.pdf",
        documents.session_group_minutes_pdf,
        name="awards-group-minutes-pdf",
    ),
    path(
        session + "to-trinh-to-dan-pho.pdf",
        documents.session_group_proposal_pdf,
        name="awards-group-proposal-pdf",
    ),
    path("khen-thuong/cong-khai/", postings.posting_list, name="awards-postings"),
    path("khen-thuong/cong-khai/moi/", postings.posting_create, name="awards-posting-create"),
    path(posting, postings.posting_detail, name="awards-posting"),
    path(posting + "danh-sach/", postings.posting_public, name="awards-posting-public"),
    path(posting + "thong-bao.pdf", documents.posting_pdf, name="awards-posting-pdf"),
    path(posting + "y-kien/", postings.posting_comment, name="awards-posting-comment"),
    path(
        posting + "y-kien/<int:comment_pk>/giai-quyet/",
        postings.posting_response,
        name="awards-posting-response",
    ),
    path("khen-thuong/quyet-dinh/", decisions.decision_list, name="awards-decisions"),
    path("khen-thuong/quyet-dinh/moi/", decisions.decision_create, name="awards-decision-create"),
    path(decision, decisions.decision_detail, name="awards-decision"),
    path(decision + "sua/", decisions.decision_edit, name="awards-decision-edit"),
    path(decision + "ky/", decisions.decision_sign, name="awards-decision-sign"),
    path(decision + "dinh-chinh/", decisions.decision_correct, name="awards-decision-correct"),
    path(decision + "quyet-dinh.pdf", decisions.decision_pdf, name="awards-decision-document"),
    path("khen-thuong/so-khen-thuong/", decisions.registry, name="awards-registry"),
    path("khen-thuong/so-khen-thuong/xuat-excel/", decisions.registry_export, name="awards-registry-export"),
    path(
        "khen-thuong/so-khen-thuong/<int:pk>/giay-khen.pdf",
        certificates.record_certificate_pdf,
        name="awards-record-certificate",
    ),
    path(
        "khen-thuong/so-khen-thuong/<int:pk>/thu-hoi/",
        certificates.record_revoke,
        name="awards-record-revoke",
    ),
    path(
        "khen-thuong/quyet-dinh/<int:pk>/giay-khen/",
        certificates.decision_certificates,
        name="awards-decision-certificates",
    ),
    path("khen-thuong/giay-khen/cach-in/", certificates.certificate_layout, name="awards-certificate-layout"),
    path("xac-minh/<str:token>/", certificates.verify, name="awards-verify"),
    path("khen-thuong/don-vi/<str:code>/", decisions.unit_history, name="awards-unit"),
    path("khen-thuong/van-ban-phap-luat/", law.law_list, name="awards-law"),
    path("khen-thuong/van-ban-phap-luat/van-ban/moi/", law.text_edit, name="awards-law-text-create"),
    path("khen-thuong/van-ban-phap-luat/van-ban/<int:pk>/", law.text_edit, name="awards-law-text"),
    path(
        "khen-thuong/van-ban-phap-luat/tham-quyen/moi/",
        law.authority_edit,
        name="awards-law-authority-create",
    ),
    path(
        "khen-thuong/van-ban-phap-luat/tham-quyen/<int:pk>/", law.authority_edit, name="awards-law-authority"
    ),
    path(
        "khen-thuong/van-ban-phap-luat/<str:kind>/<int:pk>/xac-nhan/",
        law.law_confirm,
        name="awards-law-confirm",
    ),
    path("khen-thuong/danh-hieu/", titles.title_list, name="awards-titles"),
    path("khen-thuong/danh-hieu/<int:pk>/sua/", titles.title_edit, name="awards-title-edit"),
    path("khen-thuong/ho-gia-dinh/", households.group_list, name="awards-household-groups"),
    path(group, households.register, name="awards-households"),
    path(group + "<int:pk>/sua/", households.household_edit, name="awards-household-edit"),
    path(group + "<int:pk>/cu-tru/", households.household_active, name="awards-household-active"),
    path(group + "so-ho.xlsx", households.template_download, name="awards-household-template"),
    path(group + "nhap-excel/", households.import_upload, name="awards-household-import"),
    path(group + "nhap-excel/xac-nhan/", households.import_confirm, name="awards-household-import-confirm"),
    path(group + "binh-xet/moi/", households.review_create, name="awards-household-review-create"),
    path(review, households.review_detail, name="awards-household-review"),
    path(review + "ket-qua/", households.results, name="awards-household-results"),
    path(review + "chot/", households.review_finish, name="awards-household-review-finish"),
    path(review + "niem-yet/", households.review_post, name="awards-household-review-post"),
    path(review + "bien-ban.pdf", households.minutes_pdf, name="awards-household-minutes-pdf"),
    path("khen-thuong/gia-dinh-van-hoa/quyet-dinh/", households.decisions, name="awards-household-decisions"),
    path(household_decision, households.decision_detail, name="awards-household-decision"),
    path(household_decision + "sua/", households.decision_edit, name="awards-household-decision-edit"),
    path(household_decision + "ky/", households.decision_sign, name="awards-household-decision-sign"),
    path(
        household_decision + "rut/", households.decision_withdraw, name="awards-household-decision-withdraw"
    ),
    path(
        household_decision + "quyet-dinh.pdf", households.decision_pdf, name="awards-household-decision-pdf"
    ),
]
