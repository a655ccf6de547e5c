"""The admin site lists every model of the portal's apps."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db
OUR_APPS = {"campaigns", "indicators", "awards"}


def our_models():
    return [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


def test_every_model_of_our_apps_is_registered():
    from django.apps import apps

    for app in ("campaigns", "indicators", "awards"):
        for model in apps.get_app_config(app).get_models():
            assert model in admin.site._registry, model


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_changelist_loads_with_few_queries(client, demo, make_user, model, django_assert_max_num_queries):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200


def test_admin_is_only_for_staff(client, demo, make_user):
    client.force_login(make_user("office"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


@pytest.mark.parametrize("model", ["report", "reportedvalue", "valuechange", "actionlog"])
def test_reported_figures_and_their_audit_cannot_be_edited_in_the_admin(client, demo, make_user, model):
    """Figures change only through the services, which write the audit trail."""
    from indicators.audit import log_action
    from indicators.models import Report, ReportedValue, ValueChange

    admin_user = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    value = ReportedValue.objects.select_related("report").first()
    obj = {
        "report": lambda: value.report,
        "reportedvalue": lambda: value,
        "valuechange": lambda: ValueChange.objects.create(
            report=value.report,
            element=value.element,
            old_value=1,
            new_value=2,
            user=admin_user,
            source="form",
        ),
        "actionlog": lambda: log_action(value.report, "indicators.report.approved", admin_user),
    }[model]()
    change = reverse(f"admin:indicators_{model}_change", args=[obj.pk])
    assert client.post(change, {}).status_code == 403
    assert client.get(reverse(f"admin:indicators_{model}_add")).status_code == 403
    assert (
        client.post(reverse(f"admin:indicators_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert Report.objects.filter(pk=value.report_id, status=value.report.status).exists()
