"""What the volunteers did, in numbers: the month of a commune (shifts, hours, citizens helped, the share filed online
with help, per volunteer), its Excel export, and a volunteer's hours certificate as PDF.

Counted from the bookings and the citizens helped, never typed: hours come from check-in and check-out, citizens from
the `Help` rows; "filed online" is the volunteer's tick or the linked dossier's channel.
"""

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import exports
from civicdesk.servicedesk.models import Dossier

from .models import Booking, Help, Shift, Volunteer

FONT_DIR = settings.BASE_DIR / "static" / "servicedesk" / "fonts"


@dataclass
class VolunteerMonth:
    volunteer: Volunteer
    shifts: int = 0
    no_shows: int = 0
    hours: float = 0.0
    helped: int = 0
    online: int = 0
    dossiers: int = 0
    assisted: int = 0  # dossiers received "online with help" that name this volunteer

    @property
    def online_share(self):
        return self.online / self.helped if self.helped else None


@dataclass
class MonthReport:
    commune: object
    month: date
    shifts: int = 0
    attended: int = 0
    no_shows: int = 0
    hours: float = 0.0
    helped: int = 0
    online: int = 0
    dossiers: int = 0
    assisted: int = 0
    rows: list = field(default_factory=list)

    @property
    def online_share(self):
        return self.online / self.helped if self.helped else None

    @property
    def online_percent(self):
        return round(100 * self.online / self.helped) if self.helped else None

    @property
    def partial(self):
        """The month is not over yet."""
        return self.month <= timezone.localdate() < _next_month(self.month)


def _next_month(month):
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_report(commune, month):
    """The report of `commune` for the calendar month starting `month` (any day of it)."""
    month = month.replace(day=1)
    end = _next_month(month) - timedelta(days=1)
    report = MonthReport(commune, month)
    report.shifts = Shift.objects.filter(
        commune=commune, day__range=(month, end), status=Shift.Status.PUBLISHED
    ).count()
    bookings = Booking.objects.filter(shift__commune=commune, shift__day__range=(month, end)).select_related(
        "shift", "volunteer__person"
    )
    rows = {}
    for booking in bookings:
        if booking.status not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
            continue
        row = rows.setdefault(booking.volunteer_id, VolunteerMonth(booking.volunteer))
        if booking.status == Booking.Status.ATTENDED:
            row.shifts += 1
            row.hours += booking.hours
        else:
            row.no_shows += 1
    online = Q(filed_online=True) | Q(dossier__channel__in=("truc_tuyen", "truc_tuyen_ho_tro"))
    helps = (
        Help.objects.filter(commune=commune, at__date__range=(month, end))
        .values("volunteer_id")
        .annotate(n=Count("pk"), online=Count("pk", filter=online), dossiers=Count("dossier"))
    )
    for item in helps:
        if item["volunteer_id"] not in rows:
            rows[item["volunteer_id"]] = VolunteerMonth(
                Volunteer.objects.select_related("person").get(pk=item["volunteer_id"])
            )
        row = rows[item["volunteer_id"]]
        row.helped, row.online, row.dossiers = item["n"], item["online"], item["dossiers"]
    users = {
        v.person.user_id: v
        for v in Volunteer.objects.filter(person__commune=commune, person__user__isnull=False).select_related(
            "person"
        )
    }
    assisted = (
        Dossier.objects.filter(
            commune=commune, received_date__range=(month, end), assisted_by__in=list(users)
        )
        .values("assisted_by")
        .annotate(n=Count("pk"))
    )
    for item in assisted:
        volunteer = users[item["assisted_by"]]
        rows.setdefault(volunteer.pk, VolunteerMonth(volunteer)).assisted = item["n"]
    report.rows = sorted(rows.values(), key=lambda r: (-r.helped, -r.shifts, r.volunteer.person.full_name))
    for row in report.rows:
        row.hours = round(row.hours, 1)
        report.attended += row.shifts
        report.no_shows += row.no_shows
        report.hours += row.hours
        report.helped += row.helped
        report.online += row.online
        report.dossiers += row.dossiers
        report.assisted += row.assisted
    report.hours = round(report.hours, 1)
    return report


