"""The page shown when a form fails Django's CSRF check (settings.CSRF_FAILURE_VIEW).

Django's own page is English and technical. The usual cause here is a page left open past the end of
the session, or opened before logging in again in another tab: say so in Vietnamese, in the portal's
layout, and offer the way back. The technical reason stays out of the page (it helps nobody at the
counter) and goes to the log, as Django's own view does.
"""

import logging

from django.shortcuts import render

logger = logging.getLogger("django.security.csrf")


def csrf_failure(request, reason: str = ""):
    """A form kept by static/js/keep-input.js (posted with its flag) still has its input in the
    browser: the page says so and links back to the form (same host only), where it is offered again."""
    from phominh.middleware import form_page_of_post, input_was_kept

    logger.warning("CSRF failure on %s: %s", request.path, reason)
    kept = input_was_kept(request)
    context = {"input_kept": kept, "form_page": form_page_of_post(request) if kept else None}
    return render(request, "403_csrf.html", context, status=403)
