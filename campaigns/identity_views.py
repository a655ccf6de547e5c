"""The office's page for the ward's identity (/thiet-lap/thong-tin-phuong/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from indicators.permissions import can_manage_plan

from .forms import WardIdentityForm
from .identity import IdentityConflict, current_identity, missing_identity_fields, save_identity


def identity_edit(request):
    """Office (and administrator) only; a stale page is refused with the typed text kept."""
    if not can_manage_plan(request.user):
        raise PermissionDenied
    identity = current_identity()
    form = WardIdentityForm(
        request.POST or None, instance=identity, initial={"version": identity.version if identity else 0}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            save_identity(user=request.user, data=data, version=version or 0)
        except IdentityConflict as error:
            form.add_error(None, str(error))
            identity = current_identity()
            # The next save is checked against the row now shown, the typed text stays in the boxes.
            form.data = form.data.copy()
            form.data["version"] = identity.version if identity else 0
        else:
            messages.success(request, _("Đã lưu thông tin phường."))
            return redirect("identity-edit")
    return render(
        request,
        "campaigns/identity_form.html",
        {"form": form, "identity": identity, "missing": missing_identity_fields(identity)},
    )
