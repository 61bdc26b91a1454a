"""Writes for the staff pool and the departments' release quotas.

A member's languages are kept in community's one language model: the first time a member has a language, a pool
`community.Person` (kind "pool", no commune) is created for them with `community.services.save_person` and linked
as `StaffMember.person`; their languages are then set with `community.services.replace_languages`, the first one
named being the preferred one. Both happen in the transaction of the staffing write.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.community import services as community
from civicdesk.community.models import Person
from civicdesk.core import audit
from civicdesk.core.models import Department
from civicdesk.kernel.languages import parse_language

from ..fields import FIELD_CODES
from ..models import DepartmentQuota, StaffMember
from ..permissions import require_planner
from .csvutil import ImportReport, number, read_rows

STAFF_EDITABLE = (
    "full_name",
    "department",
    "position",
    "fields",
    "experience_years",
    "home_label",
    "home_lat",
    "home_lon",
    "available_from",
    "available_until",
    "user",
    "is_active",
)
STAFF_REQUIRED = ("staff_id", "full_name", "department", "fields", "home_lat", "home_lon")
STAFF_OPTIONAL = (
    "position",
    "experience_years",
    "languages",
    "home_label",
    "available_from",
    "available_until",
)


def language_codes(names):
    """The ISO 639-3 codes of `names` (each a name or a code, as typed: "Tiếng Việt", "K'Ho", "cma"), in order,
    each once. Raises ValidationError({"languages": …}) naming every name that is not a language."""
    codes, unknown = [], []
    for name in names:
        if not name or not name.strip():
            continue
        try:
            code = parse_language(name)
        except ValidationError as exc:
            unknown.extend(exc.messages)
            continue
        if code not in codes:
            codes.append(code)
    if unknown:
        raise ValidationError({"languages": unknown})
    return codes


def _pool_person(actor, member):
    """The member's pool Person, kept in step with the member's name and status; created when there is none."""
    person = member.person
    data = {"full_name": member.full_name, "is_active": member.is_active}
    if person is None:
        person = community.save_person(
            actor, commune=None, province=member.province, data={"kind": Person.Kind.POOL, **data}
        )
        member.person = person
        member.save(update_fields=["person", "updated_at"])
    elif any(getattr(person, key) != value for key, value in data.items()):
        person = community.save_person(actor, commune=None, person=person, data=data)
    return person


def set_languages(actor, member, codes=None):
    """Give `member` exactly the languages `codes` (the first one preferred), through community's services;
    `None` keeps the languages they have. Either way their Person follows their name and status.

    Nothing is written when they already have those languages, and no Person is created for a member who has no
    language. Returns True when the languages changed."""
    if member.person is None and not codes:
        return False
    person = _pool_person(actor, member)
    if codes is None:
        return False
    current = list(person.languages.all())
    preferred = [lang.code for lang in current if lang.is_preferred]
    if {lang.code for lang in current} == set(codes) and preferred == codes[:1]:
        return False
    community.replace_languages(
        actor, person, [{"code": code, "is_preferred": i == 0} for i, code in enumerate(codes)]
    )
    return True


def _clean_fields(fields):
    fields = [f.strip() for f in fields if f and f.strip()]
    unknown = [f for f in fields if f not in FIELD_CODES]
    if unknown:
        raise ValidationError(
            {"fields": _("Lĩnh vực không có trong danh mục: %(f)s.") % {"f": ", ".join(unknown)}}
        )
    if not fields:
        raise ValidationError({"fields": _("Cần ít nhất một lĩnh vực chuyên môn.")})
    return sorted(set(fields))


@transaction.atomic
def save_staff_member(actor, province, code, data):
    """Create or update the pool member `code` of `province` with `data` (keys of STAFF_EDITABLE, and `languages`:
    names or codes, the first one preferred; left out, the member keeps the languages they have)."""
    require_planner(actor, province)
    data = dict(data)
    if "fields" in data:
        data["fields"] = _clean_fields(data["fields"])
    languages = language_codes(data.pop("languages")) if "languages" in data else None
    if data.get("department") is not None and data["department"].province_id != province.pk:
        raise ValidationError({"department": _("Sở, ngành không thuộc tỉnh.")})
    member = StaffMember.objects.filter(province=province, code=code).first()
    created = member is None
    if member is None:
        member = StaffMember(province=province, code=code, department=data.get("department"))
    changes = audit.diff(member, data, STAFF_EDITABLE)
    if member.available_from and member.available_until and member.available_until < member.available_from:
        raise ValidationError({"available_until": _("Ngày kết thúc sẵn sàng phải sau ngày bắt đầu.")})
    member.full_clean()
    member.save()
    old_languages = member.language_names
    if set_languages(actor, member, languages):
        changes["languages"] = [old_languages, member.language_names]
    if changes or created:
        audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, member, changes=changes)
    return member


def _date(row, column, line, errors):
    raw = row.get(column, "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(
            _("Dòng %(line)s, cột %(col)s: “%(v)s” không phải ngày dạng YYYY-MM-DD.")
            % {"line": line, "col": column, "v": raw}
        )
        return None


def _languages_cell(row, line, errors):
    """The codes of the `languages` cell ("name or code;name or code"); each name it cannot read is an error."""
    try:
        return language_codes(row["languages"].split(";"))
    except ValidationError as exc:
        errors.extend(
            _("Dòng %(line)s, cột languages: %(msg)s") % {"line": line, "msg": message}
            for message in exc.messages
        )
        return []


def _optional_columns(row, line, errors):
    """The optional columns the file has. One it lacks leaves what the pool already holds: re-importing a list
    without positions must not blank everyone's position."""
    readers = {
        "position": lambda: row["position"],
        "experience_years": lambda: number(
            row, "experience_years", line, errors, integer=True, hi=50, default=0
        ),
        "languages": lambda: _languages_cell(row, line, errors),
        "home_label": lambda: row["home_label"],
        "available_from": lambda: _date(row, "available_from", line, errors),
        "available_until": lambda: _date(row, "available_until", line, errors),
    }
    return {name: read() for name, read in readers.items() if name in row}


