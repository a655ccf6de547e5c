"""Logging filters (settings.LOGGING).

A 403 is an answer, not a fault: Django's handler logs a PermissionDenied on "django.request" with
its traceback, which fills the log with stacks nobody needs. `OneLineForbidden` turns it into one
line with the path and the user's id ("Forbidden (Permission denied): /khen-thuong/ user=12").
"""

import logging


class OneLineForbidden(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else "-"
        path = getattr(request, "path", "?").encode("unicode_escape").decode("ascii")
        record.msg = "Forbidden (Permission denied): %s user=%s"
        record.args = (path, user_id)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
