"""Writes for capacity, gap weights, overrides and the needs table."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.jobs import start_job
from civicdesk.geo.models import Commune
from civicdesk.kernel.actors import person

from .. import jobs, scoring, signals_in
from ..fields import FIELD_CODES, field_label
from ..models import CapacityRecord, CommuneProfile, GapWeights, Need
from ..permissions import require_planner
from .csvutil import ImportReport, number, read_rows

CAPACITY_COLUMNS = ("commune_code", "field", *CapacityRecord.EDITABLE)
NEED_COLUMNS = ("commune_code", "field", "units", "priority")


def weights_for(province):
    """The province's gap weights (defaults until the planner tunes them); never writes."""
    return GapWeights.objects.filter(province=province).first() or GapWeights(province=province)


@transaction.atomic
def update_weights(actor, province, data):
    """Save the gap-score weights and thresholds of `province`."""
    require_planner(actor, province)
    weights = GapWeights.objects.select_for_update().filter(province=province).first()
    created = weights is None
    weights = weights or GapWeights(province=province)
    changes = audit.diff(weights, data, GapWeights.EDITABLE)
    weights.full_clean()
    weights.save()
    if changes or created:
        audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, weights, changes=changes)
    return weights


def _check_field(field):
    if field not in FIELD_CODES:
        raise ValidationError({"field": _("Lĩnh vực “%(f)s” không có trong danh mục.") % {"f": field}})


@transaction.atomic
def save_capacity(actor, commune, field, data, *, source=CapacityRecord.Source.MANUAL):
    """Create or update the capacity of `commune` in `field` (values in `data`, keys of CapacityRecord.EDITABLE)."""
    require_planner(actor, commune.province)
    _check_field(field)
    record, created = CapacityRecord.objects.get_or_create(commune=commune, field=field)
    changes = audit.diff(record, data, CapacityRecord.EDITABLE)
    if changes or created:
        record.source = source
        record.updated_by = person(actor)
        record.full_clean()
        record.save()
        audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, record, changes=changes)
    return record


@transaction.atomic
def set_override(actor, record, *, score, reason):
    """Replace the computed gap score of `record` by `score`; a reason is required. `score=None` clears it."""
    require_planner(actor, record.commune.province)
    reason = (reason or "").strip()
    if score is not None and not reason:
        raise ValidationError({"override_reason": _("Cần ghi lý do khi ghi đè điểm thiếu hụt.")})
    changes = audit.diff(
        record,
        {"override_score": score, "override_reason": reason if score is not None else ""},
        ["override_score", "override_reason"],
    )
    record.updated_by = person(actor)
    record.full_clean()
    record.save()
    if changes:
        audit.record(actor, audit.Action.UPDATE, record, changes=changes, reason=reason)
    return record


def refresh_signals(actor, province, *, since, until, progress=None):
    """Refresh workload and error signals of every capacity record from the service desk and the hotline, and the
    language gap of every record from community.

    Only the figures those apps provide are replaced; commune-level rates apply to each field, and a
    commune-level dossier count is shared between fields in proportion to their current figures (evenly when
    there are none) unless the service desk gives a per-field breakdown. The language gaps are read once for the
    province (`signals_in.language_gaps`); every record of a commune gets its commune's gap, None when community
    has no language data for it. Each commune is updated in its own transaction. Returns how many records changed.
    """
    require_planner(actor, province)
    changed = 0
    records = CapacityRecord.objects.filter(commune__province=province).select_related("commune")
    by_commune = {}
    for record in records:
        by_commune.setdefault(record.commune, []).append(record)
    language = signals_in.language_gaps(province)
    for i, (commune, rows) in enumerate(by_commune.items()):
        if progress is not None and i % 10 == 0:
            progress(100 * i / len(by_commune), commune.name)
        signals = signals_in.commune_workload(commune, since, until)
        changed += _apply_signals(actor, rows, signals, language.get(commune.code), since, until)
    return changed


