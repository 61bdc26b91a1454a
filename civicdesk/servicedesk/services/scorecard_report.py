"""The monthly scorecard e-mail: on the first working day of a month, each province's admins get the previous month's
province scorecard as PDF, with the five groups' headline figures and a link to the page.

Sent at most once per province and month (`ScorecardReport`, unique on both): the row is claimed before the e-mail
leaves and marked sent after, so a job retried after a crash, the next hourly run or a second worker does not write
twice. A send that raised is marked failed and tried again by the next run. Logged by province code and month, never
with an address or a name.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import links
from civicdesk.core.exports import clean_text, download_name
from civicdesk.core.models import User
from civicdesk.core.workcal import get_calendar
from civicdesk.geo.models import Province
from civicdesk.kernel.roles import Role

from .. import scorecard
from ..models import ScorecardReport

log = logging.getLogger(__name__)

# The e-mail goes out from this local time on the report day (the hourly job before it does nothing).
SEND_FROM = time(7, 30)

SENT, ALREADY_SENT, NO_RECIPIENT, FAILED, WOULD_SEND = (
    "sent",
    "already_sent",
    "no_recipient",
    "failed",
    "would_send",
)


def month_period(month):
    """The calendar month starting on `month` (any day of it) as a scorecard period."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return scorecard.Period(first, following - timedelta(days=1))


def first_working_day(month, cal=None):
    """The first working day of `month`'s month in the working calendar (holidays, swaps and days off included)."""
    cal = cal or get_calendar()
    day = month.replace(day=1)
    return day if cal.is_working_day(day) else cal.next_working_day(day)


