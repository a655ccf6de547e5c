"""How much phominh.pdf adds on top of WeasyPrint itself, for the plan's PDF.

Run from the project root:  python bench/bench_pdf.py [N]

In one run, on a fresh in-memory SQLite database with the real plan (fixtures/plan_2024.json), it
times N renders (default 5, after one warm-up each) of:

  (a) render_pdf(): the Django template rendered to HTML, then WeasyPrint with the cached stylesheet
      and fonts: what the plan_pdf view pays after its database queries;
  (b) WeasyPrint alone on the same pre-rendered HTML string, with a stylesheet and font configuration
      built once by this script: the least any PDF of this HTML can cost;
  (c) WeasyPrint on the same HTML with the stylesheet and fonts built afresh each time: what every
      render would cost without the cache in phominh.pdf;
  (d) building the stylesheet and font configuration alone, the part of (c) the cache saves, which is
      small enough to drown in the noise of whole renders on a busy machine.

Our overhead is median(a) / median(b) - 1; the goal is below 20 %. The runs of (a), (b) and (c) are
interleaved, in an order that rotates every round, so that neither a machine that slows down mid-run
nor the position in a round favours one of them. Both CPU and wall time are shown: WeasyPrint is
single-threaded, so on a shared machine this process's CPU time is the steadier measure. With N=5 the
medians still move by ±10 % between runs on a busy machine; pass a larger N to compare changes.
"""

import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "phominh.settings"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from campaigns.models import Plan  # noqa: E402
from campaigns.selectors import plan_document  # noqa: E402
from phominh.pdf import STATIC_DIR, STYLESHEET, StaticFilesFetcher, render_pdf  # noqa: E402

TEMPLATE = "pdf/plan.html"
BASE_URL = STATIC_DIR.as_uri() + "/"


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


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("loaddata", "plan_2024", verbosity=0)
    context = plan_context()
    html = render_to_string(TEMPLATE, context)
    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=StaticFilesFetcher(), font_config=font_config)

    runs = {
        "(a) render_pdf: template + WeasyPrint, cached CSS/fonts": (
            lambda: render_pdf(template=TEMPLATE, context=context),
        ),
        "(b) WeasyPrint alone on the same HTML": (weasyprint_alone, html, stylesheet, font_config),
        "(c) WeasyPrint, CSS/fonts rebuilt every render": (weasyprint_uncached, html),
    }
    warm_up = {label: timed(*run) for label, run in runs.items()}
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in runs}
    labels = list(runs)
    for round_ in range(n):
        for label in labels[round_ % 3 :] + labels[: round_ % 3]:
            samples[label].append(timed(*runs[label]))
    samples["    template rendering alone"] = [timed(render_to_string, TEMPLATE, context) for _ in range(n)]
    samples["(d) building pdf.css and its FontConfiguration alone"] = [
        timed(build_stylesheet) for _ in range(n)
    ]

    cpu = {label: statistics.median(c for c, _ in values) for label, values in samples.items()}
    wall = {label: statistics.median(w for _, w in values) for label, values in samples.items()}
    pdf_size = len(render_pdf(template=TEMPLATE, context=context))
    print(f"Plan PDF: {len(html):,} characters of HTML, {pdf_size:,} bytes of PDF; N={n} each, interleaved.")
    print(f"{'':56} {'CPU median':>11} {'wall median':>12} {'wall min-max':>14} {'warm-up':>8}")
    for label in samples:
        spread = (
            f"{min(w for _, w in samples[label]) * 1000:.0f}-{max(w for _, w in samples[label]) * 1000:.0f}"
        )
        first = f"{warm_up[label][1] * 1000:.0f}" if label in warm_up else ""
        print(
            f"{label:56} {cpu[label] * 1000:8.1f} ms {wall[label] * 1000:9.1f} ms {spread:>11} ms {first:>5} ms"
        )
    a, b, c = list(runs)
    print(
        f"Overhead of render_pdf over WeasyPrint alone: {cpu[a] / cpu[b] - 1:+.1%} CPU, "
        f"{wall[a] / wall[b] - 1:+.1%} wall (goal < 20 %)"
    )
    print(
        f"Rebuilding CSS and fonts for every render:    {cpu[c] / cpu[b] - 1:+.1%} CPU, "
        f"{wall[c] / wall[b] - 1:+.1%} wall"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