def _hotline_share(signals, field, key, share):
    """A field's hotline volume: its own count where questions carry that field, plus its share of the rest.

    Questions without a field (or in a field staffing does not track) are spread by dossier share, so the fields'
    figures add up to the commune's total instead of counting the same questions twice.
    """
    total = signals[key]
    if total is None:
        return None
    known = [values[key] for values in signals["by_field"].values() if values.get(key) is not None]
    if not known:
        return total * share
    remainder = max(total - sum(known), 0)
    return signals["by_field"].get(field, {}).get(key, 0) + remainder * share


def _signal_values(record, rows, signals):
    """The figures the service desk and the hotline give for `record` (one of its commune's `rows`)."""
    base = sum(r.dossiers_per_month for r in rows)
    share = (record.dossiers_per_month / base) if base > 0 else 1 / len(rows)
    data = {}
    per_field = signals["by_field"].get(record.field, {})
    for key in ("late_rate", "supplement_rate"):
        value = per_field.get(key, signals[key])
        if value is not None:
            data[key] = round(value, 4)
    if per_field.get("dossiers_per_month") is not None:
        data["dossiers_per_month"] = round(per_field["dossiers_per_month"], 1)
    elif signals["dossiers_per_month"] is not None:
        data["dossiers_per_month"] = round(signals["dossiers_per_month"] * share, 1)
    for key in ("hotline_questions", "sla_breaches"):
        value = _hotline_share(signals, record.field, key, share)
        if value is not None:
            data[key] = round(value, 2)
    return data


SIGNAL_FIELDS = (*CapacityRecord.EDITABLE, "language_gap")


@transaction.atomic
def _apply_signals(actor, rows, signals, language_gap, since, until):
    """One commune's records: the apps' figures when they answered (shares computed on the figures before this
    refresh), and the commune's language gap in any case."""
    from_apps = bool(signals["sources"])
    values = {record.pk: _signal_values(record, rows, signals) for record in rows} if from_apps else {}
    changed = 0
    for record in rows:
        data = {**values.get(record.pk, {}), "language_gap": language_gap}
        changes = audit.diff(record, data, SIGNAL_FIELDS)
        if from_apps:
            record.source = CapacityRecord.Source.SERVICEDESK
            record.signals_from, record.signals_until = since, until
            record.save()
        elif changes:
            record.save(update_fields=["language_gap", "updated_at"])
        if changes:
            changed += 1
            sources = ["servicedesk/hotline"] if set(changes) - {"language_gap"} else []
            sources += ["community"] if "language_gap" in changes else []
            reason = "/".join(sources)
            audit.record(actor, audit.Action.UPDATE, record, changes=changes, reason=reason)
    return changed


def start_refresh(actor, province, *, since, until):
    """Refresh the signals of the whole province in a background job (it reads every commune's KPIs)."""
    require_planner(actor, province)
    return start_job(
        actor,
        "staffing.refresh",
        _("Cập nhật số liệu năng lực từ một cửa và đường dây nóng"),
        jobs.refresh_signals,
        province_id=province.pk,
        user_id=actor.pk,
        since=since.isoformat(),
        until=until.isoformat(),
    )


def _communes_of(province):
    return {c.code: c for c in Commune.objects.filter(province=province)}


def _commune_cell(row, line, communes, errors):
    code = row.get("commune_code", "")
    commune = communes.get(int(code)) if code.isdigit() else None
    if commune is None:
        errors.append(
            _("Dòng %(line)s, cột commune_code: mã xã “%(code)s” không thuộc tỉnh.")
            % {"line": line, "code": code}
        )
    return commune


def _field_cell(row, line, errors):
    field = row.get("field", "")
    if field not in FIELD_CODES:
        errors.append(
            _("Dòng %(line)s, cột field: lĩnh vực “%(f)s” không có trong danh mục (%(codes)s).")
            % {"line": line, "f": field, "codes": ", ".join(sorted(FIELD_CODES))}
        )
        return None
    return field


