"""English as a second interface language, chosen per user (issue 10, item 4).

Vietnamese stays the default; a user's choice is kept on his profile. The catalogue
locale/en/LC_MESSAGES/django.po must translate every string of the portal, and the ward's PDF
documents stay Vietnamese whatever the reader's language.
"""

import ast
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from indicators.models import Profile
from indicators.templatetags.vn import so

from .reporting import entry_url, open_quarter, unit

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
MAKEMESSAGES_IGNORES = [".venv", "tests", "bench", "staticfiles"]


def switch(client, language, next_url=None, **headers):
    data = {"language": language}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("set-language"), data, **headers)


@pytest.fixture
def english_leader(demo, make_user):
    open_quarter(demo)
    user = make_user("group_leader", units=[unit("TDP-01")])
    return user


# --- the switch --------------------------------------------------------------------------------


def test_new_users_see_vietnamese(client, english_leader):
    client.force_login(english_leader)
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in html
    assert "Trang chủ" in html and "Đăng xuất" in html
    assert english_leader.profile.language == "vi"


def test_switching_to_english_translates_home_plan_and_entry_form(client, english_leader, make_user):
    client.force_login(english_leader)
    response = switch(client, "en", reverse("plan-detail", args=[2024]))
    assert response.status_code == 302 and response["Location"] == reverse("plan-detail", args=[2024])
    english_leader.profile.refresh_from_db()
    assert english_leader.profile.language == "en"

    home = client.get(reverse("home"))
    html = home.content.decode()
    assert home["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Home" in html and "Log out" in html and "Emulation plan" in html
    assert "My residential group" in html
    assert "Trang chủ" not in html and "Đăng xuất" not in html

    plan = client.get(reverse("plan-detail", args=[2024])).content.decode()
    assert "Download PDF" in plan and "Recipients:" in plan and "No.: " in plan
    assert "Tải PDF" not in plan and "Nơi nhận:" not in plan

    entry = client.get(entry_url("TDP-01")).content.decode()
    assert "Save draft" in entry and "Save and submit for approval" in entry
    assert "Lưu nháp" not in entry and "Lưu và gửi duyệt" not in entry

    # Another user, in another session, stays in Vietnamese.
    other = make_user("group_leader", units=[unit("TDP-02")])
    client.force_login(other)
    html = client.get(reverse("home")).content.decode()
    assert "Trang chủ" in html and "Home</a>" not in html
    assert translation.get_language() == "vi"  # the thread is left in Vietnamese after a request


def test_switching_back_to_vietnamese(client, english_leader):
    client.force_login(english_leader)
    switch(client, "en", "/")
    switch(client, "vi", "/")
    assert "Trang chủ" in client.get(reverse("home")).content.decode()


def test_english_validation_messages_on_the_entry_form(client, english_leader):
    client.force_login(english_leader)
    switch(client, "en")
    response = client.get(entry_url("TDP-01"))
    assert "Enter numbers the Vietnamese way" in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "", "EN", "en-us", "vi; DROP"])
