"""Every certificate of one decision of 3.300 households (Gia đình văn hóa) in one file, as the
document worker builds it (awards.certificates.build_decision_certificates): the time, the pages, the
size, how often progress was written, and the memory it takes.

The decision and its records are generated (one signed decision, 3.300 registry rows spread over the
residential groups, numbered as the services number them). The file is built in parts of PART_SIZE
pages merged with pypdf; `--part-size` compares sizes of part. Memory: the process's resident
high-water mark (ru_maxrss) after the build, against the same before it (WeasyPrint's layout is
mostly C memory that tracemalloc does not see).

Run:  .venv/bin/python bench/bench_certificates.py [--records 3300] [--part-size 50]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/phominh_bench .venv/bin/python bench/bench_certificates.py
"""

import argparse
import io
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import fresh_database  # noqa: E402


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3300)
    parser.add_argument("--part-size", type=int, default=None)
    args = parser.parse_args()
    with fresh_database():
        from django.contrib.auth import get_user_model
        from pypdf import PdfReader

        from awards import certificates
        from awards.models import AwardRecord, Decision, Title
        from awards.registry import next_register_number
        from campaigns.models import Plan
        from indicators.models import Unit
        from jobs.models import DocumentJob

        if args.part_size:
            certificates.PART_SIZE = args.part_size
        plan = Plan.objects.get(year=2024)
        office = get_user_model().objects.get(username="vanphong")
        decision = Decision.objects.create(
            plan=plan,
            kind=Decision.Kind.WARD,
            status=Decision.Status.SIGNED,
            number="301/QĐ-UBND",
            signed_on=date(2024, 12, 30),
            issuer="Chủ tịch UBND phường Phổ Minh",
            signer_name=plan.signer_name,
            recorded_by=office,
        )
        title = Title.objects.get(code="GDVH")
        groups = list(Unit.objects.filter(code__startswith="TDP-").order_by("code"))
        first = next_register_number(2024)
        AwardRecord.objects.bulk_create(
            AwardRecord(
                register_number=first + i,
                year=2024,
                title=title,
                unit=groups[i % len(groups)],
                nominee_name=f"Hộ ông/bà Nguyễn Văn Thử {i + 1:04d}",
                nominee_position=f"Tổ dân phố {i % len(groups) + 1}, phường Phổ Minh",
                decision_number=decision.number,
                decided_on=decision.signed_on,
                decided_by=decision.issuer,
                decision=decision,
            )
            for i in range(args.records)
        )
        job = DocumentJob(requested_by=office, kind=DocumentJob.Kind.DECISION_CERTIFICATES, label="bench")
        job.parameters = {"decision": decision.pk}
        writes = []
        started = time.process_time()

        def progress(done, total):
            writes.append(done)
            if done and (done % 500 == 0 or done == total):
                cpu_so_far = time.process_time() - started
                print(f"  {done}/{total}: {cpu_so_far:.0f} s CPU, RSS {rss_mib():.0f} MiB", flush=True)

        print(
            f"{args.records} records, parts of {certificates.PART_SIZE} pages; RSS before: {rss_mib():.0f} MiB"
        )
        cpu, wall = time.process_time(), time.perf_counter()
        name, content = certificates.build_decision_certificates(job=job, progress=progress)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        pages = len(PdfReader(io.BytesIO(content)).pages)
        print(f"file {name}: {pages} pages, {len(content) / 1024 / 1024:.1f} MiB")
        print(f"time: {wall:.1f} s wall, {cpu:.1f} s CPU; {wall / pages * 1000:.0f} ms a page")
        print(f"progress reported {len(writes)} times (the job writes at most 2 a second)")
        print(f"peak RSS (high-water mark of the process): {rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
