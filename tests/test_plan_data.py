"""The 2024 plan as data: every figure of the seed is in the database, exactly, and nothing else."""

from decimal import Decimal

import pytest

from campaigns.models import CampaignContent, PlanParagraph, PlanSection
from indicators.models import Target, TargetTerm
from indicators.templatetags.vn import format_number

from . import seed

pytestmark = pytest.mark.django_db


def by_code(plan) -> dict[str, Target]:
    return {t.code: t for t in plan.targets.all()}


def test_every_seed_figure_of_the_targets_section_is_a_target_of_that_line(plan):
    targets = list(plan.targets.exclude(target_value=None))
    checked = 0
    for line in seed.targets_section():
        for figure in seed.figures(line):
            owners = [
                t
                for t in targets
                if t.description == seed.clean(line) and format_number(t.target_value) == figure
            ]
            assert owners, f"{figure!r} of {line!r} is not the figure of any target of that line"
            checked += 1
    assert checked == 41  # 25 economic, 14 social, 2 defence figures


def test_every_target_figure_stands_in_the_seed_line_it_comes_from(plan):
    for target in plan.targets.exclude(target_value=None):
        assert format_number(target.target_value) in seed.figures(target.description), target.code


def test_administrative_reform_targets_come_from_content_six(plan):
    content6 = seed.content(6)
    codes = by_code(plan)
    assert seed.figures(content6.split("Luân chuyển hồ sơ")[1]) == ["97", "55"]
    assert codes["CC-01"].target_value == Decimal("97") and codes["CC-01"].comparator == "gte"
    assert codes["CC-02"].target_value == Decimal("55") and codes["CC-02"].comparator == "gt"
    assert codes["CC-03"].target_value == Decimal("55") and codes["CC-03"].comparator == "gt"
    assert all(codes[c].content.number == 6 for c in ("CC-01", "CC-02", "CC-03"))


def test_catalogue_figures_units_and_comparators(plan):
    expected = {
        "KT-01": ("705.6", "tỷ đồng", "gte", "flow"),
        "KT-01a": ("84.1", "tỷ đồng", "gte", "flow"),
        "KT-01b": ("423.5", "tỷ đồng", "gte", "flow"),
        "KT-01c": ("198", "tỷ đồng", "gte", "flow"),
        "KT-02a": ("11.9", "%", "approx", "derived"),
        "KT-02b": ("60.1", "%", "approx", "derived"),
        "KT-02c": ("28", "%", "approx", "derived"),
        "KT-03": ("480000000", "đồng", "gte", "flow"),
        "KT-04": ("6599100000", "đồng", "gte", "flow"),
        "KT-05": ("6599100000", "đồng", "lte", "flow"),
        "KT-06": ("130", "triệu đồng", "gte", "ward_value"),
        "KT-07": ("4350", "tấn", "gte", "flow"),
        "KT-07a": ("4176", "tấn", "gte", "flow"),
        "KT-07b": ("174", "tấn", "gte", "flow"),
        "KT-08": ("800", "con", "gte", "stock"),
        "KT-08a": ("50", "con", "gte", "stock"),
        "KT-09": ("100", "con", "gte", "stock"),
        "KT-10": ("20000", "con", "gte", "stock"),
        "KT-10a": ("5000", "con", "gte", "stock"),
        "KT-10b": ("15000", "con", "gte", "stock"),
        "KT-11": ("180", "tấn", "gte", "flow"),
        "XH-01": ("350", "lao động", "gte", "flow"),
        "XH-02": ("54", "%", "gte", "ratio"),
        "XH-03": ("2.57", "%", "lte", "ratio"),
        "XH-04": ("2.85", "%", "lte", "ratio"),
        "XH-05": ("0.8", "%", "lte", "ratio"),
        "XH-06": ("5.5", "%", "lte", "ratio"),
        "XH-08b": ("3", "mức độ", "maintain", "standard"),
        "XH-08c": ("3", "mức độ", "maintain", "standard"),
        "XH-08d": ("2", "mức độ", "maintain", "standard"),
        "XH-09a": ("100", "%", "gte", "ratio"),
        "XH-09b": ("93", "%", "gte", "ratio"),
        "XH-09c": ("100", "%", "gte", "ratio"),
        "XH-10": ("90", "%", "gte", "ratio"),
        "XH-11": ("93", "%", "gte", "ratio"),
        "QP-01": ("100", "%", "gte", "ratio"),
        "QP-02": ("95", "%", "gte", "ratio"),
    }
    codes = by_code(plan)
    for code, (value, unit, comparator, kind) in expected.items():
        t = codes[code]
        assert (t.target_value, t.unit_of_measure, t.comparator, t.kind) == (
            Decimal(value),
            unit,
            comparator,
            kind,
        ), code
    for code in ("XH-07", "XH-08a"):
        assert codes[code].kind == "standard" and codes[code].target_value is None


def test_the_plans_own_arithmetic_holds(plan):
    t = {code: target.target_value for code, target in by_code(plan).items()}
    assert t["KT-01a"] + t["KT-01b"] + t["KT-01c"] == t["KT-01"] == Decimal("705.6")
    assert t["KT-07a.1"] * t["KT-07a.2"] / 10 == t["KT-07a"] == Decimal("4176")
    assert t["KT-07b.1"] * t["KT-07b.2"] / 10 == t["KT-07b"] == Decimal("174")
    assert t["KT-07a"] + t["KT-07b"] == t["KT-07"] == Decimal("4350")
    assert t["KT-10a"] + t["KT-10b"] == t["KT-10"] == Decimal("20000")
    assert t["KT-02a"] + t["KT-02b"] + t["KT-02c"] == Decimal("100")


