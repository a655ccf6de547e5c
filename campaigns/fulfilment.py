"""Whether pledges and covenants are kept, read from the reported figures (DOMAIN.md §4).

The unit's own year-to-date result comes from the roll-up engine scoped to the unit — the same function
the dashboard uses — so a commitment is never judged on a figure typed twice.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from indicators.models import Report
from indicators.rollup import Status, TargetResult, judge, rollup

from .models import Commitment, Covenant, Plan, Pledge

VERDICT_KEPT = "kept"
VERDICT_NOT_KEPT = "not_kept"
VERDICT_LABELS = {VERDICT_KEPT: _("Hoàn thành"), VERDICT_NOT_KEPT: _("Không hoàn thành")}


@dataclass
class CommitmentResult:
    commitment: Commitment
    actual: Decimal | None
    status: str  # a rollup Status value
    progress: Decimal | None
    verdict: str | None  # set only once the year's fourth quarter is in

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS[self.verdict]) if self.verdict else ""


def latest_quarter(plan: Plan, *, include_submitted: bool = False) -> int:
    """The latest quarter of the plan with approved figures (1 when there are none yet)."""
    statuses = [Report.Status.APPROVED] + ([Report.Status.SUBMITTED] if include_submitted else [])
    found = Report.objects.filter(period__plan=plan, status__in=statuses).aggregate(q=Max("period__quarter"))[
        "q"
    ]
    return found or 1


def judge_commitments(
    commitments: list[Commitment], results: dict[int, TargetResult], quarter: int
) -> list[CommitmentResult]:
    out = []
    for commitment in commitments:
        if commitment.target_id is None:
            continue
        result = results[commitment.target_id]
        status, progress = judge(
            result, against=commitment.committed_value, quarter=quarter, baseline=commitment.baseline
        )
        verdict = None
        if quarter == 4 and 4 in result.quarters_with_data and status != Status.NO_DATA:
            verdict = VERDICT_KEPT if status == Status.ACHIEVED else VERDICT_NOT_KEPT
        out.append(CommitmentResult(commitment, result.actual, status, progress, verdict))
    return out


def pledge_fulfilment(*, pledge: Pledge, quarter: int | None = None) -> list[CommitmentResult]:
    """Each figure commitment of the pledge, judged on the unit's own roll-up (constant queries)."""
    quarter = quarter or latest_quarter(pledge.plan)
    results = {
        r.target.pk: r for r in rollup(plan=pledge.plan, up_to_quarter=quarter, unit_ids=[pledge.unit_id])
    }
    commitments = list(pledge.commitments.select_related("target").order_by("target__order", "pk"))
    return judge_commitments(commitments, results, quarter)


def pledge_kept(*, pledge: Pledge) -> bool | None:
    """True when every figure commitment is kept at year end, False when one is not, None before."""
    results = pledge_fulfilment(pledge=pledge, quarter=4)
    if not results or any(r.verdict is None for r in results):
        return None
    return all(r.verdict == VERDICT_KEPT for r in results)


def covenant_fulfilment(
    *, covenant: Covenant, quarter: int | None = None
) -> dict[int, list[CommitmentResult]]:
    """member unit id → its results on the covenant's shared commitments, side by side.

    One roll-up per member unit: a covenant has a handful of members, and each roll-up is four queries.
    """
    quarter = quarter or latest_quarter(covenant.plan)
    commitments = list(covenant.commitments.select_related("target").order_by("target__order", "pk"))
    out = {}
    for member in covenant.members.all():
        results = {
            r.target.pk: r
            for r in rollup(plan=covenant.plan, up_to_quarter=quarter, unit_ids=[member.unit_id])
        }
        out[member.unit_id] = judge_commitments(commitments, results, quarter)
    return out
