"""The one way the portal turns a Django template into a PDF document of the ward (DOMAIN.md §5).

Every document the portal issues (the plan, later the progress report, minutes and decisions) goes
through `render_pdf()`, so that they all share one layout (templates/pdf/base.html, static/css/pdf.css)
and one set of rules:

- Fonts and CSS are read from the project's `static/` directory on disk, never over HTTP and never from
  the machine's fonts: a printed copy must look the same whichever server produced it. The fetcher
  refuses anything outside `static/` (a stray URL in a template must not make the server fetch it), and a
  resource that cannot be read stops the rendering: a plan printed in a fallback font is worse than an
  error.
- The stylesheet and its @font-face fonts are parsed once per thread and reused. Building them (a
  fontconfig configuration, a Pango font map, the four font files loaded again) takes about 20 ms, five
  times the template's 4 ms, out of some 400 ms for the whole plan (bench/bench_pdf.py); reusing them
  also keeps Pango's font caches warm. The cache is per thread because Pango font maps are not meant to
  be shared between threads, and it follows the stylesheet's modification time so that an edited
  pdf.css is picked up without a restart.
"""

import re
import threading
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

STATIC_DIR = Path(settings.BASE_DIR) / "static"
STYLESHEET = STATIC_DIR / "css" / "pdf.css"


class PdfRenderingError(RuntimeError):
    """A PDF could not be produced as designed (a font or the stylesheet could not be read)."""


class StaticFilesFetcher(URLFetcher):
    """Serves `file:` URLs inside `static/` and inline `data:` URLs; refuses every other URL."""

    def __init__(self, root: Path = STATIC_DIR):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        if url.lower().startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"Only files under {self.root} may be used in a PDF: {url}")
        return super().fetch(url, headers)


class _Resources(threading.local):
    """This thread's parsed stylesheet, its font configuration and its fetcher (see module docstring)."""

    stamp: int | None = None
    stylesheet: CSS | None = None
    font_config: FontConfiguration | None = None
    fetcher: StaticFilesFetcher | None = None


_resources = _Resources()


def resources() -> tuple[CSS, FontConfiguration, StaticFilesFetcher]:
    """The parsed pdf.css with its fonts loaded, reparsed only when the file has changed."""
    stamp = STYLESHEET.stat().st_mtime_ns
    if _resources.stamp != stamp:
        fetcher = StaticFilesFetcher()
        font_config = FontConfiguration()
        stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=font_config)
        _resources.fetcher, _resources.font_config, _resources.stylesheet = fetcher, font_config, stylesheet
        _resources.stamp = stamp
    return _resources.stylesheet, _resources.font_config, _resources.fetcher


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint on an HTML string, with relative URLs resolved against `static/`."""
    try:
        stylesheet, font_config, fetcher = resources()
        document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)
    except FatalURLFetchingError as error:
        # WeasyPrint raises a BaseException here so that its own handlers let it through; turn it into
        # an ordinary error so that Django answers 500 and logs it instead of killing the worker.
        raise PdfRenderingError(str(error)) from error


def render_pdf(*, template: str, context: dict, request=None) -> bytes:
    """The template rendered by Django (with the request's context processors when given), as a PDF.

    Always in Vietnamese: these are the ward's official documents, whatever the user's interface language.
    """
    with translation.override("vi"):
        return html_to_pdf(render_to_string(template, context, request=request))


def pdf_response(*, template: str, context: dict, filename: str, request=None) -> HttpResponse:
    """A download of the rendered document under `filename` (ASCII, see `pdf_filename()`)."""
    if not filename.isascii():
        raise ValueError(f"PDF file names must be ASCII: {filename!r}")
    return HttpResponse(
        render_pdf(template=template, context=context, request=request),
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


def ascii_name(text: str) -> str:
    """A file-name part without diacritics, case kept: 05/KH-UBND → 05-KH-UBND, kế hoạch → ke-hoach.

    `django.utils.text.slugify` would drop "đ" (it has no decomposition: "quyết định" → "quyet-inh")
    and glue "05/KH" into "05kh", which no clerk would recognise as the document's number.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def pdf_filename(*parts: str) -> str:
    """("kế hoạch", "05/KH-UBND", "2024") → "ke-hoach-05-KH-UBND-2024.pdf"."""
    return "-".join(filter(None, (ascii_name(str(part)) for part in parts))) + ".pdf"
