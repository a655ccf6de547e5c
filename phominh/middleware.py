"""Request checks that belong to no single view."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from phominh.accounts import must_change_password
from phominh.auth import is_trusted_proxy


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


class UploadGuardMiddleware:
    """Refuse a request body too large for its sender (413) before a byte of it is read.

    Django reads a multipart body in full, streaming its files to temporary files, before any view can
    say no, and the CSRF check reads it too: a stranger could make each worker swallow any amount. Here
    only the headers count. Content-Length may reach PHOMINH_MAX_UPLOAD_BYTES for a signed-in user (the
    session cookie must belong to one) and PHOMINH_ANONYMOUS_MAX_BYTES for anyone else: nobody signed
    in posts more than a login form, and every upload page needs a login. Placed right after
    SessionMiddleware, before anything that touches request.POST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PHOMINH_ANONYMOUS_MAX_BYTES:
            if length > settings.PHOMINH_MAX_UPLOAD_BYTES:
                mb = round(settings.PHOMINH_MAX_UPLOAD_BYTES / 1048576, 1)
                mb = int(mb) if mb == int(mb) else formats.number_format(mb)
                return self._refuse(_("Dữ liệu gửi lên quá lớn (tối đa %(mb)s MB).") % {"mb": mb})
            if not auth.get_user(request).is_authenticated:
                return self._refuse(_("Cần đăng nhập trước khi gửi tệp hoặc dữ liệu lớn."))
        return self.get_response(request)

    @staticmethod
    def _refuse(text: str) -> HttpResponse:
        return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")


LOGIN_AT = "phominh_login_at"


def stamp_login(sender, request, user, **kwargs):
    """Receiver of `user_logged_in` (connected in IndicatorsConfig.ready): the login time goes into the
    session as it is created, so the first request after a login does not write the session again."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = timezone.now().timestamp()


# Posted by static/js/keep-input.js with a form whose input it keeps in the browser until it is saved.
KEPT_INPUT_FIELD = "keep_input"


def input_was_kept(request) -> bool:
    return request.method == "POST" and request.POST.get(KEPT_INPUT_FIELD) == "1"


def form_page_of_post(request) -> str | None:
    """The page a refused POST was sent from (its Referer, same host only), as a path to come back to.

    A POST goes to the form's own URL (the entry form) or to a step's POST-only URL (a ballot, a
    comment), so after the login the user is sent back to the page he typed on, never to the POST URL.
    """
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    path = parts.path or "/"
    if path == resolve_url(settings.LOGIN_URL):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def login_then_back(request):
    """The login page, with `next` set to the page a refused POST came from (when known and safe)."""
    page = form_page_of_post(request)
    return redirect_to_login(page) if page else redirect(settings.LOGIN_URL)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's login-by-default, and for a POST from someone no longer signed in (the session expired
    while he typed): a message saying so, then, after the login, the form page again (GET), where
    static/js/keep-input.js offers what he typed back. The POST itself is never carried out."""

    def handle_no_permission(self, request, view_func):
        if request.method != "POST":
            return super().handle_no_permission(request, view_func)
        if input_was_kept(request):
            text = _(
                "Phiên làm việc đã hết hạn. Đăng nhập lại để tiếp tục; số liệu bạn vừa nhập vẫn được giữ."
            )
        else:
            text = _("Phiên làm việc đã hết hạn. Đăng nhập lại để tiếp tục.")
        messages.warning(request, text)
        return login_then_back(request)


class AbsoluteSessionLimitMiddleware:
    """End a session SESSION_COOKIE_AGE after the login, however busy it has been.

    Django's expiry slides: each change of the session pushes it forward, so a session in steady use
    would never end. The login time is kept in the session (stamped at login by `stamp_login`; a
    session from before this middleware is stamped when first seen) and, once the
    limit has passed, the user is signed out and sent to the login page with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_signed_in = request.user.is_authenticated
        if was_signed_in:
            login_at = request.session.get(LOGIN_AT)
            if login_at is None:
                request.session[LOGIN_AT] = timezone.now().timestamp()
            elif timezone.now().timestamp() - login_at >= settings.SESSION_COOKIE_AGE:
                return self._expire(request)
        return self.get_response(request)

    @staticmethod
    def _expire(request):
        auth.logout(request)
        seconds = settings.SESSION_COOKIE_AGE
        hours = seconds // 3600 if seconds % 3600 == 0 else formats.number_format(round(seconds / 3600, 1))
        text = _("Phiên làm việc đã hết hạn (%(hours)s giờ kể từ khi đăng nhập). Hãy đăng nhập lại.") % {
            "hours": hours
        }
        if request.method in ("GET", "HEAD"):
            messages.info(request, text)
            return redirect_to_login(request.get_full_path())
        if input_was_kept(request):
            text += " " + _("Số liệu bạn vừa nhập vẫn được giữ.")
        messages.info(request, text)
        return login_then_back(request)


class PasswordChangeRequiredMiddleware:
    """Someone whose password the office reset must choose his own before doing anything else."""

    ALLOWED = ("password-change", "logout", "set-language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if must_change_password(request.user) and request.path_info not in self._allowed_paths():
            messages.warning(
                request, _("Mật khẩu của bạn là mật khẩu tạm: hãy đổi mật khẩu trước khi tiếp tục.")
            )
            return redirect("password-change")
        return self.get_response(request)

    def _allowed_paths(self) -> set[str]:
        return {reverse(name) for name in self.ALLOWED}


FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)


class TrustedProxyHeadersMiddleware:
    """X-Forwarded-For, -Proto, -Host and -Port count only when our own reverse proxy sent them.

    Behind the proxy (DJANGO_BEHIND_PROXY=1) the portal reads X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER:
    is this https?) and X-Forwarded-For (phominh.auth.client_ip: who is this?). Both are what the proxy
    wrote only when the request came from the proxy: nginx overwrites X-Forwarded-Proto and appends to
    X-Forwarded-For. A request that reached gunicorn some other way, or any request when no proxy is
    configured, has these headers removed before SecurityMiddleware or anything else reads them, so a
    client cannot claim https or another address by writing them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PHOMINH_PROXY_COUNT <= 0 or not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