_LIMITS = {
    "current_staff": {"integer": True, "hi": 500},
    "avg_experience_years": {"hi": 45},
    "dossiers_per_month": {},
    "hotline_questions": {},
    "late_rate": {"hi": 1},
    "supplement_rate": {"hi": 1},
    "sla_breaches": {},
}


def import_capacity(actor, province, text):
    """Import capacity rows (commune_code, field and any of CapacityRecord.EDITABLE); all or nothing.

    Empty cells keep the current value. Every row is checked first and errors are reported by line and column.
    """
    require_planner(actor, province)
    report = ImportReport()
    rows = read_rows(text, ("commune_code", "field"), CapacityRecord.EDITABLE, report.errors)
    communes = _communes_of(province)
    parsed, seen = [], {}
    for line, row in rows:
        commune = _commune_cell(row, line, communes, report.errors)
        field = _field_cell(row, line, report.errors)
        data = {}
        for column, limits in _LIMITS.items():
            value = number(row, column, line, report.errors, **limits)
            if value is not None:
                data[column] = value
        if commune and field:
            if (commune.pk, field) in seen:
                report.errors.append(
                    _("Dòng %(line)s: %(c)s – %(f)s bị lặp (đã có ở dòng %(first)s).")
                    % {"line": line, "c": commune.name, "f": field, "first": seen[(commune.pk, field)]}
                )
            seen[(commune.pk, field)] = line
        parsed.append((commune, field, data))
    if not rows and not report.errors:
        report.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if report.errors:
        return report
    # One import is one write: rows were validated above, so they are saved in bulk with one audit event.
    with transaction.atomic():
        existing = {
            (r.commune_id, r.field): r for r in CapacityRecord.objects.filter(commune__province=province)
        }
        new, changed = [], []
        for commune, field, data in parsed:
            record = existing.get((commune.pk, field))
            if record is None:
                new.append(
                    CapacityRecord(
                        commune=commune,
                        field=field,
                        source=CapacityRecord.Source.CSV,
                        updated_by=person(actor),
                        **data,
                    )
                )
            else:
                for key, value in data.items():
                    setattr(record, key, value)
                record.source, record.updated_by = CapacityRecord.Source.CSV, actor
                changed.append(record)
        CapacityRecord.objects.bulk_create(new, batch_size=500)
        CapacityRecord.objects.bulk_update(
            changed, [*CapacityRecord.EDITABLE, "source", "updated_by"], batch_size=500
        )
        report.created, report.updated = len(new), len(changed)
        audit.record(
            actor,
            audit.Action.IMPORT,
            object_type="staffing.capacityrecord",
            object_repr=_("Năng lực %(n)s dòng (CSV)") % {"n": len(parsed)},
            changes={"created": report.created, "updated": report.updated},
        )
    return report


@transaction.atomic
def generate_needs(actor, province):
    """Rebuild the needs table from the gap scores, keeping rows the planner edited or imported.

    A (commune, field) whose score is under the threshold loses its generated row. Returns (created, updated,
    deleted) counts.
    """
    require_planner(actor, province)
    weights = scoring.Weights.from_model(weights_for(province))
    existing = {(n.commune_id, n.field): n for n in Need.objects.filter(commune__province=province)}
    created = updated = deleted = 0
    new_rows = []
    for record in CapacityRecord.objects.filter(commune__province=province).select_related("commune"):
        g = scoring.gap(record, weights)
        need = existing.get((record.commune_id, record.field))
        if need is not None and need.origin != Need.Origin.GAP:
            continue
        if g.units == 0:
            if need is not None:
                need.delete()
                deleted += 1
            continue
        if need is None:
            new_rows.append(
                Need(
                    commune=record.commune,
                    field=record.field,
                    units=g.units,
                    priority=g.priority,
                    gap_score=round(g.score, 1),
                    origin=Need.Origin.GAP,
                )
            )
        elif (need.units, need.priority, need.gap_score) != (g.units, g.priority, round(g.score, 1)):
            need.units, need.priority, need.gap_score = g.units, g.priority, round(g.score, 1)
            need.save(update_fields=["units", "priority", "gap_score", "updated_at"])
            updated += 1
    Need.objects.bulk_create(new_rows)
    created = len(new_rows)
    audit.record(
        actor,
        audit.Action.UPDATE,
        object_type="staffing.need",
        object_repr=_("Bảng nhu cầu %(p)s") % {"p": province.name},
        changes={"created": created, "updated": updated, "deleted": deleted},
        reason="generate_needs",
    )
    return created, updated, deleted


