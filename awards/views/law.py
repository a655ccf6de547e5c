"""The law as data (awards/law.py): the legal texts the documents cite by date, and who decides each
title in each period. The office edits, adds and confirms them; the leadership and the council read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import law, permissions
from ..forms import LegalTextForm, TitleAuthorityForm
from ..law import LegalText, TitleAuthority
from ..services import AwardError
from ._helpers import require_role


def _require_reader(request) -> None:
    require_role(request)
    if not permissions.can_view_law(request.user):
        raise PermissionDenied


def _require_editor(request) -> None:
    require_role(request)
    if not permissions.can_edit_law(request.user):
        raise PermissionDenied


def law_list(request):
    _require_reader(request)
    today = timezone.localdate()
    texts = list(LegalText.objects.select_related("confirmed_by").order_by("-in_force_from", "role", "order"))
    authorities = list(
        TitleAuthority.objects.select_related("title", "confirmed_by")
        .prefetch_related("basis")
        .order_by("-valid_from", "title__order", "title__name")
    )
    periods: dict = {}
    for row in authorities:
        periods.setdefault((row.valid_from, row.valid_until), []).append(row)
    return render(
        request,
        "awards/law_list.html",
        {
            "today": today,
            "texts": texts,
            "in_force": {t.pk for t in texts if t.in_force_on(today)},
            "periods": sorted(periods.items(), key=lambda kv: kv[0][0], reverse=True),
            "unconfirmed": sum(not t.confirmed for t in texts) + sum(not a.confirmed for a in authorities),
            "can_edit": permissions.can_edit_law(request.user),
        },
    )


def _edit(request, *, obj, form_class, save, template: str, kind: str):
    _require_editor(request)
    form = form_class(request.POST or None, instance=obj, initial={"version": obj.version if obj else None})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            save(obj, user=request.user, data=data, version=version)
            messages.success(request, _("Đã lưu."))
            return redirect("awards-law")
        except AwardError as error:
            messages.error(request, str(error))
    return render(request, template, {"form": form, "obj": obj, "kind": kind})


def text_edit(request, pk: int | None = None):
    text = get_object_or_404(LegalText, pk=pk) if pk else None
    return _edit(
        request,
        obj=text,
        form_class=LegalTextForm,
        save=lambda obj, **kw: law.save_legal_text(text=obj, **kw),
        template="awards/law_form.html",
        kind="text",
    )


def authority_edit(request, pk: int | None = None):
    authority = get_object_or_404(TitleAuthority, pk=pk) if pk else None
    return _edit(
        request,
        obj=authority,
        form_class=TitleAuthorityForm,
        save=lambda obj, **kw: law.save_authority(authority=obj, **kw),
        template="awards/law_form.html",
        kind="authority",
    )


@require_POST
def law_confirm(request, kind: str, pk: int):
    _require_editor(request)
    model = {"van-ban": LegalText, "tham-quyen": TitleAuthority}.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    try:
        law.confirm(obj=obj, user=request.user)
        messages.success(request, _("Đã xác nhận: %(row)s.") % {"row": obj})
    except AwardError as error:
        messages.error(request, str(error))
    return redirect("awards-law")