def test_switch_accepts_only_vi_and_en(client, english_leader, language):
    client.force_login(english_leader)
    response = switch(client, language, "/")
    assert response.status_code == 400
    english_leader.profile.refresh_from_db()
    assert english_leader.profile.language == "vi"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "http://testserver.evil/"],
)
def test_switch_redirects_only_to_local_urls(client, english_leader, next_url):
    client.force_login(english_leader)
    response = switch(client, "en", next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_switch_falls_back_to_a_local_referrer(client, english_leader):
    client.force_login(english_leader)
    response = switch(client, "en", HTTP_REFERER="http://testserver/so-lieu/")
    assert response["Location"] == "http://testserver/so-lieu/"
    response = switch(client, "en", HTTP_REFERER="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_switch_is_a_post_for_signed_in_users_with_csrf(client, english_leader):
    assert client.get(reverse("set-language")).status_code in (302, 405)
    response = switch(client, "en", "/")
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(english_leader)
    assert client.get(reverse("set-language")).status_code == 405

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(english_leader)
    assert switch(strict, "en", "/").status_code == 403
    english_leader.profile.refresh_from_db()
    assert english_leader.profile.language == "vi"


def test_account_without_profile_stays_vietnamese(client, make_user):
    client.force_login(make_user(None))
    assert "Trang chủ" in client.get(reverse("home")).content.decode()
    assert switch(client, "en", "/").status_code == 400


def test_anonymous_login_page_is_vietnamese(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in html and '<html lang="vi">' in html


def test_navbar_has_the_switch_without_inline_script(client, english_leader):
    client.force_login(english_leader)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="language-switch"' in html
    assert 'name="language" value="vi"' in html and 'name="language" value="en"' in html
    assert "Tiếng Việt</button>" in html and "English</button>" in html


# --- numbers and documents -----------------------------------------------------------------------


def test_figures_keep_the_vietnamese_format_in_both_languages():
    for language in ("vi", "en"):
        with translation.override(language):
            assert so(4176) == "4.176"
            assert so("705.6") == "705,6"
            assert so(6599100000) == "6.599.100.000"


def test_pdf_documents_stay_vietnamese_for_an_english_user(client, english_leader, monkeypatch):
    captured = []

    def fake_html_to_pdf(html):
        captured.append(html)
        return b"%PDF-1.7 test"

    monkeypatch.setattr("phominh.pdf.html_to_pdf", fake_html_to_pdf)
    client.force_login(english_leader)
    switch(client, "en")
    response = client.get(reverse("plan-pdf", args=[2024]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html = captured[0]
    assert "Nơi nhận:" in html and "Recipients:" not in html
    assert translation.get_language() == "vi"


def test_render_pdf_overrides_an_active_english(monkeypatch, tmp_path, settings):
    from phominh import pdf

    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "probe.html").write_text('{% load i18n %}{% translate "Đăng xuất" %}', encoding="utf-8")
    settings.TEMPLATES = [dict(settings.TEMPLATES[0], DIRS=[template_dir])]
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: html.encode())
    with translation.override("en"):
        assert pdf.render_pdf(template="probe.html", context={}) == "Đăng xuất".encode()
        assert translation.get_language() == "en"


# --- the catalogue -----------------------------------------------------------------------------


def parse_po(path: Path) -> list[dict]:
    """The catalogue's entries (blocks separated by blank lines): msgctxt, msgid, msgid_plural,
    msgstr as {index: text}, flags and whether the entry is obsolete ("#~")."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"flags": set(), "msgstr": {}, "obsolete": False}, None
        for line in block.strip().splitlines():
            if line.startswith("#~"):
                entry["obsolete"], line = True, line[2:].strip()
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
                continue
            elif line.startswith("#"):
                continue
            if line.startswith('"'):
                text = ast.literal_eval(line)
            else:
                word, _, rest = line.partition(" ")
                text = ast.literal_eval(rest)
                key = (
                    ("msgstr", int(word[7:-1]))
                    if word.startswith("msgstr[")
                    else (("msgstr", 0) if word == "msgstr" else (word, None))
                )
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] = ""
                else:
                    entry[key[0]] = ""
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += text
            else:
                entry[key[0]] += text
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def msgids(entries) -> set:
    return {(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in entries if not e["obsolete"]}


def test_every_string_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO)
    assert len(entries) > 1000
    untranslated = [e["msgid"] for e in entries if not e["obsolete"] and not all(e["msgstr"].values())]
    assert untranslated == []
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    plurals = [e for e in entries if e.get("msgid_plural")]
    assert plurals and all(sorted(e["msgstr"]) == [0, 1] for e in plurals)


def test_compiled_catalogue_matches_the_po():
    catalog = gettext.GNUTranslations(MO.open("rb"))
    for e in parse_po(PO):
        if e["obsolete"] or e.get("msgid_plural") or e.get("msgctxt"):
            continue
        assert catalog.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_finds_no_new_string(tmp_path):
    """makemessages run on a copy of the sources adds no msgid: every string in the code is in the .po."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(
        "__pycache__", "*.pyc", *MAKEMESSAGES_IGNORES, "media", "db.sqlite3", "*.mo"
    )
    for name in ("awards", "campaigns", "indicators", "jobs", "phominh", "templates", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    shutil.copy2(ROOT / "manage.py", copy / "manage.py")
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORES]
    subprocess.run(command, cwd=copy, check=True, capture_output=True, timeout=300)
    fresh = parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert msgids(fresh) - msgids(parse_po(PO)) == set(), "run makemessages and translate the new strings"
    assert [e["msgid"] for e in fresh if not all(e["msgstr"].values())] == []


def test_profile_language_choices_follow_settings():
    assert [code for code, _name in Profile._meta.get_field("language").choices] == ["vi", "en"]
    assert Profile._meta.get_field("language").default == "vi"