def import_staff(actor, province, text):
    """Import the staff pool (staff_id, full_name, department, fields, home_lat, home_lon + optional columns).

    `department` is the department code (e.g. tu-phap); `fields` and `languages` are separated by ';'. All or
    nothing: every row is checked first and errors are reported by line and column.
    """
    require_planner(actor, province)
    report = ImportReport()
    rows = read_rows(text, STAFF_REQUIRED, STAFF_OPTIONAL, report.errors)
    departments = {d.code: d for d in Department.objects.filter(province=province)}
    parsed, seen = [], {}
    for line, row in rows:
        errs = report.errors
        code = row["staff_id"]
        if not code:
            errs.append(_("Dòng %(line)s, cột staff_id: không được để trống.") % {"line": line})
        elif code in seen:
            errs.append(
                _("Dòng %(line)s: staff_id “%(c)s” bị lặp (đã có ở dòng %(first)s).")
                % {"line": line, "c": code, "first": seen[code]}
            )
        seen.setdefault(code, line)
        if not row["full_name"]:
            errs.append(_("Dòng %(line)s, cột full_name: không được để trống.") % {"line": line})
        department = departments.get(row["department"])
        if department is None:
            errs.append(
                _("Dòng %(line)s, cột department: không có sở, ngành mã “%(c)s”.")
                % {"line": line, "c": row["department"]}
            )
        fields = [f.strip() for f in row["fields"].split(";") if f.strip()]
        bad = [f for f in fields if f not in FIELD_CODES]
        if bad or not fields:
            errs.append(
                _(
                    "Dòng %(line)s, cột fields: lĩnh vực không hợp lệ “%(f)s” (dùng mã: %(codes)s, cách nhau bởi ;)."
                )
                % {"line": line, "f": ";".join(bad) or "", "codes": ", ".join(sorted(FIELD_CODES))}
            )
        lat = number(row, "home_lat", line, errs, lo=-90, hi=90)
        lon = number(row, "home_lon", line, errs, lo=-180, hi=180)
        if (lat is None or lon is None) and (row["home_lat"] == "" or row["home_lon"] == ""):
            errs.append(_("Dòng %(line)s: thiếu tọa độ nơi ở (home_lat, home_lon).") % {"line": line})
        data = {
            "full_name": row["full_name"],
            "department": department,
            "fields": fields,
            "home_lat": lat,
            "home_lon": lon,
            "is_active": True,
        }
        data.update(_optional_columns(row, line, errs))
        parsed.append((code, data))
    if not rows and not report.errors:
        report.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write_staff(actor, province, parsed, seen, report)
    except ValidationError as exc:
        # A rule only community's models know: the whole file is refused (rolled back), naming the line.
        line = getattr(exc, "line", "?")
        report.errors.extend(
            _("Dòng %(line)s: %(msg)s") % {"line": line, "msg": message} for message in exc.messages
        )
        report.created = report.updated = 0
    return report


