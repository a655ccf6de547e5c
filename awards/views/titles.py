"""The titles: the list, and the office's edit of one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import permissions, services
from ..forms import (
    TitleForm,
)
from ..models import Title
from ._helpers import require_role


def title_list(request):
    require_role(request)
    titles = list(Title.objects.select_related("prerequisite", "quota_base", "earlier_title"))
    return render(
        request,
        "awards/title_list.html",
        {"titles": titles, "can_edit": permissions.can_edit_titles(request.user)},
    )


def title_edit(request, pk: int):
    require_role(request)
    if not permissions.can_edit_titles(request.user):
        raise PermissionDenied
    title = get_object_or_404(Title, pk=pk)
    form = TitleForm(request.POST or None, instance=Title.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_title(title=title, user=request.user, data=form.cleaned_data)
            messages.success(request, _("Đã lưu danh hiệu %(t)s.") % {"t": title.name})
            return redirect(reverse("awards-titles"))
        except services.AwardError as error:
            messages.error(request, str(error))
    return render(request, "awards/title_form.html", {"form": form, "title": title})
