"""Target lists: imported from a CSV or Excel file (atomic, line-numbered), or built from CivicDesk's own register;
reserved to the officers and volunteers who work them.

One citizen is one `community.Person`: a row is merged with a citizen already known in the commune by phone (E.164)
or CCCD, and with an earlier row of the same file; a campaign lists a person once.
"""

import contextlib
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.community.models import Person
from civicdesk.core import audit
from civicdesk.handbook.models import Procedure
from civicdesk.kernel import csvfiles
from civicdesk.kernel.actors import person as user_of
from civicdesk.kernel.phones import normalise
from civicdesk.kernel.validators import has_control_characters
from civicdesk.servicedesk.models import Dossier
from civicdesk.servicedesk.models.dossier import Channel, Status

from ..models import Consent, ContactChannel, Target
from ..permissions import require_manage_campaign, require_run_commune
from ..text import plain

IMPORT_COLUMNS = (
    "full_name",
    "phone",
    "id_number",
    "commune",
    "hamlet",
    "address",
    "procedure",
    "consent",
    "consent_source",
    "note",
)
REQUIRED_COLUMNS = ("full_name",)
EXAMPLE_CSV = (
    "full_name,phone,id_number,hamlet,address,procedure,consent,consent_source,note\n"
    "K'Điệp,0912 345 678,068190001234,Thôn 2,,HT-001,phone sms,Phiếu đồng ý tại nhà văn hóa thôn 2 ngày 02/07,"
    "Con sinh tháng 3 chưa khai sinh\n"
    "Nguyễn Văn Hùng,0987654321,,Thôn 5,Số 12 đường Hùng Vương,,phone,Đồng ý qua điện thoại khi nộp hồ sơ,\n"
)
MAX_ROWS = 100_000
ONLINE_LEVELS = ("toan_trinh", "mot_phan")
CCCD = re.compile(r"\d{12}")
CONSENT_WORDS = {
    "phone": ContactChannel.PHONE,
    "dien_thoai": ContactChannel.PHONE,
    "goi": ContactChannel.PHONE,
    "sms": ContactChannel.SMS,
    "zalo": ContactChannel.ZALO,
    "email": ContactChannel.EMAIL,
    "visit": ContactChannel.VISIT,
    "den_nha": ContactChannel.VISIT,
}


@dataclass
class ImportReport:
    rows: int = 0
    targets_created: int = 0
    people_created: int = 0
    people_matched: int = 0
    merged_rows: int = 0
    already_listed: int = 0
    consents_recorded: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


@dataclass
class _Row:
    line: int
    full_name: str
    phone: str
    id_number: str
    commune: object
    hamlet: object
    address: str
    consent: tuple
    consent_source: str
    note: str
    procedure: object = None


