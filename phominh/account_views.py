"""Each signed-in person changes his own password; the office resets one (rules in phominh.accounts)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import accounts


class PortalPasswordChangeForm(PasswordChangeForm):
    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password2")
        if new and new == cleaned.get("old_password"):
            raise forms.ValidationError(_("Mật khẩu mới phải khác mật khẩu hiện tại."))
        return cleaned


class PasswordChange(auth_views.PasswordChangeView):
    """Django's view (old password, new one twice, the validators) in the portal's layout."""

    form_class = PortalPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            accounts.record_password_change(form.user)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


@never_cache
def password_reset_list(request):
    if not accounts.can_reset_passwords(request.user):
        raise PermissionDenied
    return render(
        request, "registration/password_reset_list.html", {"people": accounts.resettable_users(request.user)}
    )


@never_cache
@require_POST
def password_reset(request, username: str):
    """The temporary password is shown in this response only: nowhere stored in clear, never cached."""
    if not accounts.can_reset_passwords(request.user):
        raise PermissionDenied
    person = get_object_or_404(accounts.resettable_users(request.user), username=username)
    password = accounts.reset_password(actor=request.user, user=person)
    return render(request, "registration/password_reset_done.html", {"person": person, "password": password})
