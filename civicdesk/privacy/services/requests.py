"""Data-subject requests: a commune officer records a citizen's request about their personal data, finds what the
apps hold about them (through the registered sources), and carries it out — export, correct, restrict, erase —
then closes it. Each step is a `RequestStep` (counts, never values) and an audit event.

Records are chosen by the officer on the request's page ("servicedesk.dossier|12"): a phone number may be shared by
a family, so a record that matches only the phone is for the officer to confirm. Each source checks again that the
records it is handed still match the person and that the officer may see them.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.workcal import get_calendar
from civicdesk.kernel.actors import person
from civicdesk.kernel.personal_data import CORRECTABLE, PersonKey, national_phone
from civicdesk.kernel.registry import registry

from ..models import PrivacySettings, RequestKind, RequestStep, SubjectRequest
from ..permissions import require_handle

CCCD = re.compile(r"^\d{12}$")


def clean_id_number(value):
    """A CCCD number: 12 digits, the first three a province code 001–096; "" for an empty value."""
    value = re.sub(r"\s", "", value or "")
    if not value:
        return ""
    if not CCCD.match(value) or not 1 <= int(value[:3]) <= 96:
        raise ValidationError({"id_number": _("Số CCCD gồm đúng 12 chữ số, 3 số đầu là mã tỉnh (001–096).")})
    return value


def clean_phone(value):
    """A Vietnamese phone number in its national form ("0912345678"); "" for an empty value."""
    if not (value or "").strip():
        return ""
    phone = national_phone(value)
    if not phone:
        raise ValidationError({"phone": _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678).")})
    return phone


def due_on(province, received_at):
    """The answering deadline from the province's figure, or None while it has set none (the page says so)."""
    row = PrivacySettings.objects.filter(province=province).first()
    if row is None or not row.response_days:
        return None
    if row.working_days:
        return timezone.localtime(get_calendar().add_working_days(received_at, row.response_days)).date()
    return timezone.localtime(received_at).date() + timedelta(days=row.response_days)


def _step(actor, request, action, *, note="", counts=None):
    return RequestStep.objects.create(
        request=request,
        actor=person(actor),
        actor_name=str(actor.get_full_name())[:150],
        action=action,
        note=note,
        counts=counts or {},
    )


def _start(request):
    if request.status == SubjectRequest.Status.RECEIVED:
        request.status = SubjectRequest.Status.IN_PROGRESS
        request.save(update_fields=["status"])


def _locked_open(actor, request):
    require_handle(actor, request.commune_id)
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(_("Yêu cầu này đã kết thúc."))
    return request


@transaction.atomic
def record_request(actor, commune, data):
    """Record a request of `commune` (data: kind, id_number and/or phone, subject_name, requester, requester_name,
    channel, received_at, detail). The deadline comes from the province's figure, if it has one."""
    require_handle(actor, commune.pk)
    id_number = clean_id_number(data.get("id_number"))
    phone = clean_phone(data.get("phone"))
    if not id_number and not phone:
        raise ValidationError({"id_number": _("Ghi số CCCD hoặc số điện thoại của người có dữ liệu.")})
    received_at = data.get("received_at") or timezone.now()
    if received_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"received_at": _("Thời điểm nhận yêu cầu không được ở tương lai.")})
    if data.get("kind") not in RequestKind.values:
        raise ValidationError({"kind": _("Chọn loại yêu cầu.")})
    requester = data.get("requester") or SubjectRequest._meta.get_field("requester").default
    if requester != "subject" and not (data.get("requester_name") or "").strip():
        raise ValidationError({"requester_name": _("Ghi họ tên người yêu cầu thay.")})
    request = SubjectRequest(
        province=commune.province,
        commune=commune,
        kind=data["kind"],
        subject_name=(data.get("subject_name") or "").strip()[:150],
        id_number=id_number,
        phone=phone,
        requester=requester,
        requester_name=(data.get("requester_name") or "").strip()[:150] if requester != "subject" else "",
        channel=data.get("channel") or "",
        received_at=received_at,
        detail=(data.get("detail") or "").strip(),
        due_on=due_on(commune.province, received_at),
        created_by=person(actor),
    )
    request.full_clean()
    request.save()
    _step(actor, request, RequestStep.Action.RECORDED)
    # The audit log names the kind and the channel, never the numbers.
    audit.record(
        actor, audit.Action.CREATE, request, changes={"kind": request.kind, "channel": request.channel}
    )
    return request


def person_key(request):
    return PersonKey(id_number=request.id_number, phone=request.phone)


@dataclass(frozen=True)
class Found:
    """What one kind of record holds about the person."""

    source: object  # PersonalDataSource
    records: list  # [HeldRecord]


def held_records(actor, request):
    """[Found] for every registered kind holding something about the request's person that `actor` may see.

    The officer is shown the person's data: the audit log records the viewing (which kinds, how many records)."""
    require_handle(actor, request.commune_id)
    key = person_key(request)
    found = [Found(source, list(source.find(actor, key))) for source in registry.personal_data_sources()]
    audit.record_view(
        actor,
        request,
        fields=[f"{f.source.key}:{len(f.records)}" for f in found if f.records],
        reason="data-subject request",
    )
    return [f for f in found if f.records]


def split_ids(selected):
    """{source key: [record id]} from the page's "source|id" values (unknown kinds dropped)."""
    grouped = defaultdict(list)
    for value in selected:
        key, _sep, record_id = str(value).partition("|")
        if key in registry.personal_data and record_id:
            grouped[key].append(record_id)
    return dict(grouped)


