"""Secret ballot: nothing in the database, the pages, the exports, the PDFs, the admin or the log links a
member to his choice. Only the tally is visible, and only once the session is closed."""

import io
import re
from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from awards import services, voting
from awards.models import AgendaItem, BallotCast, CouncilMember, CouncilSession, SessionMember
from indicators.models import ActionLog
from indicators.templatetags.vn import person_name

from .test_awards_factories import ballot, checked_proposal, council_of, office_user, posted, session_for

pytestmark = pytest.mark.django_db
DISAGREE = ["Không đồng ý", "không đồng ý", "disagree", "KHÔNG ĐỒNG Ý"]


def test_no_model_stores_a_choice_next_to_a_member():
    people = {get_user_model(), CouncilMember, SessionMember}
    for model in apps.get_app_config("awards").get_models():
        fields = model._meta.get_fields()
        links_person = any(f.is_relation and f.many_to_one and f.related_model in people for f in fields)
        holds_choice = any(
            getattr(f, "choices", None) and {"agree", "disagree", "abstain"} & {c[0] for c in f.choices}
            for f in fields
        ) or any(f.name in {"choice", "vote", "agree", "disagree", "abstain"} for f in fields)
        assert not (links_person and holds_choice), model
    cast_fields = {f.name for f in BallotCast._meta.get_fields()}
    assert cast_fields == {"id", "item", "member", "written"}
    # Neither the cast rows nor the tally carry a time that could be matched against each other.
    for model in (BallotCast, AgendaItem):
        assert not [f for f in model._meta.get_fields() if isinstance(f, models.DateField)], model


@pytest.fixture
def closed_session(plan, make_user):
    """Six members vote, exactly one of them (the fourth) disagrees on everything; decided afterwards."""
    council, members = council_of(7)
    ward = checked_proposal(plan, unit_code="VH-XH", title_code="GK-CT", name="Kiều Văn Khen")
    higher = checked_proposal(plan, unit_code="TDP-03", title_code="TDPVH")
    session = session_for(plan, council, [ward, higher], present=members[:5])
    voting.open_voting(session=session, user=office_user())
    for i, member in enumerate(members[:6]):
        choice = "disagree" if i == 3 else "agree"
        voting.cast_ballot(
            session=session, user=member, choices=ballot(session, {ward: choice, higher: choice})
        )
    voting.close_session(session=session, user=office_user())
    posted(plan, [higher])  # Tổ dân phố văn hóa is posted 10 days before the letter
    chairman = get_user_model().objects.get(username="chutich")
    services.record_decision(
        session=session, user=chairman, number="12/QĐ-UBND", signed_on=date(2024, 12, 27)
    )
    services.record_letter(session=session, user=chairman, number="13/TTr-UBND", signed_on=date(2024, 12, 27))
    return session, members, members[3]


def _segments(text: str) -> list[str]:
    """HTML: one segment per table row, list item, paragraph or option; PDF and Excel text: per line."""
    if "<html" in text[:500]:
        return re.split(r"<tr\b|<li\b|<p\b|<option\b", text)
    return text.splitlines()


def _assert_unlinkable(body: str, name: str, where: str) -> None:
    for segment in _segments(body):
        if name in segment:
            assert not any(marker in segment for marker in DISAGREE), f"{where}: {segment[:300]}"


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    if "spreadsheetml" in kind:
        wb = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            " | ".join("" if v is None else str(v) for v in row)
            for ws in wb
            for row in ws.iter_rows(values_only=True)
        )
    return response.content.decode()


