"""Retention: the province admin's periods per kind of record, and the pass that pseudonymises what is past them.

A kind of record (a registered `PersonalDataSource`) keeps its personal data for the province's number of months
after the record is closed (the source says when that is), or the source's proposed default while the province has
set none. The pass asks each source for batches until it has none left (or the pass's share is used up: the next
night continues); every batch is its own transaction in the owning app, audited there with counts. The pass itself
is recorded as a `RetentionRun` (counts per kind, the cutoffs).
"""

import calendar
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.jobs import start_job
from civicdesk.geo.models import Province
from civicdesk.kernel.actors import is_system, person, system
from civicdesk.kernel.registry import registry

from .. import jobs
from ..models import MAX_MONTHS, PrivacySettings, RetentionPolicy, RetentionRun
from ..permissions import require_set_retention

BATCH = 500
# Batches per kind and pass: 200 × 500 = 100,000 records of a kind a night, so a first pass over years of a
# province's dossiers does not hold the worker for hours; what is left waits for the next night.
MAX_BATCHES = 200
RETENTION_JOB = system("thời hạn lưu dữ liệu cá nhân")


def months_before(instant, months):
    """The same local time `months` calendar months earlier (31 March − 1 month = 28/29 February)."""
    local = timezone.localtime(instant)
    index = local.year * 12 + (local.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Policy:
    """One kind of record's retention in a province, as the pages show it."""

    source: object  # PersonalDataSource
    months: int
    is_default: bool
    updated_at: datetime | None = None
    updated_by: str = ""


def policies(province):
    """[Policy] for every registered kind, in the sources' order."""
    saved = {
        p.source: p for p in RetentionPolicy.objects.filter(province=province).select_related("updated_by")
    }
    found = []
    for source in registry.personal_data_sources():
        row = saved.get(source.key)
        if row is None:
            found.append(Policy(source, source.default_months, True))
        else:
            name = row.updated_by.get_full_name() if row.updated_by else ""
            found.append(Policy(source, row.months, False, row.updated_at, name))
    return found


def cutoffs(province, now=None):
    """{source key: the instant before which a closed record is past retention}."""
    now = now or timezone.now()
    return {p.source.key: months_before(now, p.months) for p in policies(province)}


def due_counts(province, now=None):
    """{source key: records past retention not pseudonymised yet} (what the next pass would do)."""
    sources = registry.personal_data
    return {key: sources[key].due(province.pk, cutoff) for key, cutoff in cutoffs(province, now).items()}


@transaction.atomic
def set_retention(actor, province, months_by_key):
    """Set the province's retention (months after closing) for the kinds in `months_by_key`; audited old → new."""
    require_set_retention(actor, province.pk)
    known = registry.personal_data
    errors = {}
    for key, months in months_by_key.items():
        if key not in known:
            errors[key] = _("Không có loại bản ghi “%(key)s”.") % {"key": key}
        elif not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
            errors[key] = _("Số tháng từ 1 đến %(max)s.") % {"max": MAX_MONTHS}
    if errors:
        raise ValidationError(errors)
    changes = {}
    for key, months in months_by_key.items():
        row = RetentionPolicy.objects.select_for_update().filter(province=province, source=key).first()
        old = row.months if row else known[key].default_months
        if row is None:
            if months == old:
                continue  # the default stays a default until someone chooses another figure
            row = RetentionPolicy(province=province, source=key)
        elif row.months == months:
            continue
        row.months = months
        row.updated_by = person(actor)
        row.save()
        changes[key] = [old, months]
    if changes:
        audit.record(
            actor,
            audit.Action.UPDATE,
            object_type="privacy.retentionpolicy",
            object_id=str(province.pk),
            object_repr=_("Thời hạn lưu dữ liệu cá nhân — %(province)s") % {"province": province.name},
            changes=changes,
        )
    return changes


@transaction.atomic
def set_response_deadline(actor, province, *, days, working_days=True):
    """The province's figure for answering a data-subject request (None: not set, the pages say so)."""
    require_set_retention(actor, province.pk)
    if days is not None and not 1 <= days <= 90:
        raise ValidationError({"response_days": _("Số ngày từ 1 đến 90, hoặc để trống.")})
    row, _created = PrivacySettings.objects.select_for_update().get_or_create(province=province)
    old = [row.response_days, row.working_days]
    if old == [days, working_days]:
        return row
    row.response_days, row.working_days, row.updated_by = days, working_days, person(actor)
    row.save()
    audit.record(
        actor,
        audit.Action.UPDATE,
        row,
        changes={"response_days": [old[0], days], "working_days": [old[1], working_days]},
    )
    return row


def run_province(actor, province, *, now=None, batch=BATCH, max_batches=MAX_BATCHES, progress=None):
    """One pass over `province`: every kind pseudonymises what is past its retention. Returns the RetentionRun."""
    if not is_system(actor):
        require_set_retention(actor, province.pk)
    now = now or timezone.now()
    limits = cutoffs(province, now)
    run = RetentionRun.objects.create(
        province=province, started_at=timezone.now(), actor_name=str(actor.get_full_name())[:150]
    )
    counts, complete = {}, True
    sources = registry.personal_data
    # The apps built on others first (outreach before the register of people): a person whose campaign history is
    # pseudonymised tonight is no longer held by it when the register's turn comes.
    for index, (key, cutoff) in enumerate(reversed(list(limits.items()))):
        total = 0
        for _batch in range(max_batches):
            done = sources[key].pseudonymise(actor, province.pk, cutoff, batch)
            total += done
            if not done:
                break
        else:
            complete = False
        counts[key] = total
        if progress is not None:
            progress(100 * (index + 1) // max(1, len(limits)), str(sources[key].label))
    run.counts = {key: counts[key] for key in limits}
    run.cutoffs = {key: cutoff.isoformat() for key, cutoff in limits.items()}
    run.complete = complete
    run.finished_at = timezone.now()
    run.save()
    return run


def run_all(actor=RETENTION_JOB, *, now=None, province_codes=None):
    """The nightly pass over every province (or those of `province_codes`). Returns [RetentionRun]."""
    provinces = Province.objects.order_by("code")
    if province_codes:
        provinces = provinces.filter(code__in=province_codes)
    return [run_province(actor, province, now=now) for province in provinces]


@transaction.atomic
def start_run(actor, province):
    """The province admin runs the pass now, as a job with a progress page (it is audited by the owning apps)."""
    require_set_retention(actor, province.pk)
    job = start_job(
        actor,
        "privacy.retention",
        _("Ẩn danh hóa dữ liệu quá thời hạn lưu — %(province)s") % {"province": province.name},
        jobs.run_retention,
        province_id=province.pk,
    )
    audit.record(actor, audit.Action.UPDATE, job, reason="privacy retention run")
    return job
