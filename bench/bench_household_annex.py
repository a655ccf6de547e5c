"""The chairman's Gia đình văn hóa decision with the annex of 3.300 households (six groups, as the
demo registered): time to build the context and to render the PDF, its pages, and the peak memory.

The data is the demo's generated register; each group holds its review meeting, all households but
a few qualify, the lists are posted, and the office drafts one decision for the six groups.

Run:  .venv/bin/python bench/bench_household_annex.py
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/phominh_bench .venv/bin/python bench/bench_household_annex.py
"""

import io
import resource
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import fresh_database  # noqa: E402


def main():
    with fresh_database():
        from django.contrib.auth import get_user_model
        from pypdf import PdfReader

        from awards import household_decisions, households
        from awards.demo_households import load_demo_register
        from awards.household_documents import decision_context
        from awards.models import Household, HouseholdAssessment, HouseholdReview
        from campaigns.models import Plan
        from phominh.pdf import render_pdf

        users = get_user_model().objects
        plan = Plan.objects.get(year=2024)
        office = users.get(username="vanphong")
        added = load_demo_register()
        reviews = []
        for i in range(1, 7):
            leader = users.get(username=f"totruong{i}")
            unit = leader.profile.units.get()
            review = households.create_review(
                plan=plan,
                unit=unit,
                user=leader,
                data={"held_on": date(2024, 11, 18), "chaired_by": "Tổ trưởng"},
            )
            pks = list(Household.objects.filter(unit=unit).values_list("pk", flat=True))
            HouseholdAssessment.objects.bulk_create(
                HouseholdAssessment(
                    review=review, household_id=pk, qualified=n % 40 != 0, reason="" if n % 40 else "x"
                )
                for n, pk in enumerate(pks)
            )
            HouseholdReview.objects.filter(pk=review.pk).update(
                status="finished", finished_at=review.created_at
            )
            review.refresh_from_db()
            households.post_review(review=review, user=office, posted_on=date(2024, 11, 22))
            reviews.append(review)
        decision = household_decisions.draft_household_decision(
            plan=plan, user=office, reviews=reviews, number="140/QĐ-UBND", signed_on=date(2024, 12, 5)
        )
        print(f"{added} households in the register, 6 groups")

        start = time.perf_counter()
        context = decision_context(decision)
        built = time.perf_counter() - start
        start = time.perf_counter()
        pdf = render_pdf(template="pdf/household_decision.html", context=context)
        rendered = time.perf_counter() - start
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        tracemalloc.start()
        render_pdf(template="pdf/household_decision.html", context=decision_context(decision))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        high = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"annex: {context['total']} households")
        print(f"context {built:.2f} s, PDF {rendered:.1f} s, {pages} pages, {len(pdf) / 1024:.0f} KB")
        print(
            f"peak Python memory while rendering {peak / 1048576:.0f} MB; process high-water mark {high:.0f} MB"
        )


if __name__ == "__main__":
    main()
