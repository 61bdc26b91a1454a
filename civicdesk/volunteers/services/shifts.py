"""Shift templates, shifts generated for a period with the demand forecast, and publishing a period."""

import math
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.workcal import get_calendar
from civicdesk.kernel.validators import find_control_characters
from civicdesk.servicedesk import queries as servicedesk_queries

from .. import conf
from ..models import Booking, Part, Shift, ShiftTemplate, Skill
from ..permissions import require_coordinate

MAX_PERIOD_DAYS = 184  # half a year at a time


def _check_skills(skills):
    unknown = [s for s in skills if s not in Skill.values]
    if unknown:
        raise ValidationError(
            {"skills": _("Kỹ năng không có trong danh sách: %(s)s.") % {"s": ", ".join(unknown)}}
        )
    return sorted(set(skills))


@transaction.atomic
def save_template(actor, commune, *, weekday, part, start, end, minimum, maximum, skills=(), is_active=True):
    """Create or update the commune's template for (weekday, part)."""
    require_coordinate(actor, commune)
    if part not in Part.values or not 0 <= int(weekday) <= 6:
        raise ValidationError({"weekday": _("Chọn thứ và buổi.")})
    if not (0 <= minimum <= maximum <= 30):
        raise ValidationError({"maximum": _("Số người tối đa phải từ số tối thiểu đến 30.")})
    if end <= start:
        raise ValidationError({"end": _("Giờ kết thúc phải sau giờ bắt đầu.")})
    template, created = ShiftTemplate.objects.update_or_create(
        commune=commune,
        weekday=int(weekday),
        part=part,
        defaults={
            "start": start,
            "end": end,
            "minimum": minimum,
            "maximum": maximum,
            "skills": _check_skills(skills),
            "is_active": is_active,
        },
    )
    audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, template)
    return template


@dataclass(frozen=True)
class Forecast:
    """Expected citizens per half-day and the volunteers that makes, for one commune's (weekday, part)."""

    citizens: float
    assisted_share: float
    volunteers: int


def forecast(commune, *, until=None):
    """{(weekday, part): Forecast} from the commune's dossiers of the last VOLUNTEERS_FORECAST_DAYS days.

    Citizens expected at a half-day = dossiers received at that weekday and half-day ÷ the working days of that
    weekday in the window, with the dossiers filed online with help at the centre counted twice (the help
    volunteers give); volunteers wanted = that ÷ VOLUNTEERS_CITIZENS_PER_SHIFT, rounded up.
    """
    cal = get_calendar()
    until = until or date.today()
    since = until - timedelta(days=conf.get("VOLUNTEERS_FORECAST_DAYS"))
    arrivals = servicedesk_queries.arrivals_by_half_day(commune.code, since, until)
    working = {}
    day = since
    while day <= until:
        if cal.is_working_day(day):
            working[day.weekday()] = working.get(day.weekday(), 0) + 1
        day += timedelta(days=1)
    per_volunteer = max(1, conf.get("VOLUNTEERS_CITIZENS_PER_SHIFT"))
    found = {}
    for (weekday, part), row in arrivals.items():
        days = working.get(weekday, 0)
        if not days:
            continue
        citizens = (row.received + row.assisted_online) / days
        found[(weekday, part)] = Forecast(
            citizens=round(citizens, 2),
            assisted_share=round(row.assisted_online / row.received, 3) if row.received else 0.0,
            volunteers=math.ceil(citizens / per_volunteer),
        )
    return found


@transaction.atomic
def generate_shifts(actor, commune, *, start, end):
    """Create the shifts of the commune's active templates on the working days `start`..`end` (holidays, Tết and
    weekends follow the working calendar, day swaps included). A shift that exists is kept (its bookings too) and
    its demand refreshed while it is a draft. Returns (created, updated)."""
    require_coordinate(actor, commune)
    if end < start:
        raise ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationError({"end": _("Mỗi lần tạo ca tối đa sáu tháng.")})
    templates = {
        (t.weekday, t.part): t for t in ShiftTemplate.objects.filter(commune=commune, is_active=True)
    }
    if not templates:
        raise ValidationError(_("Xã chưa có ca mẫu: lập ca mẫu (thứ, buổi, số người) trước khi tạo ca."))
    # The arrivals known so far: up to the day before the period, or yesterday when the period starts later (days
    # that have not happened yet would count as days without a dossier and dilute the forecast).
    expected = forecast(commune, until=min(start, timezone.localdate()) - timedelta(days=1))
    existing = {(s.day, s.part): s for s in Shift.objects.filter(commune=commune, day__range=(start, end))}
    cal = get_calendar()
    created = updated = 0
    day = start
    while day <= end:
        if cal.is_working_day(day):
            # A swapped working Saturday follows the template of the weekday it replaces: Monday's, as a default.
            weekday = day.weekday() if day.weekday() < 5 else 0
            for part in Part.values:
                template = templates.get((weekday, part))
                if template is None:
                    continue
                wanted = expected.get((weekday, part))
                demand = min(template.maximum, max(template.minimum, wanted.volunteers if wanted else 0))
                shift = existing.get((day, part))
                if shift is None:
                    Shift.objects.create(
                        commune=commune, template=template, day=day, part=part, start=template.start,
                        end=template.end, minimum=template.minimum, maximum=template.maximum, demand=demand,
                        skills=template.skills, checkin_token=secrets.token_urlsafe(16)[:22],
                    )  # fmt: skip
                    created += 1
                elif shift.status == Shift.Status.DRAFT and shift.demand != demand:
                    shift.demand = demand
                    shift.save(update_fields=["demand"])
                    updated += 1
        day += timedelta(days=1)
    audit.record(
        actor, audit.Action.CREATE, commune, changes={"shifts": created, "from": str(start), "to": str(end)}
    )
    return created, updated


@transaction.atomic
def publish(actor, commune, *, start, end):
    """Publish the draft shifts of `start`..`end`: volunteers see them and their bookings; returns the count."""
    require_coordinate(actor, commune)
    shifts = Shift.objects.filter(commune=commune, day__range=(start, end), status=Shift.Status.DRAFT)
    count = shifts.update(status=Shift.Status.PUBLISHED)
    audit.record(
        actor,
        audit.Action.TRANSITION,
        commune,
        changes={"published": count, "from": str(start), "to": str(end)},
    )
    return count


def cancel_shift(actor, shift, *, reason):
    require_coordinate(actor, shift.commune)
    bad = find_control_characters({"reason": reason})
    if bad or not (reason or "").strip():
        raise ValidationError({"reason": _("Ghi lý do hủy ca.")})
    with transaction.atomic():
        shift.status = Shift.Status.CANCELLED
        shift.save(update_fields=["status"])
        shift.bookings.filter(status__in=Booking.HOLDING).update(status=Booking.Status.DROPPED)
        audit.record(
            actor, audit.Action.TRANSITION, shift, changes={"status": "cancelled"}, reason=reason[:255]
        )
    return shift
