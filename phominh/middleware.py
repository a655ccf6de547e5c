"""Request checks that belong to no single view."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RefuseNullCharactersMiddleware:
    """Answer 400 to a request whose path, query, form fields or file names hold a NUL character.

    No one types a NUL, and PostgreSQL can neither store nor compare one: a view that reads
    `request.POST` or a URL part directly (a reason, a unit code) would otherwise fail with a server
    error. Django's form fields already refuse NULs; this covers everything that is not a form field.
    Reading `request.POST` here costs nothing extra, since the CSRF check reads it anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_null(request):
            return HttpResponseBadRequest(
                _("Yêu cầu chứa ký tự không hợp lệ."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)

    @staticmethod
    def _has_null(request) -> bool:
        if "\x00" in request.path_info:
            return True
        parts = [request.GET]
        if request.method == "POST":
            parts.append(request.POST)
        for data in parts:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return True
        if request.method == "POST":
            return any("\x00" in (upload.name or "") for upload in request.FILES.values())
        return False
