"""The audit log as a CSV download for admins, streamed as it is read (reportcards/audit.py)."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.roles import Role, role_required

from .audit import audit_rows


class _Line:
    """What csv.writer writes to: hands back each formatted line instead of storing it."""

    def write(self, line: str) -> str:
        return line


@require_safe
@role_required(Role.ADMIN)
def audit_log_csv(request):
    writer = csv.writer(_Line())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in audit_rows()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