def recipients(province):
    """The e-mail addresses of the province's active province admins (superusers are not province admins here)."""
    addresses = (
        User.objects.filter(province=province, role=Role.PROVINCE_ADMIN, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(a.strip() for a in addresses if a and a.strip()))


def provinces_with_admins():
    """Provinces that have at least one active province admin (with or without an e-mail address)."""
    return (
        Province.objects.filter(users__role=Role.PROVINCE_ADMIN, users__is_active=True)
        .distinct()
        .order_by("code")
    )


def _headlines(card):
    """One line per group: its measured indicators' rates with the previous month's, or "chưa đo được"."""
    lines = []
    for n, g in enumerate(card.groups, start=1):
        measured = [s for s in g.measured if not s.filtered_out]
        if not measured:
            figures = _("chưa đo được (CivicDesk chưa có dữ liệu cho nhóm này)")
        else:
            figures = "; ".join(
                _("%(name)s %(value)s (tháng trước %(before)s)")
                % {
                    "name": s.indicator.name,
                    "value": _pct(s.percent) if s.value is not None else _("chưa có hồ sơ"),
                    "before": _pct(s.previous_percent),
                }
                for s in measured
            )
        lines.append(f"{n}. {g.group.name}: {figures}")
    return lines


def _pct(percent):
    return "—" if percent is None else f"{percent:.1f}%".replace(".", ",")


def _message(province, period, card, pdf, to):
    query = f"?date_from={period.date_from.isoformat()}&date_to={period.date_to.isoformat()}"
    url = links.absolute(reverse("servicedesk:scorecard") + query)
    month = period.date_from.strftime("%m/%Y")
    subject = _("Bảng điểm phục vụ người dân tháng %(month)s — tỉnh %(province)s") % {
        "month": month,
        "province": province.name,
    }
    body = "\n".join(
        [
            _("Kính gửi Quản trị cấp tỉnh,"),
            "",
            _(
                "CivicDesk gửi bảng điểm phục vụ người dân tháng %(month)s của tỉnh %(province)s (hồ sơ tiếp nhận "
                "từ %(a)s đến %(b)s), theo các nhóm chỉ số của %(source)s. Tỷ lệ đo được:"
            )
            % {
                "month": month,
                "province": province.name,
                "a": period.date_from.strftime("%d/%m/%Y"),
                "b": period.date_to.strftime("%d/%m/%Y"),
                "source": scorecard.SOURCE,
            },
            "",
            *_headlines(card),
            "",
            _(
                "Điểm, cách chấm từng chỉ tiêu của Quyết định cần kiểm chứng nên chưa tính điểm. Bảng điểm đầy đủ "
                "(biểu đồ, bản đồ, xếp hạng các đơn vị cấp xã) ở tệp PDF đính kèm và tại: %(url)s"
            )
            % {"url": url},
            "",
            _("Thư gửi tự động từ CivicDesk vào ngày làm việc đầu tiên của tháng."),
        ]
    )
    message = EmailMessage(clean_text(subject), clean_text(body), to=to)
    name = download_name("bang-diem-766", province.name, period.date_from.strftime("%m-%Y"), ext="pdf")
    message.attach(name, pdf, "application/pdf")
    return message


def _claim(province, month, *, resend):
    """Take the (province, month) row for this send: True when this run may send. A sent or in-flight row is
    left alone (unless `resend`); a failed one is taken again. The conditional UPDATE lets only one of two
    concurrent runs win."""
    with transaction.atomic():
        report, created = ScorecardReport.objects.get_or_create(
            province=province, month=month, defaults={"status": ScorecardReport.Status.SENDING}
        )
    if created:
        return True
    retry = [ScorecardReport.Status.FAILED]
    if resend:
        retry += [ScorecardReport.Status.SENT, ScorecardReport.Status.SENDING]
    taken = ScorecardReport.objects.filter(pk=report.pk, status__in=retry).update(
        status=ScorecardReport.Status.SENDING, updated_at=timezone.now()
    )
    return bool(taken)


def send_report(province, month, *, dry_run=False, resend=False, now=None):
    """E-mail `province`'s scorecard of `month` (the calendar month of that day) to its province admins, once.

    Returns one of "sent", "already_sent", "no_recipient", "failed" or, with `dry_run` (nothing built, sent or
    recorded), "would_send". `resend` sends again a month already sent (the command's `--resend`)."""
    from .. import scorecard_pdf

    period = month_period(month)
    month = period.date_from
    now = timezone.localtime(now)
    to = recipients(province)
    if not to:
        log.info(
            "Scorecard report %s, province %s: no province admin with an e-mail",
            f"{month:%Y-%m}",
            province.code,
        )
        return NO_RECIPIENT
    recorded = ScorecardReport.objects.filter(province=province, month=month).first()
    if dry_run:
        if recorded is not None and recorded.status != ScorecardReport.Status.FAILED and not resend:
            return ALREADY_SENT
        return WOULD_SEND
    if not _claim(province, month, resend=resend):
        return ALREADY_SENT
    try:
        result = scorecard.compute(province, period)
        pdf = scorecard_pdf.build(
            province, period, province_view=True, today=now.date(), generated_at=now, result=result
        )
        _message(province, period, result.scorecard, pdf, to).send()
    except Exception as exc:  # one province's failure (mail outage, bad data) must not stop the others
        # The exception's text can quote an address: only its kind is logged.
        log.warning(
            "Scorecard report %s, province %s failed: %s", f"{month:%Y-%m}", province.code, type(exc).__name__
        )
        ScorecardReport.objects.filter(province=province, month=month).update(
            status=ScorecardReport.Status.FAILED, updated_at=timezone.now()
        )
        return FAILED
    ScorecardReport.objects.filter(province=province, month=month).update(
        status=ScorecardReport.Status.SENT,
        recipients=len(to),
        sent_at=timezone.now(),
        updated_at=timezone.now(),
    )
    log.info(
        "Scorecard report %s, province %s: sent to %d recipient(s)", f"{month:%Y-%m}", province.code, len(to)
    )
    return SENT


@dataclass
class ReportRun:
    """What one run did, per outcome: {outcome: [province codes]}."""

    month: date | None = None
    outcomes: dict = field(default_factory=dict)

    def add(self, outcome, province):
        self.outcomes.setdefault(outcome, []).append(province.code)

    def count(self, outcome):
        return len(self.outcomes.get(outcome, []))

    def as_dict(self):
        return {"month": self.month.isoformat() if self.month else None, "outcomes": self.outcomes}


def send_reports(month, *, provinces=None, dry_run=False, resend=False, now=None):
    """Send the scorecard of `month` to every province with a province admin (or to `provinces`); `ReportRun`."""
    run = ReportRun(month=month_period(month).date_from)
    for province in provinces if provinces is not None else provinces_with_admins():
        run.add(send_report(province, month, dry_run=dry_run, resend=resend, now=now), province)
    return run


def previous_month(day):
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def send_due(now=None):
    """The periodic job's body: on the first working day of a month, from 07:30 local time, send the previous month's
    reports not yet sent. Any other time it does nothing and returns None (the job runs hourly: a failed send is
    tried again the next hour, a sent one is not repeated)."""
    now = timezone.localtime(now)
    today = now.date()
    if today != first_working_day(today) or now.time() < SEND_FROM:
        return None
    return send_reports(previous_month(today), now=now)
