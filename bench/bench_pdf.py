"""How much phominh.pdf and our views add on top of WeasyPrint itself, for the plan and the quarterly report.

Run from the project root:  python bench/bench_pdf.py [N]

In one run, on a fresh in-memory SQLite database with the real plan (fixtures/plan_2024.json) and the
demo set (fixtures/demo_2024.json: the figures the quarterly report is computed from), it times N
renders (default 5, after one warm-up each) of each document.

The plan's PDF:

  (a) render_pdf(): the Django template rendered to HTML, then WeasyPrint with the cached stylesheet
      and fonts: what the plan_pdf view pays after its database queries;
  (b) WeasyPrint alone on the same pre-rendered HTML string, with a stylesheet and font configuration
      built once by this script: the least any PDF of this HTML can cost;
  (c) WeasyPrint on the same HTML with the stylesheet and fonts built afresh each time: what every
      render would cost without the cache in phominh.pdf;
  (d) building the stylesheet and font configuration alone, the part of (c) the cache saves, which is
      small enough to drown in the noise of whole renders on a busy machine.

The quarterly progress report of the ward (quarter II, approved figures, as the chairman downloads it):

  (a) the whole view, indicators.report_pdf_views.progress_report_pdf, called with a request: the
      query string read, the roll-up and its queries, the rows and charts, the template, WeasyPrint
      and the response; everything but the middleware;
  (b) and (c) as for the plan, on the HTML that (a) renders;
  and, for the record, the roll-up with the rows alone and the template alone.

Our overhead is median(a) / median(b) - 1; the goal is below 20 %. The runs of (a), (b) and (c) are
interleaved, in an order that rotates every round, so that neither a machine that slows down mid-run
nor the position in a round favours one of them. Both CPU and wall time are shown: WeasyPrint is
single-threaded, so on a shared machine this process's CPU time is the steadier measure. With N=5 the
medians still move by ±10 % between runs on a busy machine (±20 % for the longer report when two cores
carry six busy processes); pass a larger N to compare changes. The ratio of the fastest runs and, for
the report, the context and template timed on their own show our part without that noise.
"""

import gc
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "phominh.settings"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from campaigns.models import Plan  # noqa: E402
from campaigns.selectors import plan_document  # noqa: E402
from indicators.dashboard_views import Filters  # noqa: E402
from indicators.report_pdf_views import TEMPLATE as REPORT_TEMPLATE  # noqa: E402
from indicators.report_pdf_views import progress_report_pdf, ward_report_context  # noqa: E402
from phominh.pdf import STATIC_DIR, STYLESHEET, StaticFilesFetcher, render_pdf  # noqa: E402

PLAN_TEMPLATE = "pdf/plan.html"
BASE_URL = STATIC_DIR.as_uri() + "/"
NOW = datetime(2024, 7, 5, 1, 30, tzinfo=UTC)


def plan_context() -> dict:
    """The context campaigns.views.plan_pdf gives the template, with the queries done up front."""
    plan = Plan.objects.get(year=2024)
    outline = []
    for root in plan_document(plan=plan):
        outline += [(root, 1)] + [(child, 2) for child in root.children]
    return {"document": plan, "plan": plan, "outline": outline}


def weasyprint_alone(html: str, stylesheet: CSS, font_config: FontConfiguration) -> bytes:
    fetcher = StaticFilesFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )


def weasyprint_uncached(html: str) -> bytes:
    fetcher = StaticFilesFetcher()
    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=font_config)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )


def build_stylesheet() -> None:
    font_config = FontConfiguration()
    CSS(filename=str(STYLESHEET), url_fetcher=StaticFilesFetcher(), font_config=font_config)


def timed(function, *args) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call, after a garbage collection that is not counted."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    function(*args)
    return time.process_time() - cpu, time.perf_counter() - wall


