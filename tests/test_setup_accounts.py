"""Accounts on the setup pages (issue 17): the list with role and units, one by one, or from an Excel
list with a row-by-row preview and an all-or-nothing confirmation; the first passwords are shown once,
stored only hashed, never logged, and must be changed at first login."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from indicators.models import ActionLog, Profile, Unit

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def office(client, make_user):
    user = make_user("office")
    client.force_login(user)
    return user


def workbook_file(rows, headers=("Họ tên", "Tên đăng nhập", "Email", "Vai trò", "Đơn vị")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH TÀI KHOẢN"])
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(
        "tai-khoan.xlsx",
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_the_list_shows_role_and_units(client, demo, office, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("setup-accounts"))
    text = response.content.decode()
    assert 'data-user="totruong1"' in text and "Tổ trưởng tổ dân phố" in text and "TDP-01" in text


def test_one_account_its_first_password_shown_once(client, demo, office):
    unit = Unit.objects.get(code="TDP-03")
    response = client.post(
        reverse("setup-account-create"),
        {
            "full_name": "Trần Thị  Bình",
            "username": "tt_binh",
            "email": "binh@example.org",
            "role": "group_leader",
            "units": [unit.pk],
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    password = response.context["made"][0][1]
    assert password in response.content.decode()
    person = User.objects.get(username="tt_binh")
    assert (person.last_name, person.first_name) == ("Trần Thị", "Bình")
    assert person.check_password(password) and password not in person.password
    assert person.profile.must_change_password and list(person.profile.units.all()) == [unit]
    log = ActionLog.objects.get(action="setup.account.created", object_id=person.pk)
    assert log.user == office and log.data == {
        "username": "tt_binh",
        "role": "group_leader",
        "units": ["TDP-03"],
    }
    assert password not in str(log.data)
    # The list does not show it again.
    assert password not in client.get(reverse("setup-accounts")).content.decode()
    # At first login he is sent to change it.
    client.force_login(person)
    assert client.get(reverse("home"))["Location"].startswith(reverse("password-change"))


def test_errors_next_to_the_fields(client, demo, office):
    response = client.post(
        reverse("setup-account-create"),
        {"full_name": "", "username": "totruong1", "role": "group_leader", "units": []},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "full_name" in errors and "Tên đăng nhập này đã có." in errors["username"]
    assert "Tổ trưởng phụ trách đúng một tổ dân phố." in errors["units"]


def test_import_previews_every_row_and_refuses_all_when_one_is_wrong(client, demo, office):
    upload = workbook_file(
        [
            ("Lê Văn Cường", "lv_cuong", "cuong@example.org", "Tổ trưởng tổ dân phố", "TDP-04"),
            ("Phạm Thị Dung", "totruong1", "", "Tổ trưởng tổ dân phố", "TDP-05"),
            ("Hồ Văn Em", "hv_em", "", "Thủ quỹ", "VP-TK"),
            ("Đỗ Văn Giang", "dv_giang", "", "official", "TDP-04, KHONG-CO"),
        ]
    )
    response = client.post(reverse("setup-account-import"), {"file": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Tên đăng nhập totruong1 đã có." in text
    assert "Vai trò “Thủ quỹ” không có." in text
    assert "Không có đơn vị mã KHONG-CO." in text
    assert response.context["confirm_form"] is None
    assert not User.objects.filter(username="lv_cuong").exists()


def test_import_confirmed_makes_every_account_with_first_passwords(client, demo, office):
    upload = workbook_file(
        [
            ("Lê Văn Cường", "lv_cuong", "cuong@example.org", "Tổ trưởng tổ dân phố", "TDP-04"),
            ("Đỗ Văn Giang", "dv_giang", "", "Cán bộ, công chức phường", "TDP-04; TDP-05"),
        ]
    )
    preview = client.post(reverse("setup-account-import"), {"file": upload})
    assert preview.status_code == 200
    assert not User.objects.filter(username="lv_cuong").exists()  # nothing before the confirmation
    token = preview.context["confirm_form"].initial["token"]
    done = client.post(reverse("setup-account-import-confirm"), {"token": token})
    assert done.status_code == 200
    made = dict((u.username, p) for u, p in done.context["made"])
    assert set(made) == {"lv_cuong", "dv_giang"}
    giang = User.objects.get(username="dv_giang")
    assert giang.check_password(made["dv_giang"]) and giang.profile.role == "official"
    assert set(giang.profile.units.values_list("code", flat=True)) == {"TDP-04", "TDP-05"}
    assert ActionLog.objects.filter(action="setup.account.created").count() == 2
    # The same confirmation a second time makes nothing.
    again = client.post(reverse("setup-account-import-confirm"), {"token": token})
    assert again.status_code == 302 and User.objects.filter(username="lv_cuong").count() == 1


def test_an_account_taken_between_preview_and_confirmation_makes_none(client, demo, office, make_user):
    upload = workbook_file(
        [
            ("Lê Văn Cường", "lv_cuong", "", "Tổ trưởng tổ dân phố", "TDP-04"),
            ("Đỗ Văn Giang", "dv_giang", "", "Cán bộ, công chức phường", "TDP-05"),
        ]
    )
    token = (
        client.post(reverse("setup-account-import"), {"file": upload})
        .context["confirm_form"]
        .initial["token"]
    )
    make_user("official", username="dv_giang")
    response = client.post(reverse("setup-account-import-confirm"), {"token": token})
    assert response.status_code == 302
    assert not User.objects.filter(username="lv_cuong").exists()


def test_a_file_without_the_headings_is_refused(client, demo, office):
    response = client.post(
        reverse("setup-account-import"), {"file": workbook_file([("a", "b")], headers=("X", "Y"))}
    )
    assert response.status_code == 400
    assert "Không tìm thấy các cột" in response.content.decode()


def test_only_the_office(client, demo, make_user):
    client.force_login(make_user("leadership"))
    assert client.get(reverse("setup-accounts")).status_code == 403
    response = client.post(
        reverse("setup-account-create"), {"full_name": "A B", "username": "ab", "role": "office"}
    )
    assert response.status_code == 403 and not User.objects.filter(username="ab").exists()


def test_the_office_makes_no_account_that_approves_or_signs(client, demo, office):
    """A first password seen by the office must not open the chairman's account (as with resets);
    the administrator, once he took the office's role, makes those."""
    data = {"full_name": "Lê Duy Bảo", "username": "chutich2", "role": "leadership"}
    response = client.post(reverse("setup-account-create"), data)
    assert response.status_code == 400 and "role" in response.context["form"].errors
    upload = workbook_file([("Lê Duy Bảo", "chutich2", "", "Lãnh đạo UBND phường", "")])
    preview = client.post(reverse("setup-account-import"), {"file": upload})
    assert "do quản trị hệ thống tạo" in preview.content.decode() and preview.context["confirm_form"] is None
    admin = User.objects.create_superuser("qt2", "qt2@example.org", "Mat-khau-dai-123")
    client.force_login(admin)
    client.post(reverse("setup-claim-office"))
    assert client.post(reverse("setup-account-create"), data).status_code == 200
    assert User.objects.get(username="chutich2").profile.role == "leadership"