@transaction.atomic
def save_need(actor, commune, field, *, units, priority, note=""):
    """Set a need by hand (it is then kept when the table is regenerated). `units=0` removes the row."""
    require_planner(actor, commune.province)
    _check_field(field)
    need = Need.objects.filter(commune=commune, field=field).first()
    if units == 0:
        if need is not None:
            audit.record(actor, audit.Action.DELETE, need)
            need.delete()
        return None
    created = need is None
    need = need or Need(commune=commune, field=field)
    changes = audit.diff(
        need, {"units": units, "priority": priority, "note": note}, ["units", "priority", "note"]
    )
    need.origin = Need.Origin.MANUAL
    need.full_clean()
    need.save()
    audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, need, changes=changes)
    return need


def import_needs(actor, province, text):
    """Import the needs table (commune_code,field,units,priority[,note]); all or nothing, errors by line.

    Rows in the file replace the same (commune, field) rows; units 0 removes a row; other rows are kept.
    """
    require_planner(actor, province)
    report = ImportReport()
    rows = read_rows(text, NEED_COLUMNS, ("note",), report.errors)
    communes = _communes_of(province)
    parsed, seen = [], {}
    for line, row in rows:
        commune = _commune_cell(row, line, communes, report.errors)
        field = _field_cell(row, line, report.errors)
        units = number(row, "units", line, report.errors, integer=True, hi=20)
        priority = number(row, "priority", line, report.errors, integer=True, lo=1, hi=5)
        if units is None and row.get("units", "") == "":
            report.errors.append(_("Dòng %(line)s, cột units: không được để trống.") % {"line": line})
        if priority is None and row.get("priority", "") == "":
            report.errors.append(_("Dòng %(line)s, cột priority: không được để trống.") % {"line": line})
        if commune and field:
            if (commune.pk, field) in seen:
                report.errors.append(
                    _("Dòng %(line)s: %(c)s – %(f)s bị lặp (đã có ở dòng %(first)s).")
                    % {
                        "line": line,
                        "c": commune.name,
                        "f": field_label(field),
                        "first": seen[(commune.pk, field)],
                    }
                )
            seen[(commune.pk, field)] = line
        parsed.append((commune, field, units, priority, row.get("note", "")))
    if not rows and not report.errors:
        report.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if report.errors:
        return report
    with transaction.atomic():
        existing = set(Need.objects.filter(commune__province=province).values_list("commune_id", "field"))
        for commune, field, units, priority, note in parsed:
            need = save_need(actor, commune, field, units=units, priority=priority, note=note)
            if need is not None:
                need.origin = Need.Origin.CSV
                need.save(update_fields=["origin"])
            if (commune.pk, field) in existing:
                report.updated += 1
            elif need is not None:
                report.created += 1
    return report


@transaction.atomic
def set_coordinates_source(actor, commune, source, note=""):
    """Record where a commune's coordinates come from (distances in the plans depend on them)."""
    require_planner(actor, commune.province)
    profile, created = CommuneProfile.objects.get_or_create(commune=commune)
    changes = audit.diff(
        profile, {"coordinates_source": source, "note": note}, ["coordinates_source", "note"]
    )
    profile.full_clean()
    profile.save()
    if changes or created:
        audit.record(actor, audit.Action.UPDATE, profile, changes=changes)
    return profile