def _rows_from_xlsx(content, on_error):
    """(header, [(line, {column: text})]) of the first sheet; lines as Excel numbers them."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        on_error(1, _("không mở được tệp như bảng tính Excel (.xlsx)."))
        return None, []
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if first is None:
        return [], []
    header = [str(v or "").strip() for v in first]
    records = []
    for line, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        cells = {}
        for name, value in zip(header, values, strict=False):
            if value is None:
                text = ""
            elif isinstance(value, float) and value.is_integer():
                text = str(int(value))
            else:
                text = str(value)
            cells[name] = text
        records.append((line, cells))
    book.close()
    return header, records


def _rows_from_csv(text, on_error):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = csvfiles.header(reader, on_error)
    if header is None:
        return None, []
    reader.fieldnames = header
    records = []
    for line, row in csvfiles.records(reader, on_error):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        records.append((line, {k: (v if isinstance(v, str) else "") for k, v in row.items() if k}))
    return header, records


# Vietnamese ways of writing a channel, compared without accents ("điện thoại", "tin nhắn", "đến nhà"…).
CONSENT_PHRASES = {
    "goi dien": "phone",
    "dien thoai": "phone",
    "tin nhan": "sms",
    "nhan tin": "sms",
    "thu dien tu": "email",
    "e mail": "email",
    "den nha": "visit",
    "tham nha": "visit",
}


def _consent_channels(value, line, errors):
    channels = []
    value = plain(value or "")
    for phrase, word in CONSENT_PHRASES.items():
        value = value.replace(phrase, word)
    for word in re.split(r"[\s,;/]+", value):
        if not word:
            continue
        channel = CONSENT_WORDS.get(word)
        if channel is None:
            errors.append(
                _(
                    "Dòng %(line)s, cột consent: “%(word)s” không phải là kênh (ghi phone, sms, zalo, email, visit; "
                    "hoặc điện thoại, tin nhắn, đến nhà)."
                )
                % {"line": line, "word": word[:20]}
            )
        elif channel not in channels:
            channels.append(channel)
    return tuple(channels)


def _procedure(code, line, procedures, errors):
    """The procedure a line names by its handbook code (one of the campaign's, when it names any)."""
    if not code:
        return None
    found = procedures.get(code.upper())
    if found is None:
        known = (
            ", ".join(sorted(procedures)[:12]) if len(procedures) <= 12 else _("mã thủ tục trong cẩm nang")
        )
        errors.append(
            _("Dòng %(line)s, cột procedure: “%(code)s” không phải thủ tục của chiến dịch (ghi %(known)s).")
            % {"line": line, "code": code[:20], "known": known}
        )
    return found


def _parse(line, cells, campaign, communes, hamlets, errors, procedures):
    def text(column, limit):
        value = (cells.get(column) or "").strip()
        if has_control_characters(value):
            errors.append(
                _("Dòng %(line)s, cột %(col)s: có ký tự điều khiển không hợp lệ.")
                % {"line": line, "col": column}
            )
            return ""
        if len(value) > limit:
            errors.append(
                _("Dòng %(line)s, cột %(col)s: dài quá %(n)s ký tự.")
                % {"line": line, "col": column, "n": limit}
            )
            return ""
        return value

    name = text("full_name", 150)
    if not name:
        errors.append(_("Dòng %(line)s, cột full_name: thiếu họ tên.") % {"line": line})
    phone = ""
    raw_phone = text("phone", 30)
    if raw_phone:
        try:
            phone = normalise(raw_phone)
        except ValidationError as exc:
            errors.append(_("Dòng %(line)s, cột phone: %(msg)s") % {"line": line, "msg": exc.messages[0]})
    id_number = text("id_number", 12)
    if id_number and not CCCD.fullmatch(id_number):
        errors.append(_("Dòng %(line)s, cột id_number: số CCCD phải có 12 chữ số.") % {"line": line})
    if not raw_phone and not id_number and name:
        errors.append(
            _("Dòng %(line)s: cần số điện thoại hoặc số CCCD để nhận ra người này.") % {"line": line}
        )
    commune = campaign.commune
    code = text("commune", 10)
    if campaign.commune_id is None:
        commune = communes.get(code)
        if commune is None:
            errors.append(
                _("Dòng %(line)s, cột commune: ghi mã một xã của chiến dịch (không phải “%(value)s”).")
                % {"line": line, "value": code[:10]}
            )
    elif code and code != str(campaign.commune.code):
        errors.append(
            _("Dòng %(line)s, cột commune: chiến dịch này chỉ của %(name)s.")
            % {"line": line, "name": commune.name}
        )
    hamlet = None
    hamlet_name = text("hamlet", 100)
    if hamlet_name and commune is not None:
        hamlet = hamlets.get((commune.pk, hamlet_name.lower()))
        if hamlet is None:
            errors.append(
                _("Dòng %(line)s, cột hamlet: %(commune)s không có thôn, tổ dân phố “%(name)s”.")
                % {"line": line, "commune": commune.name, "name": hamlet_name[:60]}
            )
    consent = _consent_channels(text("consent", 100), line, errors)
    source = text("consent_source", 200)
    if consent and not source:
        errors.append(
            _("Dòng %(line)s, cột consent_source: ghi người dân đồng ý ở đâu, khi nào (phiếu, cuộc gọi…).")
            % {"line": line}
        )
    return _Row(
        line,
        name,
        phone,
        id_number,
        commune,
        hamlet,
        text("address", 255),
        consent,
        source,
        text("note", 500),
        _procedure(text("procedure", 40), line, procedures, errors),
    )


def _known_citizens(communes):
    """{(commune_id, "p"|"i", value): person} for the citizens already known in these communes."""
    index = {}
    for person in Person.objects.filter(kind=Person.Kind.CITIZEN, commune__in=communes).only(
        "pk", "commune_id", "phone", "id_number", "full_name"
    ):
        if person.phone:
            with contextlib.suppress(ValidationError):  # a number kept from before that no longer parses
                index.setdefault((person.commune_id, "p", normalise(person.phone)), person)
        if person.id_number:
            index.setdefault((person.commune_id, "i", person.id_number), person)
    return index


def _campaign_procedures(campaign):
    """{CODE: procedure} a line may name: the campaign's procedures, or any of the handbook's if it names none."""
    chosen = list(campaign.procedures.all())
    return {p.code.upper(): p for p in (chosen or Procedure.objects.only("pk", "code", "name"))}


def _campaign_communes(campaign):
    if campaign.commune_id is not None:
        return [campaign.commune]
    return list(campaign.communes.all())


def import_targets(actor, campaign, *, content, filename="", dry_run=False):
    """Add the citizens of a CSV or Excel (.xlsx) file to `campaign`. Nothing is written unless every line is valid.

    `content` is bytes (or str for CSV). Columns: IMPORT_COLUMNS (only full_name is required; phone or id_number
    identifies the person; `commune` is the commune's code, for a province campaign). `consent` lists the channels
    the citizen agreed to, `consent_source` where and when.
    """
    require_manage_campaign(actor, campaign)
    report = ImportReport()

    def unreadable(line, message):
        report.errors.append(_("Dòng %(line)s: %(msg)s") % {"line": line, "msg": message})

    if filename.lower().endswith(".xlsx") or (isinstance(content, bytes) and content[:2] == b"PK"):
        header, records = _rows_from_xlsx(content, unreadable)
    else:
        if isinstance(content, bytes):
            try:
                content = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                report.errors.append(
                    _("Tệp không phải văn bản UTF-8: lưu lại tệp CSV với mã UTF-8, hoặc dùng .xlsx.")
                )
                return report
        header, records = _rows_from_csv(content, unreadable)
    if header is None:
        return report
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        report.errors.append(_("Dòng 1: thiếu cột bắt buộc: %(cols)s.") % {"cols": ", ".join(missing)})
        return report
    unknown = [c for c in header if c and c not in IMPORT_COLUMNS]
    if unknown:
        report.errors.append(
            _("Dòng 1: cột không dùng được: %(cols)s (các cột: %(known)s).")
            % {"cols": ", ".join(unknown[:10]), "known": ", ".join(IMPORT_COLUMNS)}
        )
        return report
    if len(records) > MAX_ROWS:
        report.errors.append(
            _("Tệp có %(n)s dòng; mỗi lần nhập tối đa %(max)s dòng.") % {"n": len(records), "max": MAX_ROWS}
        )
        return report
    communes = _campaign_communes(campaign)
    by_code = {str(c.code): c for c in communes}
    hamlets = {(h.commune_id, h.name.lower()): h for c in communes for h in c.hamlets.all()}
    procedures = _campaign_procedures(campaign)
    rows = [
        _parse(line, cells, campaign, by_code, hamlets, report.errors, procedures) for line, cells in records
    ]
    report.rows = len(rows)
    if report.errors:
        return report
    if dry_run:
        _plan(campaign, rows, report, write=False, actor=actor)
        return report
    with transaction.atomic():
        _plan(campaign, rows, report, write=True, actor=actor)
        audit.record(
            actor,
            audit.Action.IMPORT,
            campaign,
            changes={"rows": report.rows, "targets": report.targets_created, "people": report.people_created},
        )
    return report


def _plan(campaign, rows, report, *, write, actor):
    """Merge rows into people (known citizens, then earlier rows), then create what is new in bulk."""
    communes = {row.commune.pk: row.commune for row in rows}
    known = _known_citizens(list(communes.values()))
    listed = set(campaign.targets.values_list("person_id", flat=True))
    now = timezone.now()
    people = []  # (person or None, row, [rows merged into it])
    seen = {}
    for row in rows:
        keys = [k for k in ((row.commune.pk, "p", row.phone), (row.commune.pk, "i", row.id_number)) if k[2]]
        slot = next((seen[k] for k in keys if k in seen), None)
        if slot is not None:
            report.merged_rows += 1
            entry = people[slot]
            entry[2].append(row)
        else:
            person = next((known[k] for k in keys if k in known), None)
            slot = len(people)
            people.append([person, row, [row]])
        for key in keys:
            seen.setdefault(key, slot)
    new_people = []
    for entry in people:
        person, row, _merged = entry
        if person is None:
            first = entry[2]
            person = Person(
                province_id=campaign.province_id,
                commune=row.commune,
                hamlet=next((r.hamlet for r in first if r.hamlet), None),
                kind=Person.Kind.CITIZEN,
                full_name=row.full_name,
                phone=next((r.phone for r in first if r.phone), ""),
                id_number=next((r.id_number for r in first if r.id_number), ""),
                address=next((r.address for r in first if r.address), ""),
            )
            new_people.append(person)
            entry[0] = person
        else:
            report.people_matched += 1
    report.people_created = len(new_people)
    if write and new_people:
        Person.objects.bulk_create(new_people, batch_size=2000)
        if new_people[0].pk is None:  # a backend that returns no keys: read them back
            _reload_keys(new_people)
    targets, consents = [], {}
    for person, row, merged in people:
        if person.pk is not None and person.pk in listed:
            report.already_listed += 1
            continue
        if person.pk is not None:
            listed.add(person.pk)
        note = "; ".join(dict.fromkeys(r.note for r in merged if r.note))[:500]
        procedure = next((r.procedure for r in merged if r.procedure is not None), None)
        targets.append(
            Target(
                campaign=campaign,
                person=person,
                commune=row.commune,
                procedure=procedure,
                note=note,
                created_at=now,
            )
        )
        for r in merged:
            for channel in r.consent:
                consents.setdefault((id(person), channel), (person, channel, r.consent_source))
    report.targets_created = len(targets)
    report.consents_recorded = len(consents)
    if not write:
        return
    Target.objects.bulk_create(targets, batch_size=2000)
    existing = (
        set(
            Consent.objects.filter(person__in=[p for p, _c, _s in consents.values()]).values_list(
                "person_id", "channel"
            )
        )
        if consents
        else set()
    )
    Consent.objects.bulk_create(
        [
            Consent(
                person=person,
                channel=channel,
                source=source,
                basis=Consent.Basis.CONSENT,
                given_at=now,
                recorded_by=user_of(actor),
            )
            for person, channel, source in consents.values()
            if (person.pk, channel) not in existing
        ],
        batch_size=2000,
    )


def _reload_keys(people):
    """Read back the keys bulk_create could not return (by each new person's phone or CCCD in their commune)."""
    for person in people:
        match = Person.objects.filter(kind=Person.Kind.CITIZEN, commune=person.commune)
        match = match.filter(phone=person.phone) if person.phone else match.filter(id_number=person.id_number)
        person.pk = match.order_by("-pk").values_list("pk", flat=True).first()


# --- from CivicDesk's own register ---------------------------------------------------------------------------
RULES = {
    Target.Source.SUPPLEMENT: _("Hồ sơ đang chờ bổ sung quá %(days)s ngày mà người dân chưa nộp lại"),
    Target.Source.IN_PERSON: _(
        "Người dân đã nộp trực tiếp, trong %(days)s ngày qua, thủ tục có dịch vụ trực tuyến"
    ),
}


def register_candidates(campaign, rule, *, days):
    """The dossiers whose applicants `rule` picks, for the campaign's communes (and its procedures, if it has any)."""
    communes = _campaign_communes(campaign)
    # A dossier whose applicant asked to restrict the processing of their data is never a source of contact.
    dossiers = Dossier.objects.filter(commune__in=communes, restricted=False).exclude(applicant_name="")
    procedures = list(campaign.procedures.values_list("code", flat=True))
    if procedures:
        dossiers = dossiers.filter(procedure_code__in=procedures)
    since = timezone.now() - timedelta(days=days)
    if rule == Target.Source.SUPPLEMENT:
        dossiers = dossiers.filter(status=Status.SUPPLEMENT, updated_at__lte=since)
    elif rule == Target.Source.IN_PERSON:
        dossiers = dossiers.filter(
            channel=Channel.TRUC_TIEP, received_at__gte=since, procedure__online_level__in=ONLINE_LEVELS
        )
    else:
        raise ValidationError({"rule": _("Không có cách lập danh sách “%(rule)s”.") % {"rule": rule}})
    return dossiers.exclude(applicant_phone="", applicant_id_number="").order_by("received_at")


@transaction.atomic
def add_from_register(actor, campaign, rule, *, days=7):
    """List the applicants of the dossiers `rule` picks; each keeps its dossier as the source. Returns the count.

    A citizen contacted about a dossier they filed may be phoned about it (basis: the dossier's own processing);
    any other channel still needs their consent.
    """
    require_manage_campaign(actor, campaign)
    if not 0 <= days <= 365:
        raise ValidationError({"days": _("Số ngày từ 0 đến 365.")})
    candidates = list(register_candidates(campaign, rule, days=days).select_related("commune"))
    known = _known_citizens(list({d.commune for d in candidates}))
    listed = set(campaign.targets.values_list("person_id", flat=True))
    now = timezone.now()
    created = 0
    for dossier in candidates:
        try:
            phone = normalise(dossier.applicant_phone)
        except ValidationError:
            phone = ""
        keys = [(dossier.commune_id, "p", phone), (dossier.commune_id, "i", dossier.applicant_id_number)]
        person = next((known[k] for k in keys if k[2] and k in known), None)
        if person is None:
            person = Person.objects.create(
                province_id=dossier.province_id,
                commune_id=dossier.commune_id,
                kind=Person.Kind.CITIZEN,
                full_name=dossier.applicant_name,
                phone=phone,
                id_number=dossier.applicant_id_number or "",
            )
            for key in keys:
                if key[2]:
                    known[key] = person
        if person.pk in listed:
            continue
        listed.add(person.pk)
        Target.objects.create(
            campaign=campaign,
            person=person,
            commune_id=dossier.commune_id,
            source=rule,
            source_dossier=dossier,
            procedure_id=dossier.procedure_id,
            note=_("Hồ sơ %(code)s — %(name)s")
            % {"code": dossier.code, "name": dossier.procedure_name[:300]},
            created_at=now,
        )
        Consent.objects.get_or_create(
            person=person,
            channel=ContactChannel.PHONE,
            defaults={
                "basis": Consent.Basis.PUBLIC_TASK,
                "source": _("Hồ sơ %(code)s người dân đã nộp") % {"code": dossier.code},
                "given_at": now,
                "recorded_by": user_of(actor),
            },
        )
        created += 1
    audit.record(actor, audit.Action.IMPORT, campaign, changes={"rule": rule, "days": days, "added": created})
    return created


# --- reserving lists -------------------------------------------------------------------------------------------
@transaction.atomic
def reserve(actor, campaign, assignee, *, count, commune=None):
    """Reserve up to `count` unassigned open targets (of `commune`, for a province campaign) to `assignee`."""
    require_manage_campaign(actor, campaign)
    commune = commune or campaign.commune
    if commune is None:
        raise ValidationError({"commune": _("Chọn xã có danh sách cần giao.")})
    require_run_commune(actor, commune)
    if assignee.commune_id != commune.pk or not assignee.is_active:
        raise ValidationError(
            {"assignee": _("Chỉ giao cho cán bộ, tình nguyện viên của %(name)s.") % {"name": commune.name}}
        )
    if not 1 <= count <= 5000:
        raise ValidationError({"count": _("Số người giao mỗi lần từ 1 đến 5.000.")})
    pks = list(
        campaign.targets.open()
        .filter(commune=commune, assignee__isnull=True)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    updated = Target.objects.filter(pk__in=pks).update(assignee=assignee)
    audit.record(
        actor, audit.Action.UPDATE, campaign, changes={"assignee": assignee.username, "count": updated}
    )
    return updated


@transaction.atomic
def release(actor, target):
    require_manage_campaign(actor, target.campaign)
    target.assignee = None
    target.save(update_fields=["assignee", "updated_at"])
    audit.record(actor, audit.Action.UPDATE, target, changes={"assignee": "released"})
