from datetime import timedelta

from django.core.management.base import BaseCommand

from awards.evidence import ORPHAN_AGE, clean_orphans


class Command(BaseCommand):
    help = (
        "Hourly or daily (cron): remove what a killed worker left of an upload, an hour old or more: "
        "evidence files without a database row, staged evidence, and temporary upload files in "
        "PHOMINH_UPLOAD_TEMP_DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=int(ORPHAN_AGE.total_seconds() // 60),
            help="Only files older than this many minutes (at least 60; default 60).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List the files, remove nothing.")

    def handle(self, *args, minutes: int, dry_run: bool, **options):
        # An upload in progress is minutes old at most; below an hour it might be one.
        age = timedelta(minutes=max(minutes, 60))
        sweep = clean_orphans(age=age, dry_run=dry_run)
        for path in sweep.evidence + sweep.staging + sweep.temporary:
            self.stdout.write(str(path))
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(
            f"{verb} {len(sweep.evidence)} tệp minh chứng không có trong cơ sở dữ liệu, "
            f"{len(sweep.staging)} tệp đang ghi dở, {len(sweep.temporary)} tệp tải lên tạm."
        )