def _write_staff(actor, province, parsed, lines, report):
    """Rows were validated: one import is one write, the members saved in bulk with one audit event, their
    languages through community's services (only for the members whose languages, name or status changed)."""
    existing = {m.code: m for m in StaffMember.objects.filter(province=province)}
    new, changed = [], []
    for code, data in parsed:
        data = {k: v for k, v in data.items() if k != "languages"}
        data = {**data, "fields": sorted(set(data["fields"]))}
        member = existing.get(code)
        if member is None:
            new.append(StaffMember(province=province, code=code, **data))
        else:
            for key, value in data.items():
                setattr(member, key, value)
            changed.append(member)
    StaffMember.objects.bulk_create(new, batch_size=500)
    StaffMember.objects.bulk_update(
        changed, sorted({k for _c, d in parsed for k in d} - {"user", "languages"}), batch_size=500
    )
    members = {
        m.code: m
        for m in StaffMember.objects.filter(province=province)
        .select_related("person", "province")
        .prefetch_related("person__languages")
    }
    languages = 0
    for code, data in parsed:
        member = members[code]
        try:
            languages += set_languages(actor, member, data.get("languages"))
        except ValidationError as exc:
            exc.line = lines[code]
            raise
    report.created, report.updated = len(new), len(changed)
    audit.record(
        actor,
        audit.Action.IMPORT,
        object_type="staffing.staffmember",
        object_repr=_("Nguồn cán bộ %(n)s người (CSV)") % {"n": len(parsed)},
        changes={"created": report.created, "updated": report.updated, "languages": languages},
    )


@transaction.atomic
def set_quota(actor, department, max_release):
    """Set how many people `department` can release; `None` removes its quota row."""
    require_planner(actor, department.province)
    quota = DepartmentQuota.objects.filter(department=department).first()
    if max_release is None:
        if quota is not None:
            audit.record(actor, audit.Action.DELETE, quota)
            quota.delete()
        return None
    created = quota is None
    quota = quota or DepartmentQuota(department=department)
    changes = audit.diff(quota, {"max_release": max_release}, ["max_release"])
    quota.full_clean()
    quota.save()
    if changes or created:
        audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, quota, changes=changes)
    return quota


def import_quotas(actor, province, text):
    """Import release quotas (department,max_release) where department is the department code."""
    require_planner(actor, province)
    report = ImportReport()
    rows = read_rows(text, ("department", "max_release"), (), report.errors)
    departments = {d.code: d for d in Department.objects.filter(province=province)}
    parsed = []
    for line, row in rows:
        department = departments.get(row["department"])
        if department is None:
            report.errors.append(
                _("Dòng %(line)s, cột department: không có sở, ngành mã “%(c)s”.")
                % {"line": line, "c": row["department"]}
            )
        value = number(row, "max_release", line, report.errors, integer=True, hi=100000)
        if value is None and not row["max_release"]:
            report.errors.append(_("Dòng %(line)s, cột max_release: không được để trống.") % {"line": line})
        parsed.append((department, value))
    if report.errors:
        return report
    with transaction.atomic():
        for department, value in parsed:
            existed = DepartmentQuota.objects.filter(department=department).exists()
            set_quota(actor, department, value)
            report.updated += existed
            report.created += not existed
    return report
