"""manage.py create_api_client --name "Sở Nội vụ" --years 2024 2025: a client of the read-only API.

Prints the client's token once; only its hash is kept, so a lost token is replaced by a new client
(and the old one revoked), never read back.
"""

from django.core.management.base import BaseCommand, CommandError

from campaigns.api.clients import ApiClientError, create_api_client


class Command(BaseCommand):
    help = "Tạo một ứng dụng được đọc API (chỉ đọc) với các năm kế hoạch được cấp; in khóa truy cập một lần."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Tên cơ quan, hệ thống được cấp quyền đọc.")
        parser.add_argument(
            "--years", required=True, nargs="+", type=int, help="Các năm kế hoạch được đọc, ví dụ 2024 2025."
        )

    def handle(self, *args, name: str, years: list[int], **options):
        try:
            client, token = create_api_client(name=name, years=years)
        except ApiClientError as error:
            raise CommandError(str(error)) from None
        granted = ", ".join(str(plan.year) for plan in client.plans.order_by("year"))
        self.stdout.write(f"Đã tạo ứng dụng “{client.name}”, được đọc các năm: {granted}.")
        self.stdout.write("Khóa truy cập (chỉ hiện một lần, hãy lưu lại ngay):")
        self.stdout.write(token)
        self.stdout.write("Gửi kèm mỗi yêu cầu: Authorization: Bearer <khóa>")