def test_components_add_up_and_subsets_are_not_addends(plan):
    codes = by_code(plan)
    for parent in plan.targets.filter(children__relation=Target.Relation.COMPONENT).distinct():
        parts = parent.children.filter(relation=Target.Relation.COMPONENT)
        assert sum(p.target_value for p in parts) == parent.target_value, parent.code
    buffalo = codes["KT-08a"]
    assert buffalo.parent == codes["KT-08"] and buffalo.relation == Target.Relation.SUBSET
    # trâu is counted inside trâu, bò through the same element, never added on top.
    herd_elements = {term.element.code for term in codes["KT-08"].terms.all()}
    assert herd_elements == {"DAN_TRAU", "DAN_BO"}
    assert [term.element.code for term in buffalo.terms.all()] == ["DAN_TRAU"]


def test_every_target_can_be_computed_from_its_terms(plan):
    for target in plan.targets.prefetch_related("terms"):
        numerators = [t for t in target.terms.all() if t.role == TargetTerm.Role.NUMERATOR]
        denominators = [t for t in target.terms.all() if t.role == TargetTerm.Role.DENOMINATOR]
        if target.kind == Target.Kind.HEADING:
            assert not numerators and not denominators, target.code
        elif target.kind in (Target.Kind.RATIO, Target.Kind.DERIVED):
            assert numerators and denominators, target.code
        else:
            assert numerators and not denominators, target.code
        if target.kind == Target.Kind.DERIVED:
            assert all(t.source_target_id for t in target.terms.all()), target.code
        elif target.kind != Target.Kind.HEADING:
            assert all(t.element_id for t in target.terms.all()), target.code
    natural_growth = by_code(plan)["XH-05"].terms.filter(role="numerator")
    assert {(t.element.code, t.coefficient) for t in natural_growth} == {
        ("SINH", Decimal(1)),
        ("TU", Decimal(-1)),
    }


def test_plan_header_text_and_signer(plan):
    assert plan.number == "05/KH-UBND"
    assert plan.place == "Phổ Minh"
    assert plan.issued_on.isoformat() == "2024-01-04"
    assert plan.title == (
        "Phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội của phường năm 2024"
    )
    assert (plan.signer_mandate, plan.signer_title, plan.signer_name) == (
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Lê Duy Bảo",
    )
    assert len(plan.preamble_paragraphs()) == 3
    assert plan.preamble_paragraphs()[0].startswith("Năm 2024 là năm giữ vững ổn định kinh tế.")
    assert plan.recipient_lines() == [
        "- Hội đồng TĐKT thị xã;",
        "- Phòng Nội vụ thị xã;",
        "- TT. ĐU, HĐND phường;",
        "- CT, PCT UBND phường;",
        "- Mặt trận và các hội, đoàn thể phường;",
        "- Các ban, ngành, TDP;",
        "- Hội đồng TĐKT phường;",
        "- Lưu: VT.",
    ]
    assert plan.closing.startswith("UBND phường kêu gọi toàn thể cán bộ")


def test_sections_contents_and_paragraphs_keep_the_seed_wording(plan):
    all_text = " ".join(seed.lines())
    contents = list(CampaignContent.objects.filter(plan=plan).order_by("number"))
    assert [c.number for c in contents] == list(range(1, 9))
    # Content 4 is split by a page break in the seed; it is kept as one item.
    assert contents[3].text.startswith(
        "Tiếp tục thực hiện có hiệu quả các phong trào thi đua do Thủ tướng Chính phủ"
    )
    for c in contents:
        if c.number != 4:
            assert f"{c.number}. {c.text}" in all_text
    implementation = PlanParagraph.objects.filter(section__plan=plan, section__heading="TỔ CHỨC THỰC HIỆN:")
    assert [p.number for p in implementation.order_by("order")] == [str(i) for i in range(1, 8)]
    headings = [
        (s.number, s.heading) for s in PlanSection.objects.filter(plan=plan, parent=None).order_by("order")
    ]
    assert headings == [
        ("I", "MỤC TIÊU, CHỈ TIÊU"),
        ("II", "NỘI DUNG PHÁT ĐỘNG THI ĐUA:"),
        ("II", "Chỉ tiêu thi đua:"),
        ("III", "TỔ CHỨC THỰC HIỆN:"),
    ]
    purposes = PlanParagraph.objects.filter(section__plan=plan, section__heading="Mục đích:")
    requirements = PlanParagraph.objects.filter(section__plan=plan, section__heading="Yêu cầu:")
    assert purposes.count() == 2 and requirements.count() == 3
    for p in list(purposes) + list(requirements):
        assert f"- {p.text}" in seed.lines()


def test_plan_fixture_holds_no_demo_data():
    """Production loads plan_2024 alone: no accounts, units, reports or invented baselines in it."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "fixtures" / "plan_2024.json"
    models = {obj["model"] for obj in json.loads(path.read_text(encoding="utf-8"))}
    assert models == {
        "campaigns.plan",
        "campaigns.plansection",
        "campaigns.planparagraph",
        "campaigns.campaigncontent",
        "indicators.dataelement",
        "indicators.target",
        "indicators.targetterm",
    }