def test_a_group_gets_a_new_leader_and_the_old_account_is_closed(client, demo, office):
    url = reverse("setup-account-edit", args=["totruong2"])
    page = client.get(url)
    version = page.context["form"].initial["version"]
    tdp2 = Unit.objects.get(code="TDP-02")
    data = {"version": version, "role": "group_leader", "units": [tdp2.pk], "email": "", "is_active": ""}
    assert client.post(url, data).status_code == 302
    person = User.objects.get(username="totruong2")
    assert not person.is_active
    log = ActionLog.objects.get(action="setup.account.changed", object_id=person.pk)
    assert log.data["before"]["is_active"] is True and log.data["after"]["is_active"] is False
    stale = client.post(url, data | {"is_active": "on"})
    assert stale.status_code == 409 and not User.objects.get(username="totruong2").is_active
    wrong = client.get(url).context["form"].initial["version"]
    bad = client.post(url, data | {"version": wrong, "units": []})
    assert (
        bad.status_code == 400
        and "Tổ trưởng phụ trách đúng một tổ dân phố." in bad.context["form"].errors["units"]
    )
    assert client.get(reverse("setup-account-edit", args=["chutich"])).status_code == 404
    assert client.get(reverse("setup-account-edit", args=[office.username])).status_code == 404


def test_the_template_reads_back_as_an_empty_list(client, demo, office):
    response = client.get(reverse("setup-account-template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][3]] == ["Họ tên", "Tên đăng nhập", "Email", "Vai trò", "Đơn vị"]
    guide = [c.value for c in wb.worksheets[1]["A"]]
    assert "Tổ trưởng tổ dân phố" in guide and "Lãnh đạo UBND phường" not in guide
    ws = wb.worksheets[0]
    ws.append(["Lê Văn Cường", "lv_cuong", "", guide[1], "TDP-04"])
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("mau.xlsx", buffer.getvalue())
    preview = client.post(reverse("setup-account-import"), {"file": upload})
    assert [r.username for r in preview.context["preview"].rows] == ["lv_cuong"]


def test_the_english_template_reads_back_too(client, demo, office):
    """An office user working in English downloads English headings and role names; the import reads
    them (and the Vietnamese ones) rather than refusing its own template."""
    office.profile.language = "en"
    office.profile.save(update_fields=["language"])
    wb = openpyxl.load_workbook(io.BytesIO(client.get(reverse("setup-account-template")).content))
    headings = [c.value for c in wb.worksheets[0][3]]
    assert "Họ tên" not in headings and "Tên đăng nhập" not in headings
    guide = [c.value for c in wb.worksheets[1]["A"]]
    with translation.override("en"):
        leader = str(Profile.Role.GROUP_LEADER.label)
    assert leader in guide and "Tổ trưởng tổ dân phố" not in guide
    ws = wb.worksheets[0]
    ws.append(["Lê Văn Cường", "lv_cuong", "", leader, "TDP-04"])
    ws.append(["Đỗ Văn Giang", "dv_giang", "", "Tổ trưởng tổ dân phố", "TDP-05"])
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = client.post(
        reverse("setup-account-import"), {"file": SimpleUploadedFile("en.xlsx", buffer.getvalue())}
    )
    rows = preview.context["preview"].rows
    assert [(r.username, r.role, r.errors) for r in rows] == [
        ("lv_cuong", "group_leader", []),
        ("dv_giang", "group_leader", []),
    ]