def test_the_tally_is_there_but_no_page_export_pdf_or_admin_links_a_member_to_his_choice(
    client, closed_session, make_user
):
    session, members, dissenter = closed_session
    name = person_name(dissenter)
    item = session.agenda.first()
    assert (item.agree, item.disagree) == (5, 1)
    urls = [
        reverse("awards-index"),
        reverse("awards-export"),
        reverse("awards-sessions"),
        reverse("awards-session", args=[session.pk]),
        reverse("awards-minutes-pdf", args=[session.pk]),
        reverse("awards-decision-pdf", args=[session.pk]),
        reverse("awards-letter-pdf", args=[session.pk]),
        reverse("awards-registry"),
        reverse("awards-registry-export"),
    ] + [reverse("awards-proposal", args=[i.proposal_id]) for i in session.agenda.all()]
    for model in admin.site._registry:
        if model._meta.app_label == "awards" or model is ActionLog:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    urls += [reverse("admin:awards_councilsession_change", args=[session.pk])]
    urls += [reverse("admin:awards_agendaitem_change", args=[i.pk]) for i in session.agenda.all()]
    urls += [reverse("admin:awards_ballotcast_change", args=[c.pk]) for c in BallotCast.objects.all()]
    urls += [reverse("admin:indicators_actionlog_change", args=[e.pk]) for e in ActionLog.objects.all()]
    superuser = make_user("admin", is_staff=True, is_superuser=True)
    office = office_user()
    leadership = get_user_model().objects.get(username="chutich")
    seen_tally = False
    for user in (office, leadership, superuser, dissenter):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                assert url.startswith("/quan-tri/") and not user.is_staff, (url, response.status_code)
                continue
            body = _text(response)
            _assert_unlinkable(body, name, f"{user.username} {url}")
            seen_tally = seen_tally or ("Không đồng ý" in body and name in body)
    assert seen_tally  # the pages do name the voters and show the tally: just never together


def test_the_voter_is_told_that_he_voted_not_what(client, plan):
    council, members = council_of(3, quorum=(2, 3))
    p = checked_proposal(plan, unit_code="VH-XH", title_code="GK-CT", name="Kiều Văn Khen")
    session = session_for(plan, council, [p], present=members)
    voting.open_voting(session=session, user=office_user())
    client.force_login(members[0])
    item = session.agenda.get()
    response = client.post(
        reverse("awards-session-vote", args=[session.pk]), {f"item_{item.pk}": "disagree"}, follow=True
    )
    html = response.content.decode()
    assert "Đã nhận phiếu của bạn" in html and "Bạn đã bỏ phiếu tại phiên họp này" in html
    assert "disagree" not in html and 'value="disagree"' not in html
    # While the session is open nobody sees the counters, not even the office.
    client.force_login(office_user())
    html = client.get(reverse("awards-session", args=[session.pk])).content.decode()
    assert "Đã nhận phiếu của 1/3 thành viên" in html
    assert 'data-testid="agenda"' in html and "Không đồng ý</th>" not in html
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.OPEN


def test_no_stored_row_holds_both_a_member_and_a_choice(closed_session):
    session, members, dissenter = closed_session
    row = SessionMember.objects.get(session=session, member__user=dissenter)
    member = CouncilMember.objects.get(user=dissenter)
    for model in list(apps.get_app_config("awards").get_models()) + [ActionLog]:
        for obj in serializers.serialize("python", model.objects.all()):
            fields = obj["fields"]
            if fields.get("member") in (row.pk, member.pk) or fields.get("user") == dissenter.pk:
                assert not re.search(r"\b(dis)?agree\b|abstain", repr(fields)), (model, fields)


# --- The admin while voting is open (issue 14, item 4) ------------------------------------------------

COUNTERS = ["agree", "disagree", "abstain"]
LOOKUPS = {"": "1", "__exact": "1", "__gte": "1", "__gt": "0", "__lte": "0", "__lt": "1", "__in": "1,2"}
LOOKUPS |= {"__range": "1,9", "__isnull": "False", "__iexact": "1", "__regex": "1"}


@pytest.fixture
def open_session(plan):
    """Voting open, five members present: the first has agreed, the second disagreed, three wait."""
    council, members = council_of(5)
    proposal = checked_proposal(plan, unit_code="VH-XH", title_code="GK-CT", name="Kiều Văn Mở")
    session = session_for(plan, council, [proposal], present=members)
    voting.open_voting(session=session, user=office_user())
    for member, choice in zip(members[:2], ["agree", "disagree"], strict=True):
        voting.cast_ballot(session=session, user=member, choices=ballot(session, {proposal: choice}))
    return session, members


def _awards_admins():
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label == "awards"]


def _path_to_tally(model, depth: int = 4) -> str | None:
    """The shortest chain of relations from `model` to AgendaItem.agree, as an admin lookup (the law's
    legal texts are four relations away: authorities → title → proposals → agenda_item)."""
    queue, seen = [(model, "")], {model}
    while queue:
        current, prefix = queue.pop(0)
        if current is AgendaItem:
            return prefix + "agree"
        if prefix.count("__") >= depth:
            continue
        for field in current._meta.get_fields():
            target = field.related_model if field.is_relation else None
            if target is not None and target not in seen:
                seen.add(target)
                queue.append((target, f"{prefix}{field.name}__"))
    return None


def _changelist(model) -> str:
    return reverse(f"admin:awards_{model._meta.model_name}_changelist")


