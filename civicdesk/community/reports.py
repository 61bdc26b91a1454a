"""The monthly report of language access, per commune: requests, met within 3 working days, visits, dossiers filed,
and the dossiers and hotline questions served in a minority language (from the service desk's and the hotline's
query functions). One month is the calendar month, in local dates.
"""

import calendar
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import exports
from civicdesk.hotline import queries as hotline_queries
from civicdesk.kernel.languages import language_name
from civicdesk.servicedesk import queries as servicedesk_queries

from .models import Accompaniment


def month_bounds(year, month):
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class LanguageLine:
    code: str
    requests: int = 0
    met: int = 0
    visits: int = 0
    filed: int = 0
    dossiers: int = 0
    dossiers_interpreted: int = 0
    tickets: int = 0

    @property
    def name(self):
        return language_name(self.code) if self.code else _("(không ghi ngôn ngữ)")


@dataclass
class CommuneMonth:
    commune: object
    requests: int = 0
    met: int = 0
    closed: int = 0
    visits: int = 0
    filed: int = 0
    linked: int = 0
    open: int = 0
    dossiers: int = 0
    dossiers_interpreted: int = 0
    tickets: int = 0
    tickets_interpreted: int = 0
    languages: dict = field(default_factory=dict)

    @property
    def met_rate(self):
        """Requests of the month met within 3 working days ÷ requests of the month (None with no request)."""
        return round(100 * self.met / self.requests, 1) if self.requests else None

    def line(self, code):
        if code not in self.languages:
            self.languages[code] = LanguageLine(code)
        return self.languages[code]

    @property
    def language_lines(self):
        return sorted(self.languages.values(), key=lambda line: (-line.requests, -line.dossiers, line.code))


def monthly(communes, year, month):
    """`CommuneMonth` for each commune of `communes` (a queryset) with any activity in the month, in its order."""
    since, until = month_bounds(year, month)
    communes = list(communes)
    rows = {c.pk: CommuneMonth(c) for c in communes}
    for acc in Accompaniment.objects.filter(
        commune__in=communes, created_at__date__range=(since, until)
    ).only("commune_id", "language", "status", "visited_at", "due_at"):
        row = rows[acc.commune_id]
        line = row.line(acc.language)
        row.requests += 1
        line.requests += 1
        if acc.visited_at is not None and acc.visited_at <= acc.due_at:
            row.met += 1
            line.met += 1
        row.open += acc.is_active
        row.closed += not acc.is_active
    for acc in Accompaniment.objects.filter(
        commune__in=communes, status=Accompaniment.Status.DONE, visited_at__date__range=(since, until)
    ).only("commune_id", "language", "outcome", "dossier_id"):
        row = rows[acc.commune_id]
        line = row.line(acc.language)
        row.visits += 1
        line.visits += 1
        if acc.outcome == Accompaniment.Outcome.FILED:
            row.filed += 1
            line.filed += 1
            row.linked += acc.dossier_id is not None
    for commune in communes:
        row = rows[commune.pk]
        for code, served in servicedesk_queries.language_service(commune.code, since, until).items():
            line = row.line(code)
            row.dossiers += served.dossiers
            row.dossiers_interpreted += served.with_interpreter
            line.dossiers += served.dossiers
            line.dossiers_interpreted += served.with_interpreter
        for code, served in hotline_queries.language_service(commune.code, since, until).items():
            row.tickets += served.tickets
            row.tickets_interpreted += served.with_interpreter
            row.line(code).tickets += served.tickets
    return [
        row for row in rows.values() if row.requests or row.visits or row.dossiers or row.tickets or row.open
    ]


def _pct(value):
    return "" if value is None else value


def workbook(rows, year, month):
    """The report as an Excel workbook (bytes): a summary per commune, then per commune and language."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    period = f"{month:02d}/{year}"
    exports.table_sheet(
        book,
        _("Tổng hợp %(period)s") % {"period": period.replace("/", "-")},
        [
            _("Xã, phường"),
            _("Đề nghị đi cùng"),
            _("Đáp ứng trong 3 ngày làm việc"),
            _("Tỷ lệ đáp ứng (%)"),
            _("Chuyến đã đi"),
            _("Hồ sơ đã nộp sau chuyến đi"),
            _("Trong đó gắn mã hồ sơ"),
            _("Đề nghị còn mở"),
            _("Hồ sơ phục vụ bằng tiếng dân tộc"),
            _("Hồ sơ có phiên dịch"),
            _("Câu hỏi đường dây nóng bằng tiếng dân tộc"),
        ],
        [
            [
                row.commune.name,
                row.requests,
                row.met,
                _pct(row.met_rate),
                row.visits,
                row.filed,
                row.linked,
                row.open,
                row.dossiers,
                row.dossiers_interpreted,
                row.tickets,
            ]
            for row in rows
        ],
    )
    exports.table_sheet(
        book,
        _("Theo ngôn ngữ"),
        [
            _("Xã, phường"),
            _("Ngôn ngữ"),
            _("Mã ISO 639-3"),
            _("Đề nghị"),
            _("Đáp ứng trong 3 ngày"),
            _("Chuyến đã đi"),
            _("Hồ sơ đã nộp"),
            _("Hồ sơ phục vụ"),
            _("Hồ sơ có phiên dịch"),
            _("Câu hỏi đường dây nóng"),
        ],
        [
            [
                row.commune.name,
                line.name,
                line.code,
                line.requests,
                line.met,
                line.visits,
                line.filed,
                line.dossiers,
                line.dossiers_interpreted,
                line.tickets,
            ]
            for row in rows
            for line in row.language_lines
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def this_month():
    today = timezone.localdate()
    return today.year, today.month


def language_totals(rows):
    totals = defaultdict(int)
    for row in rows:
        for line in row.language_lines:
            totals[line.code] += line.requests
    return dict(totals)