def _require_selection(grouped):
    if not grouped:
        raise ValidationError(_("Chọn ít nhất một bản ghi."))


def selected_records(actor, request, selected):
    """[Found] limited to the records chosen on the page (for the export)."""
    grouped = split_ids(selected)
    key = person_key(request)
    found = []
    for source in registry.personal_data_sources():
        wanted = set(grouped.get(source.key, ()))
        if wanted:
            records = [r for r in source.find(actor, key) if r.id in wanted]
            if records:
                found.append(Found(source, records))
    return found


@transaction.atomic
def record_export(actor, request, found, fmt):
    """The officer downloaded the person's data (`found`) as `fmt`: a step and an audit event, with counts."""
    request = _locked_open(actor, request)
    counts = {f.source.key: len(f.records) for f in found}
    if not counts:
        raise ValidationError(_("Chọn ít nhất một bản ghi."))
    _start(request)
    _step(actor, request, RequestStep.Action.EXPORTED, note=fmt, counts=counts)
    audit.record(actor, audit.Action.EXPORT, request, changes={"format": fmt, "records": counts})
    return request


@transaction.atomic
def restrict(actor, request, selected, *, restricted=True):
    """Mark the chosen records restricted (or lift it), through each owning app. Returns {source key: count}."""
    request = _locked_open(actor, request)
    grouped = split_ids(selected)
    _require_selection(grouped)
    key = person_key(request)
    counts, not_applicable = {}, []
    for source_key, ids in grouped.items():
        source = registry.personal_data[source_key]
        if source.restrict is None:
            not_applicable.append(source_key)
            continue
        counts[source_key] = source.restrict(actor, key, ids, restricted)
    _start(request)
    action = RequestStep.Action.RESTRICTED if restricted else RequestStep.Action.UNRESTRICTED
    _step(actor, request, action, counts={"changed": counts, "not_applicable": not_applicable})
    audit.record(actor, audit.Action.UPDATE, request, changes={"restricted": restricted, "records": counts})
    return counts


@transaction.atomic
def correct(actor, request, selected, data, *, note=""):
    """Correct the person's name, CCCD or phone on the chosen records, through each owning app's services.
    Returns {source key: count}. The step keeps the counts and which fields, not the values."""
    request = _locked_open(actor, request)
    grouped = split_ids(selected)
    _require_selection(grouped)
    values = {name: (data.get(name) or "").strip() for name in CORRECTABLE}
    values["id_number"] = clean_id_number(values["id_number"])
    values["phone"] = clean_phone(values["phone"])
    values = {name: value for name, value in values.items() if value}
    if not values:
        raise ValidationError(_("Ghi ít nhất một thông tin cần sửa."))
    key = person_key(request)
    counts, not_applicable = {}, []
    for source_key, ids in grouped.items():
        source = registry.personal_data[source_key]
        if source.correct is None:
            not_applicable.append(source_key)
            continue
        counts[source_key] = source.correct(actor, key, ids, values)
    _start(request)
    fields = sorted(values)
    _step(
        actor,
        request,
        RequestStep.Action.CORRECTED,
        note=note.strip(),
        counts={"changed": counts, "fields": fields, "not_applicable": not_applicable},
    )
    audit.record(actor, audit.Action.UPDATE, request, changes={"corrected": fields, "records": counts})
    return counts


@transaction.atomic
def erase(actor, request, selected):
    """Erase (pseudonymise) the chosen records where the law allows, through each owning app; the records an app must
    keep (a dossier under legal retention, a case still open) are restricted instead where the app can, and the
    reasons are kept for the answer to the citizen. Returns {source key: Erasure}."""
    request = _locked_open(actor, request)
    grouped = split_ids(selected)
    _require_selection(grouped)
    key = person_key(request)
    results = {}
    # The apps built on others first (outreach before the people it contacted), so nothing is held by a sibling.
    for source in reversed(registry.personal_data_sources()):
        ids = grouped.get(source.key)
        if not ids:
            continue
        outcome = source.erase(actor, key, ids)
        results[source.key] = outcome
        if outcome.kept and source.restrict is not None:
            source.restrict(actor, key, ids, True)
    _start(request)
    summary = {
        k: {
            "erased": r.erased,
            "kept": len(r.kept),
            "reasons": sorted({str(reason) for _ref, reason in r.kept}),
        }
        for k, r in results.items()
    }
    _step(actor, request, RequestStep.Action.ERASED, counts=summary)
    audit.record(
        actor,
        audit.Action.UPDATE,
        request,
        changes={
            "erased": {k: v["erased"] for k, v in summary.items()},
            "kept": {k: v["kept"] for k, v in summary.items()},
        },
    )
    return results


@transaction.atomic
def close(actor, request, *, outcome, refused=False):
    """Close the request: done, or refused with the explanation given to the citizen (required either way)."""
    request = _locked_open(actor, request)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Ghi kết quả hoặc lý do để trả lời người dân.")})
    old = request.status
    request.status = SubjectRequest.Status.REFUSED if refused else SubjectRequest.Status.DONE
    request.outcome = outcome[:2000]
    request.closed_at = timezone.now()
    request.closed_by = person(actor)
    request.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    _step(actor, request, RequestStep.Action.REFUSED if refused else RequestStep.Action.COMPLETED)
    audit.record(actor, audit.Action.TRANSITION, request, changes={"status": [old, request.status]})
    return request