def measure(title: str, html: str, pdf_size: int, ours: tuple, extras: dict, n: int) -> dict[str, float]:
    """Times `ours` (label, function, *args) against WeasyPrint alone and uncached on `html`, interleaved,
    then the `extras` ({label: (function, *args)}) one after the other; prints the table and returns
    the median CPU seconds by label.

    Besides the medians, the ratio of the fastest runs is shown: on a shared machine a render is only
    ever slowed down by the others, so the fastest of N is the closest to its own cost.
    """
    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=StaticFilesFetcher(), font_config=font_config)
    label, *run = ours
    runs = {
        label: tuple(run),
        "(b) WeasyPrint alone on the same HTML": (weasyprint_alone, html, stylesheet, font_config),
        "(c) WeasyPrint, CSS/fonts rebuilt every render": (weasyprint_uncached, html),
    }
    warm_up = {label: timed(*run) for label, run in runs.items()}
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in runs}
    labels = list(runs)
    for round_ in range(n):
        for label in labels[round_ % 3 :] + labels[: round_ % 3]:
            samples[label].append(timed(*runs[label]))
    for label, run in extras.items():
        samples[label] = [timed(*run) for _ in range(n)]

    cpu = {label: statistics.median(c for c, _ in values) for label, values in samples.items()}
    wall = {label: statistics.median(w for _, w in values) for label, values in samples.items()}
    print(f"{title}: {len(html):,} characters of HTML, {pdf_size:,} bytes of PDF; N={n} each, interleaved.")
    print(f"{'':60} {'CPU median':>11} {'wall median':>12} {'wall min-max':>14} {'warm-up':>8}")
    for label in samples:
        spread = (
            f"{min(w for _, w in samples[label]) * 1000:.0f}-{max(w for _, w in samples[label]) * 1000:.0f}"
        )
        first = f"{warm_up[label][1] * 1000:.0f}" if label in warm_up else ""
        print(
            f"{label:60} {cpu[label] * 1000:8.1f} ms {wall[label] * 1000:9.1f} ms {spread:>11} ms {first:>5} ms"
        )
    fastest = {label: min(c for c, _ in values) for label, values in samples.items()}
    a, b, c = labels
    print(
        f"Overhead of (a) over WeasyPrint alone:       {cpu[a] / cpu[b] - 1:+.1%} CPU, "
        f"{wall[a] / wall[b] - 1:+.1%} wall (goal < 20 %); fastest runs {fastest[a] / fastest[b] - 1:+.1%} CPU"
    )
    print(
        f"Rebuilding CSS and fonts for every render:  {cpu[c] / cpu[b] - 1:+.1%} CPU, "
        f"{wall[c] / wall[b] - 1:+.1%} wall"
    )
    return cpu


def bench_plan(n: int) -> None:
    context = plan_context()
    html = render_to_string(PLAN_TEMPLATE, context)
    measure(
        "Plan PDF",
        html,
        len(render_pdf(template=PLAN_TEMPLATE, context=context)),
        (
            "(a) render_pdf: template + WeasyPrint, cached CSS/fonts",
            lambda: render_pdf(template=PLAN_TEMPLATE, context=context),
        ),
        {
            "    template rendering alone": (render_to_string, PLAN_TEMPLATE, context),
            "(d) building pdf.css and its FontConfiguration alone": (build_stylesheet,),
        },
        n,
    )


def bench_progress_report(n: int) -> None:
    plan = Plan.objects.get(year=2024)
    request = RequestFactory().get("/tien-do/2024/pdf/", {"quarter": 2})
    request.user = get_user_model().objects.get(username="chutich")
    filters = Filters(quarter=2, include_submitted=False)
    response = progress_report_pdf(request, 2024)
    assert response.status_code == 200, response.status_code
    context = ward_report_context(plan=plan, filters=filters, now=NOW)
    html = render_to_string(REPORT_TEMPLATE, context, request)
    cpu = measure(
        "Quarterly progress report of the ward, quarter II",
        html,
        len(response.content),
        ("(a) progress_report_pdf view: roll-up, rows, template, PDF", progress_report_pdf, request, 2024),
        {
            "    roll-up, rows and charts alone (the context)": (
                lambda: ward_report_context(plan=plan, filters=filters, now=NOW),
            ),
            "    template rendering alone": (render_to_string, REPORT_TEMPLATE, context, request),
        },
        n,
    )
    # What the view adds, timed on its own rather than as the difference of two noisy medians.
    own = cpu["    roll-up, rows and charts alone (the context)"] + cpu["    template rendering alone"]
    weasyprint = cpu["(b) WeasyPrint alone on the same HTML"]
    print(f"Context and template alone: {own * 1000:.1f} ms CPU, {own / weasyprint:+.1%} of WeasyPrint alone")


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("loaddata", "plan_2024", "titles", "demo_2024", verbosity=0)
    bench_plan(n)
    print()
    bench_progress_report(n)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
