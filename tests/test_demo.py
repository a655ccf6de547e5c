"""The demo set: one account per role, realistic units, values only where a unit reports them."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from indicators.models import Assignment, Baseline, Profile, Report, ReportedValue, Unit

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_one_demo_account_per_role_with_the_readme_password(demo):
    roles = set(Profile.objects.values_list("role", flat=True))
    assert roles == {choice.value for choice in Profile.Role}
    for username in ["chutich", "vanphong", "canbo", "totruong1", "hoidong", "quantri"]:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username


def test_group_leaders_each_lead_exactly_their_group(demo):
    leaders = Profile.objects.filter(role=Profile.Role.GROUP_LEADER).prefetch_related("units")
    assert leaders.count() >= 8
    for leader in leaders:
        units = list(leader.units.all())
        assert len(units) == 1 and units[0].kind == Unit.Kind.RESIDENTIAL_GROUP


def test_unit_tree_has_the_ward_at_its_root_and_eight_groups(demo):
    ward = Unit.objects.get(parent=None)
    assert ward.kind == Unit.Kind.WARD
    assert Unit.objects.filter(kind=Unit.Kind.RESIDENTIAL_GROUP).count() >= 8
    for kind in ["office", "mass_org", "school", "health", "security"]:
        assert Unit.objects.filter(kind=kind).exists(), kind


def test_every_element_is_assigned_and_values_are_only_for_assigned_elements(demo):
    assert not demo.data_elements.filter(assignments=None).exists()
    assigned = set(Assignment.objects.values_list("unit_id", "element_id"))
    values = ReportedValue.objects.values_list("report__unit_id", "element_id")
    assert values.exists()
    assert set(values) <= assigned


def test_demo_has_three_quarters_and_baselines_for_the_giam_con_targets(demo):
    assert sorted(set(Report.objects.values_list("period__quarter", flat=True))) == [1, 2, 3]
    for code in ["XH-03", "XH-04", "XH-05", "XH-06"]:
        assert Baseline.objects.filter(target__code=code).exists(), code
    # "giảm còn": last year's result lies above this year's target
    for baseline in Baseline.objects.filter(target__comparator="lte", target__kind="ratio"):
        assert baseline.value > baseline.target.target_value


def test_group_values_are_consistent_counts(demo):
    for report in Report.objects.filter(unit__kind=Unit.Kind.RESIDENTIAL_GROUP).prefetch_related(
        "values__element"
    ):
        v = {value.element.code: value.value for value in report.values.all()}
        assert (
            v["HO_NGHEO"] <= v["SO_HO"] and v["HO_VAN_HOA"] <= v["SO_HO"] and v["NGUOI_BHYT"] <= v["DAN_SO"]
        )
        assert all(value == value.to_integral_value() for value in v.values())


def test_setup_dev_refuses_in_production(settings, monkeypatch):
    """The demo accounts' password is in the README: production never gets them, even on a fresh database."""
    from campaigns.models import Plan

    settings.PRODUCTION = True
    monkeypatch.setattr(Plan.objects, "exists", lambda: False)  # as on a fresh database
    monkeypatch.setattr(
        "indicators.management.commands.setup_dev.call_command",
        lambda *args, **kwargs: pytest.fail(f"setup_dev loaded {args} in production"),
    )
    with pytest.raises(CommandError, match="DJANGO_ENV=production"):
        call_command("setup_dev", stdout=io.StringIO())


@pytest.mark.django_db(False)
def test_setup_dev_with_django_env_production_exits_non_zero_and_touches_no_database(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))} | {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k3y-for-the-check-only-" + "x7Qp9zR2" * 6,
        "DJANGO_ALLOWED_HOSTS": "thidua.phominh.gov.vn",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "setup_dev"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "setup_dev chỉ dùng khi phát triển" in result.stderr
    assert not database.exists()


SEES_ALL = {"leadership", "council", "admin"}


def readme_demo_accounts() -> dict[str, tuple[str, set[str] | None]]:
    """README's "Demo accounts" table: username → (role cell, unit names), None for "all".

    A row `a1` … `a8` pairs each account with one unit of "Name 1 … 8"; in a one-account row
    "Name 1 … 8" means all eight units.
    """
    section = (ROOT / "README.md").read_text().split("## Demo accounts", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    accounts = {}
    for row in rows:
        users, role, units = (cell.strip() for cell in row.strip("|").split("|"))
        names = re.findall(r"`([^`]+)`", users)
        if units.startswith("all"):
            unit_sets = [None] * len(names)
        else:
            single, ranges = [], []
            for unit in units.split(", "):
                found = re.fullmatch(r"(.+) (\d+) … (\d+)", unit)
                if found:
                    prefix, first, last = found.group(1), int(found.group(2)), int(found.group(3))
                    ranges.append([f"{prefix} {i}" for i in range(first, last + 1)])
                else:
                    single.append(unit)
            if len(names) == 2 and "…" in users:  # `totruong1` … `totruong8`
                first, last = (int(re.search(r"\d+$", name).group()) for name in names)
                stem = re.sub(r"\d+$", "", names[0])
                names = [f"{stem}{i}" for i in range(first, last + 1)]
                unit_sets = [set(single) | {r[i] for r in ranges} for i in range(len(names))]
            else:
                unit_sets = [set(single) | {u for r in ranges for u in r}]
        for name, unit_set in zip(names, unit_sets, strict=True):
            accounts[name] = (role, unit_set)
    return accounts


def fixture_demo_accounts() -> dict[str, tuple[str, set[str]]]:
    """fixtures/demo_2024.json: username → (role, names of the units the profile serves)."""
    objects = json.loads((ROOT / "fixtures" / "demo_2024.json").read_text())

    def by_model(model: str) -> dict[int, dict]:
        return {o["pk"]: o["fields"] for o in objects if o["model"] == model}

    users, units = by_model("auth.user"), by_model("indicators.unit")
    return {
        users[profile["user"]]["username"]: (profile["role"], {units[pk]["name"] for pk in profile["units"]})
        for profile in by_model("indicators.profile").values()
    }


@pytest.mark.django_db(False)
def test_readme_demo_accounts_table_matches_the_fixture():
    readme, fixture = readme_demo_accounts(), fixture_demo_accounts()
    assert readme.keys() == fixture.keys()
    for username, (role, units) in fixture.items():
        readme_role, readme_units = readme[username]
        assert readme_role.startswith(str(Profile.Role(role).label)), username
        if readme_units is None:
            assert role in SEES_ALL and units == set(), username
        else:
            assert readme_units == units, username


@pytest.mark.django_db(False)
def test_the_vhxh_official_serves_the_residential_groups_in_the_readme_and_the_fixture():
    groups = {f"Tổ dân phố {i}" for i in range(1, 9)}
    assert groups <= readme_demo_accounts()["canbo_vhxh"][1]
    assert groups <= fixture_demo_accounts()["canbo_vhxh"][1]
