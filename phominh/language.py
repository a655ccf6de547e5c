"""The interface language, chosen per user (issue 10, item 4).

Vietnamese is the portal's language and the default. A signed-in user may switch to English with the
small form in the navbar; the choice is stored on his profile (`Profile.language`) and
`UserLanguageMiddleware` activates it for each of his requests. Anonymous visitors (the login page)
and accounts without a profile see Vietnamese. Documents of the ward (PDFs) stay Vietnamese whatever
the user's language: `phominh.pdf.render_pdf` renders them under `translation.override("vi")`.

Numbers and dates follow the active language through Django's format modules: Vietnamese 4.176 and
2,57 (phominh/formats/vi), English 4,176 and 2.57 (Django's own "en" formats).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def user_language(user) -> str:
    """The language stored on the user's profile, or the portal's default (Vietnamese)."""
    if getattr(user, "is_authenticated", False):
        try:
            language = user.profile.language
        except ObjectDoesNotExist:
            language = None
        if language in SUPPORTED:
            return language
    return settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Activates the signed-in user's language for the request (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = user_language(request.user)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Threads are reused between requests: never leave a user's language behind.
            translation.activate(settings.LANGUAGE_CODE)
        response.headers.setdefault("Content-Language", language)
        return response


def safe_next(request) -> str:
    """Where to go back after switching: a local URL from the form or the referrer, else home."""
    for candidate in (request.POST.get("next"), request.headers.get("referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return reverse("home")


@require_POST
@login_required
def set_language(request):
    """POST language=vi|en: saves the choice on the user's profile and goes back to the page."""
    language = request.POST.get("language", "")
    if language not in SUPPORTED:
        return HttpResponseBadRequest("Unsupported language")
    try:
        profile = request.user.profile
    except ObjectDoesNotExist:
        return HttpResponseBadRequest("No profile")
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])
    return HttpResponseRedirect(safe_next(request))