def month_xlsx(report):
    """The month as a workbook: a summary sheet and one row per volunteer; every cell neutralised."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    exports.table_sheet(
        book,
        _("Tổng hợp"),
        [_("Xã"), _("Tháng"), _("Ca đã công bố"), _("Lượt trực"), _("Vắng không báo"), _("Giờ"), _("Người dân được hỗ trợ"),
         _("Đã nộp trực tuyến"), _("Có mã hồ sơ"), _("Hồ sơ ghi tình nguyện viên hỗ trợ")],
        [[report.commune.name, report.month.strftime("%m/%Y"), report.shifts, report.attended, report.no_shows,
          report.hours, report.helped, report.online, report.dossiers, report.assisted]],
    )  # fmt: skip
    exports.table_sheet(
        book,
        _("Theo tình nguyện viên"),
        [_("Họ và tên"), _("Chi đoàn, đơn vị"), _("Lượt trực"), _("Vắng không báo"), _("Giờ"), _("Người dân được hỗ trợ"),
         _("Đã nộp trực tuyến"), _("Có mã hồ sơ"), _("Hồ sơ ghi tình nguyện viên hỗ trợ")],
        [[r.volunteer.person.full_name, r.volunteer.unit, r.shifts, r.no_shows, r.hours, r.helped, r.online, r.dossiers,
          r.assisted] for r in report.rows],
    )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def volunteer_totals(volunteer, *, start, end):
    """(shifts attended, hours, citizens helped) of `volunteer` between two dates, inclusive."""
    bookings = volunteer.bookings.filter(
        status=Booking.Status.ATTENDED, shift__day__range=(start, end)
    ).select_related("shift")
    hours = round(sum(b.hours for b in bookings), 1)
    helped = volunteer.helps.filter(at__date__range=(start, end)).count()
    return len(bookings), hours, helped


def _fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT_DIR / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSerif-Bold", str(FONT_DIR / "DejaVuSerif-Bold.ttf")))


def certificate_pdf(volunteer, *, start, end, issued_by):
    """A one-page certificate of the volunteer's shifts, hours and citizens helped between `start` and `end`, for the
    youth union's records (school, union assessment). The text is the volunteer's data, drawn as text (no markup)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    _fonts()
    shifts, hours, helped = volunteer_totals(volunteer, start=start, end=end)
    commune = volunteer.person.commune
    base = ParagraphStyle("base", fontName="DejaVuSerif", fontSize=12, leading=17)
    centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=centre, fontName="DejaVuSerif-Bold", fontSize=16, leading=22)

    def text(value):
        return escape(exports.clean_text(value))

    story = [
        Paragraph(text(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")), centre),
        Paragraph(text(_("Độc lập - Tự do - Hạnh phúc")), centre),
        Spacer(1, 12 * mm),
        Paragraph(text(_("GIẤY XÁC NHẬN THAM GIA TÌNH NGUYỆN")), title),
        Spacer(1, 8 * mm),
        Paragraph(
            text(_("Trung tâm Phục vụ hành chính công %(commune)s xác nhận:") % {"commune": commune.name}),
            base,
        ),
        Spacer(1, 4 * mm),
    ]
    table = Table(
        [[text(_("Họ và tên")), text(volunteer.person.full_name)],
         [text(_("Chi đoàn, đơn vị")), text(volunteer.unit or "—")],
         [text(_("Thời gian")), text(f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")],
         [text(_("Số ca đã trực")), str(shifts)],
         [text(_("Số giờ tình nguyện")), f"{hours:g}".replace(".", ",")],
         [text(_("Số người dân đã hỗ trợ")), str(helped)]],
        colWidths=[60 * mm, 100 * mm],
    )  # fmt: skip
    table.setStyle([("FONT", (0, 0), (-1, -1), "DejaVuSerif", 12), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
    story += [
        table,
        Spacer(1, 6 * mm),
        Paragraph(
            text(
                _(
                    "Số liệu lấy từ điểm danh đến, về tại Trung tâm và các lượt hỗ trợ người dân được ghi trên CivicDesk."
                )
            ),
            base,
        ),
        Spacer(1, 10 * mm),
        Paragraph(
            text(
                _("%(commune)s, ngày %(day)s")
                % {"commune": commune.name, "day": timezone.localdate().strftime("%d/%m/%Y")}
            ),
            ParagraphStyle("right", parent=base, alignment=2),
        ),
        Paragraph(
            text(_("Người xác nhận: %(name)s") % {"name": issued_by}),
            ParagraphStyle("right2", parent=base, alignment=2),
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, title=exports.clean_text(
        _("Giấy xác nhận tình nguyện — %(name)s") % {"name": volunteer.person.full_name})).build(story)  # fmt: skip
    return buffer.getvalue()