def test_the_admin_refuses_every_filter_on_the_running_tally(client, open_session, make_user):
    """The attack: `?session__id__exact=S&agree=1` lists the items one member's vote moved; with the
    list of who has voted, that is his ballot. Every lookup on a counter, on the agenda items or through
    any relation from another awards admin, is refused (400) and the page never shows a filtered list."""
    session, members = open_session
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    url = _changelist(AgendaItem)
    assert client.get(url, {"session__id__exact": session.pk}).status_code == 200
    for counter in COUNTERS + ["passed"]:
        for lookup, value in LOOKUPS.items():
            query = {"session__id__exact": session.pk, counter + lookup: value}
            assert client.get(url, query).status_code == 400, query
    for model, _model_admin in _awards_admins():
        path = _path_to_tally(model)
        if path is None:
            # No chain of relations at all leads to the agenda (the certificates' print layout): such an
            # admin has nothing to filter the tally by.
            assert _path_to_tally(model, depth=12) is None, model
            continue
        for lookup, value in [("", "1"), ("__gte", "1")]:
            response = client.get(_changelist(model), {path + lookup: value})
            assert response.status_code == 400, (model, path + lookup)
    # Nothing moved: still open, still two ballots.
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.OPEN and BallotCast.objects.count() == 2


def test_the_admin_neither_sorts_nor_searches_on_the_tally(client, open_session, make_user):
    """`?o=<column>` on every column of every awards admin, ascending and descending, and a search:
    none orders or filters the rows by a counter or by the result derived from them."""
    from awards.admin import reaches_tally

    session, members = open_session
    superuser = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    for model, model_admin in _awards_admins():
        url = _changelist(model)
        columns = len(model_admin.list_display)
        for o in [str(i) for i in range(columns)] + [f"-{i}" for i in range(columns)]:
            response = client.get(url, {"o": o})
            assert response.status_code == 200, (model, o)
            order_by = response.context["cl"].queryset.query.order_by
            assert not [t for t in order_by if reaches_tally(model, t)], (model, o, order_by)
        assert not [f for f in model_admin.get_search_fields(None) if reaches_tally(model, f)], model
        for place in ("list_display", "list_filter", "list_editable", "search_fields", "ordering", "fields"):
            named = {str(n).lstrip("-^=@") for n in (getattr(model_admin, place, None) or [])}
            assert not named & set(COUNTERS), (model, place)
        assert not set(COUNTERS) & {str(f) for f in model_admin.get_readonly_fields(None)}, model
    # The agenda item's own pages, while open: no counter, a plain word instead.
    item = session.agenda.get()
    for url in (_changelist(AgendaItem), reverse("admin:awards_agendaitem_change", args=[item.pk])):
        html = client.get(url).content.decode()
        assert "chưa kết thúc biểu quyết" in html and "đồng ý 1" not in html


def test_an_admin_that_names_a_counter_by_mistake_still_cannot_use_it(rf, open_session, make_user):
    """The guard sits in the base class, not in the list of columns: a later edit that shows, sorts or
    searches a counter gets a column that neither sorts nor searches, and its filter is refused."""
    from django.contrib.admin.exceptions import DisallowedModelAdminLookup

    from awards.admin import AgendaItemAdmin, reaches_tally

    session, members = open_session
    careless = type(
        "CarelessAgendaItemAdmin",
        (AgendaItemAdmin,),
        {
            "list_display": ["proposal", "agree", "disagree"],
            "ordering": ["-agree", "order"],
            "search_fields": ["agree", "^disagree", "proposal__nominee_name"],
            "list_filter": ["session", "agree"],
        },
    )(AgendaItem, admin.site)
    superuser = make_user("admin", is_staff=True, is_superuser=True)
    request = rf.get("/", {"o": "1.-2", "session__id__exact": str(session.pk)})
    request.user = superuser
    changelist = careless.get_changelist_instance(request)
    order_by = changelist.queryset.query.order_by
    assert order_by and not [t for t in order_by if reaches_tally(AgendaItem, t)]
    assert careless.get_sortable_by(request) == ["proposal"]
    assert careless.get_search_fields(request) == ["proposal__nominee_name"]
    for query in ({"agree": "1"}, {"agree__gte": "1"}, {"q": "1", "disagree__lt": "1"}):
        request = rf.get("/", query)
        request.user = superuser
        with pytest.raises(DisallowedModelAdminLookup):
            careless.get_changelist_instance(request)
